// Pure parts of the replies: which template answers with which values, the one-pass filling that
// never expands a user's braces, and how a failed call to the bank is told apart from a refusal.
import { Code, ConnectError } from "@connectrpc/connect";
import { fillTemplate, placeholdersOf, renderReply } from "../dialog/reply-templates.js";
import { isUnreachable } from "../fulfilment/banking-clients.js";
import { seedIntents } from "../intents/seed-intents.js";

const greeting = seedIntents.find((intent) => intent.name === "greeting")!.responseTemplates;

describe("renderReply", () => {
  it("uses the templates that use the most of the values it has, rotating by turn", () => {
    expect(renderReply(greeting, { first_name: "Ada" }, 0)).toBe(
      "Hello Ada! I'm your banking assistant. How can I help you today?",
    );
    expect(renderReply(greeting, { first_name: "Ada" }, 1)).toMatch(/^Hi Ada! You can ask me/);
    expect(renderReply(greeting, {}, 0)).toBe("Hello! I'm your banking assistant. How can I help you today?");
  });

  it("answers nothing when no template can be filled", () => {
    expect(renderReply(["Your balance is {balance} {currency}."], { balance: "1.00" }, 0)).toBeUndefined();
  });

  it("fills values once: braces inside a value stay as they are", () => {
    expect(fillTemplate("Sent to {to_account}, {amount}.", { to_account: "{amount}", amount: "5.00" })).toBe(
      "Sent to {amount}, 5.00.",
    );
    expect(placeholdersOf("{a} and {b} and {a}, ${c}")).toEqual(["a", "b", "c"]);
  });

  it("has, for every seeded fulfilment, templates its values can fill", () => {
    const transfer = { amount: "1.00", currency: "USD", from_account: "a", to_account: "b", balance: "2.00" };
    const values: Record<string, Record<string, string>> = {
      account_balance: { balances: "- x" },
      recent_transactions: { transactions: "- x" },
      transfer_money: transfer,
      scheduled_payments: { payments: "- x" },
      loan_status: { loans: "- x" },
      loan_payment: { ...transfer, loan_id: "1", outstanding_balance: "9.00" },
      credit_score: { score: "700", band: "good", source: "Experian", computed_on: "2026-01-01" },
    };
    for (const intent of seedIntents) {
      expect([intent.name, renderReply(intent.responseTemplates, values[intent.name] ?? {}, 0)]).not.toEqual([
        intent.name,
        undefined,
      ]);
    }
  });
});

describe("isUnreachable", () => {
  it("tells a service that cannot answer now from one that refused", () => {
    for (const code of [
      Code.Unavailable,
      Code.DeadlineExceeded,
      Code.Unimplemented,
      Code.Internal,
      Code.Canceled,
    ]) {
      expect([Code[code], isUnreachable(new ConnectError("x", code))]).toEqual([Code[code], true]);
    }
    for (const code of [
      Code.NotFound,
      Code.PermissionDenied,
      Code.FailedPrecondition,
      Code.InvalidArgument,
    ]) {
      expect([Code[code], isUnreachable(new ConnectError("x", code))]).toEqual([Code[code], false]);
    }
    expect(isUnreachable(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toBe(
      true,
    );
  });
});
