// The Chatbot through Envoy, as a banking app uses it: real users signed in through the edge chat
// over REST/JSON about their real balance, transfer money with a confirmation and see the balance
// change; another user cannot read the conversation, customers cannot change intents, a chatty
// conversation gets 429, and GET /embeddings/{text} answers the model's vector.
//
// Until the stack runs the Chatbot itself, this test starts it on the Chatbot's port (18106, where
// Envoy's `chatbot` cluster points) against the stack's Auth, Account and Transaction services;
// when something already serves that port, it is used as it is.
import { randomUUID } from "node:crypto";
import { jest } from "@jest/globals";
import { start } from "../../services/chatbot/main.js";
import { ensureEmbeddingModel } from "../../services/chatbot/test/support/model.js";
import { rest } from "../support/edge.js";
import { eventually } from "../support/eventually.js";
import { stackVar } from "../support/stack.js";

jest.setTimeout(180_000);

const run = randomUUID().slice(0, 8);
const host = "http://127.0.0.1";

interface User {
  token: string;
  customerId: string;
  accounts: { checking: string; savings: string };
}

let stopChatbot: (() => Promise<void>) | undefined;
let admin: string;
let ada: User;
let eve: User;

/** Starts the Chatbot on its port unless something serves it already. */
async function startChatbotOnItsPort() {
  try {
    const running = await start({
      port: Number(stackVar("FIDALEX_CHATBOT_PORT")),
      env: {
        HOST: "127.0.0.1",
        LOG_LEVEL: "silent",
        MONGO_URI: stackVar("MONGO_URI"),
        REDIS_URL: stackVar("REDIS_URL"),
        KAFKA_BROKERS: stackVar("KAFKA_BROKERS"),
        KAFKA_GROUP_ID: `chatbot-e2e-${run}`,
        AUTH_URL: `${host}:${stackVar("FIDALEX_AUTH_PORT")}`,
        ACCOUNT_URL: `${host}:${stackVar("FIDALEX_ACCOUNT_PORT")}`,
        TRANSACTION_URL: `${host}:${stackVar("FIDALEX_TRANSACTION_PORT")}`,
        PAYMENT_URL: `${host}:${stackVar("FIDALEX_PAYMENT_PORT")}`,
        LOAN_URL: `${host}:${stackVar("FIDALEX_LOAN_PORT")}`,
        EMBEDDING_MODEL_DIR: ensureEmbeddingModel(),
      },
    });
    stopChatbot = () => running.close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EADDRINUSE") throw error;
  }
}

/** Registers a user, creates and verifies their customer, opens checking and savings accounts. */
async function onboard(name: string): Promise<User> {
  const username = `${name}_${run}`;
  const password = `Correct-Horse-${run}-9`;
  const post = async (path: string, body: unknown, token?: string) => {
    const res = await rest("POST", path, { body, token });
    expect([path, res.status]).toEqual([path, 200]);
    return res.body;
  };
  await post("/auth/register", {
    username,
    email: `${username}@example.com`,
    password,
    fullName: `${name} ${run}`,
  });
  const login = await post("/auth/login", { username, password });
  const customer = await post(
    "/customers",
    {
      firstName: name,
      lastName: `Lovelace ${run}`,
      dateOfBirth: "1990-12-10",
      address: { line1: "1 Analytical Way", city: "London", country: "GB" },
    },
    login.tokens.accessToken,
  );
  const customerId: string = customer.customer.customerId;
  await post(
    `/customers/${customerId}/kyc`,
    { decision: "KYC_STATUS_VERIFIED", comment: "passport checked", documents: ["passport"] },
    admin,
  );
  // The next access token carries the customer (cid).
  const token: string = (await post("/auth/refresh", { refreshToken: login.tokens.refreshToken })).tokens
    .accessToken;
  const open = async (accountType: string) =>
    (await post("/accounts", { customerId, accountType, currency: "USD", branchId: 1 }, token)).account
      .accountId as string;
  return {
    token,
    customerId,
    accounts: { checking: await open("ACCOUNT_TYPE_CHECKING"), savings: await open("ACCOUNT_TYPE_SAVINGS") },
  };
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

const balanceOf = async (token: string, accountId: string) =>
  (await rest("GET", `/accounts/${accountId}/balance`, { token })).body.accountBalance.balance as string;

beforeAll(async () => {
  await startChatbotOnItsPort();
  const login = await rest("POST", "/auth/login", {
    body: { username: stackVar("BOOTSTRAP_ADMIN_USERNAME"), password: stackVar("BOOTSTRAP_ADMIN_PASSWORD") },
  });
  admin = login.body.tokens.accessToken;
  ada = await onboard("Ada");
  eve = await onboard("Eve");
  const deposit = await rest("POST", "/transactions/deposit", {
    token: admin,
    body: {
      accountId: ada.accounts.checking,
      amount: "500.00",
      currency: "USD",
      idempotencyKey: `chat-e2e-${run}`,
    },
  });
  expect(deposit.status).toBe(200);
  // Envoy health-checks the chatbot cluster every 5 s; wait until it routes to the service.
  await eventually(
    "Envoy to route to the Chatbot",
    async () =>
      (await rest("POST", "/chat/start", { token: ada.token, body: {} })).status === 200 ? true : undefined,
    { timeoutMs: 30_000, intervalMs: 500 },
  );
});

afterAll(async () => {
  await stopChatbot?.();
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
    expect(await balanceOf(ada.token, ada.accounts.checking)).toBe("500.00");
    expect(await reply(ada.token, conversation, "yes")).toContain("374.50 USD");
    expect(await reply(ada.token, conversation, "yes")).toMatch(/nothing waiting/);
    expect(await balanceOf(ada.token, ada.accounts.checking)).toBe("374.50");
    expect(await balanceOf(ada.token, ada.accounts.savings)).toBe("125.50");

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
    const asStaff = await rest("POST", "/intents", { token: admin, body: same });
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
