// The Chatbot through Envoy, as a banking app uses it: real users signed in through the edge chat
// over REST/JSON about their real balance, transfer money with a confirmation and see the balance
// change; another user cannot read the conversation, customers cannot change intents, a chatty
// conversation gets 429, and GET /embeddings/{text} answers the model's vector. With the stack's
// Loan & Credit and Payment services: where a loan stands, the credit score, a loan payment made
// only on "yes", and a scheduled payment.
import { randomUUID } from "node:crypto";
import { jest } from "@jest/globals";
import { rest } from "../support/edge.js";
import { eventually } from "../support/eventually.js";
import {
  balanceOf,
  creditworthyCustomer,
  deposit,
  loginAdmin,
  onboard,
  openAccount,
  type Borrower,
  type User,
} from "../support/onboarding.js";

jest.setTimeout(180_000);

const run = randomUUID().slice(0, 8);

interface Customer {
  token: string;
  customerId: string;
  accounts: { checking: string; savings: string };
}

let admin: User;
let ada: Customer;
let eve: Customer;

/** A KYC-verified customer with a checking and a savings account. */
async function customer(name: string): Promise<Customer> {
  const { user, customerId, accountIds } = await onboard(name, run, admin, 1);
  const savings = await openAccount(user, customerId, "ACCOUNT_TYPE_SAVINGS");
  return { token: user.token, customerId, accounts: { checking: accountIds[0]!, savings } };
}

const chat = (token: string, conversationId: string, messageText: string) =>
  rest("POST", "/chat/message", { token, body: { conversationId, messageText } });

async function reply(token: string, conversationId: string, messageText: string): Promise<string> {
  const res = await chat(token, conversationId, messageText);
  expect(res.status).toBe(200);
  return res.body.botMessage.messageText;
}

async function newConversation(token: string): Promise<string> {
  const res = await rest("POST", "/chat/start", { token, body: { metadata: { device: "e2e" } } });
  expect(res.status).toBe(200);
  return res.body.conversation.conversationId;
}

beforeAll(async () => {
  admin = await loginAdmin();
  ada = await customer("Ada");
  eve = await customer("Eve");
  await deposit(admin, ada.accounts.checking, "500.00", `chat-e2e-${run}`);
  // Envoy health-checks the chatbot cluster every 5 s; wait until it routes to the service.
  await eventually(
    "Envoy to route to the Chatbot",
    async () =>
      (await rest("POST", "/chat/start", { token: ada.token, body: {} })).status === 200 ? true : undefined,
    { timeoutMs: 30_000, intervalMs: 500 },
  );
});

describe("the Chatbot through Envoy", () => {
  it("answers the real balance, transfers only after yes, once, and the balance changes", async () => {
    const conversation = await newConversation(ada.token);
    const balance = await chat(ada.token, conversation, "what's my checking account balance?");
    expect(balance.status).toBe(200);
    expect(balance.body.userMessage.nlpMetadata).toMatchObject({
      intent: "account_balance",
      entities: { account_type: "checking" },
    });
    expect(balance.body.botMessage.messageText).toContain("500.00 USD");

    expect(await reply(ada.token, conversation, "transfer 125.50 dollars to my savings")).toMatch(
      /Reply yes to confirm/,
    );
    expect(await balanceOf(ada, ada.accounts.checking)).toBe("500.00");
    expect(await reply(ada.token, conversation, "yes")).toContain("374.50 USD");
    expect(await reply(ada.token, conversation, "yes")).toMatch(/nothing waiting/);
    expect(await balanceOf(ada, ada.accounts.checking)).toBe("374.50");
    expect(await balanceOf(ada, ada.accounts.savings)).toBe("125.50");

    const history = await rest("GET", `/chat/${conversation}/messages?pageSize=50`, { token: ada.token });
    expect(history.status).toBe(200);
    expect(history.body.messages).toHaveLength(8);
    expect(history.body.messages[4].nlpMetadata.intent).toBe("confirm");
  });

  it("keeps conversations to their users and intents to staff", async () => {
    const conversation = await newConversation(ada.token);
    await reply(ada.token, conversation, "hello");
    expect((await rest("GET", `/chat/${conversation}/messages`, { token: eve.token })).status).toBe(403);
    expect((await chat(eve.token, conversation, "what's my balance")).status).toBe(403);
    expect((await rest("GET", `/chat/${conversation}/messages`)).status).toBe(401);
    expect((await chat(eve.token, conversation, "")).status).toBe(400);

    const intents = await rest("GET", "/intents?pageSize=100", { token: eve.token });
    expect(intents.status).toBe(200);
    const fallback = intents.body.intents.find((i: { name: string }) => i.name === "fallback");
    const same = {
      name: "fallback",
      trainingPhrases: fallback.trainingPhrases,
      responseTemplates: fallback.responseTemplates,
    };
    expect((await rest("POST", "/intents", { token: eve.token, body: same })).status).toBe(403);
    const asStaff = await rest("POST", "/intents", { token: admin.token, body: same });
    expect(asStaff.status).toBe(200);
    expect(asStaff.body).toMatchObject({ created: false, intent: { name: "fallback" } });
  });

  it("answers 429 to a conversation that sends too fast", async () => {
    const conversation = await newConversation(eve.token);
    let status = 200;
    let body: Record<string, any> = {};
    for (let i = 0; i < 40 && status === 200; i++)
      ({ status, body } = await chat(eve.token, conversation, "hi"));
    expect(status).toBe(429);
    expect(body.code).toBe(8);
    expect(JSON.stringify(body.details)).toContain("RATE_LIMITED");
  });

  it("returns the embedding of a text", async () => {
    const res = await rest("GET", `/embeddings/${encodeURIComponent("how much money do I have")}`, {
      token: eve.token,
    });
    expect(res.status).toBe(200);
    expect(res.body.embedding).toMatchObject({
      text: "how much money do I have",
      model: "all-MiniLM-L6-v2-q",
      dimensions: 384,
    });
    expect(res.body.embedding.vector).toHaveLength(384);
  });
});

describe("the Chatbot about loans, the credit score and scheduled payments", () => {
  let lena: Borrower;
  let loanId: string;

  beforeAll(async () => {
    lena = await creditworthyCustomer(admin, run);
    const applied = await rest("POST", "/loans/apply", {
      token: lena.token,
      body: {
        customerId: lena.customerId,
        amountRequested: "5000.00",
        currency: "USD",
        termMonths: 24,
        purpose: "car",
        disbursementAccountId: lena.accountId,
      },
    });
    expect(applied.status).toBe(200);
    loanId = applied.body.loanApplication.loanId;
    expect(await balanceOf(lena, lena.accountId)).toBe("8000.00");
  });

  it("tells where the loan stands and reads the credit score", async () => {
    const conversation = await newConversation(lena.token);
    const status = await reply(lena.token, conversation, "what's my loan status");
    expect(status).toContain(`Loan ${loanId} (car): 5000.00 USD outstanding`);
    expect(status).toMatch(/next installment \d+\.\d{2} USD due \d{4}-\d{2}-\d{2}/);

    const score = await rest("GET", `/creditscore/${lena.customerId}`, { token: lena.token });
    expect(score.status).toBe(200);
    expect(await reply(lena.token, conversation, "what is my credit score")).toContain(
      String(score.body.creditScore.score),
    );
  });

  it("pays towards the loan only after yes, and once", async () => {
    const conversation = await newConversation(lena.token);
    expect(
      await reply(lena.token, conversation, "pay 100 dollars on my loan from my checking account"),
    ).toMatch(new RegExp(`pay 100.00 USD towards loan ${loanId} .*Reply yes to confirm`, "s"));
    expect(await balanceOf(lena, lena.accountId)).toBe("8000.00");
    expect(await reply(lena.token, conversation, "yes")).toContain("100.00 USD");
    expect(await reply(lena.token, conversation, "yes")).toMatch(/nothing waiting/);
    expect(await balanceOf(lena, lena.accountId)).toBe("7900.00");
    const loan = await rest("GET", `/loans/${loanId}`, { token: lena.token });
    expect(Number(loan.body.loan.outstandingBalance)).toBeLessThan(5000);

    // More than is left on the loan: the refusal is read out and nothing moves.
    await reply(lena.token, conversation, "pay 9000 dollars on my loan from my checking account");
    expect(await reply(lena.token, conversation, "yes")).toMatch(/more than what is left to pay/);
    expect(await balanceOf(lena, lena.accountId)).toBe("7900.00");
  });

  it("lists a daily scheduled payment once it has run", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const scheduled = await rest("POST", "/payments/schedule", {
      token: lena.token,
      body: {
        accountId: lena.accountId,
        amount: "5.00",
        currency: "USD",
        frequency: "PAYMENT_FREQUENCY_DAILY",
        nextRunDate: today,
        paymentMethod: "PAYMENT_METHOD_CARD",
        beneficiary: { name: "Acme Utilities", accountNumber: "000123456789", bankCode: "021000021" },
        idempotencyKey: `chat-schedule-${run}`,
      },
    });
    expect(scheduled.status).toBe(200);
    const scheduleId = scheduled.body.scheduledPayment.scheduleId;
    const next = await eventually("the schedule's first run", async () => {
      const read = await rest("GET", `/payments/scheduled/${scheduleId}`, { token: lena.token });
      return read.body.scheduledPayment.nextRunDate > today
        ? read.body.scheduledPayment.nextRunDate
        : undefined;
    });
    const conversation = await newConversation(lena.token);
    expect(await reply(lena.token, conversation, "show my scheduled payments")).toContain(
      `${next}: 5.00 USD to Acme Utilities (daily)`,
    );
  });
});
