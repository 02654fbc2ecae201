// Entities as the bot reads them from a message: exact decimal amounts (never through a float)
// with their currency, accounts by type, number or id, counterparties, counts, loan ids and dates
// relative to a fixed reference day (Wednesday 18 June 2025, UTC). The sentence cases come from
// the embedding spike's self-check.
import {
  extractEntities,
  parseMoneyNumber,
  toSlots,
  type ExtractOptions,
} from "../understanding/entities.js";
import { cleanText } from "../understanding/message-text.js";

const reference: ExtractOptions = { referenceDate: new Date("2025-06-18T10:00:00Z"), timezone: "UTC" };

const slotsOf = (text: string, direction?: ExtractOptions["direction"]) =>
  toSlots(text, extractEntities(text, { ...reference, ...(direction ? { direction } : {}) }));

describe("slots of a sentence", () => {
  it.each<{ text: string; expected: Record<string, string>; direction?: ExtractOptions["direction"] }>([
    {
      text: "send $50 to John",
      expected: { amount: "50.00", currency: "USD", to_account: "John", to_account_kind: "person" },
    },
    {
      text: "send 50 dollars to my savings",
      expected: { amount: "50.00", currency: "USD", to_account: "savings", to_account_kind: "own_account" },
    },
    {
      text: "transfer €20.5 to Anna's account",
      expected: { amount: "20.50", currency: "EUR", to_account: "Anna" },
    },
    {
      text: "move 1,250.00 usd from checking into savings",
      expected: { amount: "1250.00", currency: "USD", account_type: "checking", to_account: "savings" },
    },
    { text: "Überweise 1.250,00 € an Müller", expected: { amount: "1250.00", currency: "EUR" } },
    { text: "pay Sarah back 20 bucks", expected: { amount: "20.00", currency: "USD", to_account: "Sarah" } },
    { text: "send 40 to my checking account", expected: { amount: "40.00", to_account: "checking" } },
    { text: "put 1000 toward my mortgage", expected: { amount: "1000.00" } },
    {
      text: "pay my roommate 60 dollars",
      expected: { amount: "60.00", currency: "USD", to_account: "roommate", to_account_kind: "alias" },
    },
    {
      text: "transfer 25 from account 42 to account 43",
      expected: { amount: "25.00", from_account: "42", to_account: "43", to_account_kind: "account_number" },
    },
    {
      text: "send 10 to FB-00000043",
      expected: { amount: "10.00", to_account: "FB-00000043", to_account_kind: "account_number" },
    },
    { text: "what's the balance of account 77", expected: { from_account: "77" } },
    { text: "send £0.99 and then GBP 5", expected: { amount: "0.99", currency: "GBP" } },
    { text: "send 20 to john", expected: { amount: "20.00", to_account: "John" } },
    { text: "what is my savings balance", expected: { account_type: "savings" } },
    { text: "what's left in my current account", expected: { account_type: "checking" } },
    { text: "what did I spend last week", expected: { date_from: "2025-06-09", date_to: "2025-06-15" } },
    { text: "show transactions since Monday", expected: { date_from: "2025-06-16", date_to: "2025-06-18" } },
    {
      text: "list everything I paid for yesterday",
      expected: { date_from: "2025-06-17", date_to: "2025-06-17" },
    },
    {
      text: "I want to see my spending in March",
      expected: { date_from: "2025-03-01", date_to: "2025-03-31" },
    },
    {
      text: "did my paycheck come in on Friday",
      expected: { date_from: "2025-06-13", date_to: "2025-06-13" },
    },
    {
      text: "which payments go out on Friday",
      expected: { date_from: "2025-06-20", date_to: "2025-06-20" },
      direction: "future",
    },
    {
      text: "transactions in the last two weeks",
      expected: { date_from: "2025-06-04", date_to: "2025-06-18" },
    },
    {
      text: "spending between June 1 and June 10",
      expected: { date_from: "2025-06-01", date_to: "2025-06-10" },
    },
    {
      text: "what bills are coming up next month",
      expected: { date_from: "2025-07-01", date_to: "2025-07-31" },
      direction: "future",
    },
    { text: "what did I pay in 2024", expected: { date_from: "2024-01-01", date_to: "2024-12-31" } },
    { text: "pay 5 to John at 5pm", expected: { amount: "5.00", to_account: "John" } },
    { text: "show me the last 10 purchases on my card", expected: { count: "10" } },
    { text: "pay 300 on loan 12", expected: { amount: "300.00", loan_id: "12" } },
  ])("$text", ({ text, expected, direction }) => {
    expect(slotsOf(text, direction)).toMatchObject(expected);
  });

  it.each([
    // "10" is a count, not money.
    "show me the last 10 purchases on my card",
    // An ambiguous amount is left out, so that the bot asks.
    "pay $5.999 now",
    // No counterparty "Spend".
    "how much can I afford to spend",
    // Seventeen integer digits are more than any amount the contract accepts.
    "send 12345678901234567 dollars to savings",
  ])("finds no amount and no counterparty in %j", (text) => {
    const slots = slotsOf(text);
    expect(slots.amount).toBeUndefined();
    if (!/savings/.test(text)) expect(slots.to_account).toBeUndefined();
  });
});

describe("parseMoneyNumber", () => {
  it.each<[string, string | null]>([
    ["50", "50.00"],
    ["20.5", "20.50"],
    ["20,5", "20.50"],
    ["1,250", "1250.00"],
    ["1.250", null],
    ["5.999", null],
    ["1.250.000", "1250000.00"],
    ["1,250.00", "1250.00"],
    ["1.250,00", "1250.00"],
    ["1 250,75", "1250.75"],
    [".99", "0.99"],
    ["007", "7.00"],
    ["1234567.89", "1234567.89"],
    ["0.1", "0.10"],
    ["1.2345", null],
    ["", null],
  ])("%j is %j", (raw, amount) => {
    expect(parseMoneyNumber(raw)).toBe(amount);
  });
});

describe("cleanText", () => {
  it("drops control and invisible characters, collapses whitespace and composes Unicode", () => {
    expect(cleanText("  what\u0000 is\tmy\n\nbalance\u202e?\u200b ")).toBe("what is my balance?");
    expect(cleanText("cafe\u0301")).toBe("café");
    expect(cleanText("\u0001\u0002\u0003 \u200b")).toBe("");
  });
});
