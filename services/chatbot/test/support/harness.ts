// Test harness of the Chatbot service: the real Account and Transaction services and the Chatbot
// itself, all in process on port 0 (test/support/service-harness.ts), over the stack's databases,
// Redis, Kafka and FerretDB. One test signing key signs every token: users' tokens carry their
// customer as `cid`, and the Chatbot forwards them unchanged to the services it calls. Each
// harness gets a MongoDB database of its own (dropped at close), so tests never see each other's
// intents or conversations. The Payment and Loan services do not exist yet: by default their URLs
// point where nothing listens.
import { randomInt } from "node:crypto";
import type { Client } from "@connectrpc/connect";
import { MongoClient } from "mongodb";
import { AccountType } from "../../../../gen/ts/fidalex/account/v1/account_pb.js";
import { AccountService } from "../../../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { KycStatus } from "../../../../gen/ts/fidalex/account/v1/customer_pb.js";
import { CustomerService } from "../../../../gen/ts/fidalex/account/v1/customer_service_pb.js";
import { ChatbotService } from "../../../../gen/ts/fidalex/chatbot/v1/chatbot_service_pb.js";
import { TransactionService } from "../../../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { accountService } from "../../../account/main.js";
import type { RunningService } from "../../../runtime/service.js";
import { transactionService } from "../../../transaction/main.js";
import { callerTransport, clientsOf, startTestService } from "../../../../test/support/service-harness.js";
import { stackVar } from "../../../../test/support/stack.js";
import { createTestSigner, type TestClaims, type TestSigner } from "../../../../test/support/test-tokens.js";
import type { ChatbotConfig } from "../../config.js";
import { chatbotService } from "../../main.js";
import type { ChatbotDeps } from "../../server.js";
import { ensureEmbeddingModel } from "./model.js";

export { expectRefusal } from "../../../../test/support/test-tokens.js";

/** A person the tests chat as: their token's user, customer and clients. */
export interface ChatUser {
  userId: bigint;
  customerId?: bigint;
  /** The authorization header value. */
  bearer: string;
  chat: Client<typeof ChatbotService>;
  accounts: Client<typeof AccountService>;
  customers: Client<typeof CustomerService>;
}

/** A running Chatbot service and what a test needs around it. */
export interface ChatbotInstance {
  readonly service: RunningService<ChatbotConfig, ChatbotDeps>;
  /** A client of this instance for the given user. */
  chatAs(user: ChatUser): Client<typeof ChatbotService>;
  close(): Promise<void>;
}

export interface Harness {
  readonly runId: string;
  readonly signer: TestSigner;
  readonly chatbot: ChatbotInstance;
  /** The MongoDB database the Chatbot instances of this harness share. */
  readonly mongo: MongoClient;
  readonly accountUrl: string;
  readonly transactionUrl: string;
  /** Another Chatbot instance over the same stores, with other settings. */
  startChatbot(env?: Record<string, string>): Promise<ChatbotInstance>;
  /** A KYC-verified customer with a user whose token carries it, and their clients. */
  newCustomer(firstName?: string): Promise<ChatUser>;
  /** A user without a customer record. */
  newUser(roles?: TestClaims["roles"]): Promise<ChatUser>;
  /** Staff (TELLER). */
  staff(): Promise<ChatUser>;
  /** Opens an ACTIVE account for the customer and returns its id and number. */
  newAccount(
    customerId: bigint,
    type?: "checking" | "savings",
    currency?: string,
  ): Promise<{ accountId: bigint; accountNumber: string }>;
  /** Deposits money (as a teller). */
  fund(accountId: bigint, amount: string, currency?: string): Promise<void>;
  balance(accountId: bigint): Promise<string>;
  /** Stops the Transaction service (calls to it fail); the returned function starts it again. */
  stopTransaction(): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** Settings of the harness's Chatbot. */
export interface HarnessOptions {
  /** Extra environment of the Chatbot (SESSION_TTL_SECONDS, CHAT_RATE_LIMIT, …). */
  env?: Record<string, string>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const signer = await createTestSigner();
  const runId = `${Date.now().toString(36)}${randomInt(1_000_000).toString(36)}`;
  const modelDir = ensureEmbeddingModel();

  const account = await startTestService(accountService, {
    env: {
      DATABASE_URL: stackVar("ACCOUNT_DATABASE_URL"),
      SERVICE_CLIENT_ID: "account",
      SERVICE_CLIENT_SECRET: "account-test-client-secret",
      CUSTOMER_LINK_RETRY_MS: "3600000",
    },
    signer,
    overrides: { customerLinks: { linkCustomer: async () => {} } },
  });
  const startTransaction = (port?: number) =>
    startTestService(transactionService, {
      env: {
        DATABASE_URL: stackVar("TRANSACTION_DATABASE_URL"),
        REDIS_URL: stackVar("REDIS_URL"),
        ACCOUNT_URL: account.url,
        SERVICE_CLIENT_ID: "transaction",
        SERVICE_CLIENT_SECRET: "transaction-test-client-secret",
        RECOVERY_INTERVAL_MS: "3600000",
      },
      signer,
      port,
    });
  let transaction: Awaited<ReturnType<typeof startTransaction>> | undefined = await startTransaction();
  const transactionPort = transaction.port;
  const transactionUrl = transaction.url;

  // A database of this run's own on the stack's FerretDB.
  const mongoUri = stackVar("MONGO_URI").replace(/\/chatbot\?/, `/chatbot_test_${runId}?`);
  const mongo = new MongoClient(mongoUri, { useBigInt64: true });
  await mongo.connect();

  // Each instance reads `customer.updated` in a group of its own, so that starting a second one
  // does not make the first wait for a rebalance.
  let instances = 0;
  const startChatbot = async (env: Record<string, string> = {}): Promise<ChatbotInstance> => {
    const service = await startTestService(chatbotService, {
      env: {
        MONGO_URI: mongoUri,
        REDIS_URL: stackVar("REDIS_URL"),
        KAFKA_BROKERS: stackVar("KAFKA_BROKERS"),
        KAFKA_GROUP_ID: `chatbot-test-${runId}-${++instances}`,
        ACCOUNT_URL: account.url,
        TRANSACTION_URL: transactionUrl,
        PAYMENT_URL: "http://127.0.0.1:9",
        LOAN_URL: "http://127.0.0.1:9",
        DOWNSTREAM_TIMEOUT_MS: "3000",
        EMBEDDING_MODEL_DIR: modelDir,
        ...options.env,
        ...env,
      },
      signer,
    });
    return {
      service,
      chatAs: (user) => clientsOf(callerTransport(service.url, user.bearer), { chat: ChatbotService }).chat,
      close: () => service.close(),
    };
  };
  const chatbot = await startChatbot();

  let seq = 0;
  const userBase = 7_000_000 + randomInt(1_000_000_000);
  const userFor = async (claims: TestClaims): Promise<ChatUser> => {
    const bearer = await signer.bearer(claims, { expiresIn: "30m" });
    return {
      userId: BigInt(claims.sub),
      customerId: claims.cid === undefined ? undefined : BigInt(claims.cid),
      bearer,
      ...clientsOf(callerTransport(chatbot.service.url, bearer), { chat: ChatbotService }),
      ...clientsOf(callerTransport(account.url, bearer), {
        accounts: AccountService,
        customers: CustomerService,
      }),
    };
  };
  const teller = await userFor({ sub: String(userBase), roles: ["TELLER"] });
  const tellerTransactions = clientsOf(callerTransport(transactionUrl, teller.bearer), {
    transactions: TransactionService,
  }).transactions;

  return {
    runId,
    signer,
    chatbot,
    mongo,
    accountUrl: account.url,
    transactionUrl,
    startChatbot,
    async newCustomer(firstName = "Ada") {
      const { customer } = await teller.customers.createCustomer({
        firstName,
        lastName: `Lovelace-${runId}`,
        dateOfBirth: "1990-12-10",
        email: `${firstName.toLowerCase()}.${runId}.${++seq}@example.com`,
        address: { line1: "1 Analytical Way", city: "London", country: "GB" },
      });
      const customerId = customer!.customerId;
      await teller.customers.verifyCustomerKyc({
        customerId,
        decision: KycStatus.VERIFIED,
        comment: "passport checked",
        documents: ["passport"],
      });
      return userFor({ sub: String(userBase + ++seq), roles: ["CUSTOMER"], cid: customerId });
    },
    newUser: (roles = ["CUSTOMER"]) => userFor({ sub: String(userBase + ++seq), roles }),
    staff: () => userFor({ sub: String(userBase + ++seq), roles: ["TELLER"] }),
    async newAccount(customerId, type = "checking", currency = "USD") {
      const { account: opened } = await teller.accounts.openAccount({
        customerId,
        accountType: type === "checking" ? AccountType.CHECKING : AccountType.SAVINGS,
        currency,
        branchId: 1,
      });
      return { accountId: opened!.accountId, accountNumber: opened!.accountNumber };
    },
    async fund(accountId, amount, currency = "USD") {
      await tellerTransactions.deposit({
        accountId,
        amount,
        currency,
        description: "opening deposit",
        idempotencyKey: `chat-fund-${runId}-${++seq}`,
      });
    },
    async balance(accountId) {
      const { accountBalance } = await teller.accounts.getAccountBalance({ accountId });
      return accountBalance!.balance;
    },
    async stopTransaction() {
      await transaction?.close();
      transaction = undefined;
      return async () => {
        transaction ??= await startTransaction(transactionPort);
      };
    },
    async close() {
      await chatbot.close();
      await mongo
        .db()
        .dropDatabase()
        .catch(() => undefined);
      await mongo.close();
      await transaction?.close();
      await account.close();
    },
  };
}

/**
 * Starts a harness before a test file's tests and closes it after them. The harness is reached
 * through the returned object once the tests run.
 */
export function useHarness(options?: HarnessOptions): Harness {
  let harness: Harness | undefined;
  beforeAll(async () => {
    harness = await startHarness(options);
  }, 120_000);
  afterAll(async () => {
    await harness?.close();
  });
  return new Proxy({} as Harness, {
    get(_, key) {
      if (!harness) throw new Error("the harness is used before beforeAll started it");
      return harness[key as keyof Harness];
    },
  });
}

/** Sends a message and returns the bot's reply text. */
export async function say(
  chat: Client<typeof ChatbotService>,
  conversationId: string,
  text: string,
): Promise<string> {
  const { botMessage } = await chat.sendMessage({ conversationId, messageText: text });
  return botMessage!.messageText;
}

/** Starts a conversation and returns its id. */
export async function startConversation(chat: Client<typeof ChatbotService>): Promise<string> {
  const { conversation } = await chat.startConversation({ metadata: { device: "test" } });
  return conversation!.conversationId;
}
