// How the Chatbot service's parts are built from its configuration: the store, the model, the
// intents (seeded and indexed before the server listens), Redis for sessions, limits and the
// customer cache, and the clients that act as the user towards the bank's services.
import { ConfigError } from "../runtime/config.js";
import { createRateLimiter } from "../runtime/rate-limit.js";
import type { ServiceContext } from "../runtime/service.js";
import { openChatbotStore } from "./chatbot-database.js";
import type { ChatbotConfig } from "./config.js";
import { createConversationService } from "./conversations/conversation-service.js";
import { createDialog } from "./dialog/dialog.js";
import { createSessionStore } from "./dialog/session-store.js";
import { createEmbeddingService } from "./embeddings/embedding-service.js";
import { createSentenceEmbedder, hasModelFiles } from "./embeddings/sentence-embedder.js";
import { createAccountFulfilment } from "./fulfilment/account-fulfilment.js";
import { createBankingClients } from "./fulfilment/banking-clients.js";
import { createCustomerContexts } from "./fulfilment/customer-context.js";
import { createCustomerUpdatesWorker } from "./fulfilment/customer-updates.js";
import { createLoanFulfilment } from "./fulfilment/loan-fulfilment.js";
import { createPaymentFulfilment } from "./fulfilment/payment-fulfilment.js";
import { createIntentCatalog } from "./intents/intent-catalog.js";
import { createIntentService } from "./intents/intent-service.js";
import type { ChatbotDeps } from "./server.js";
import { createMessageAnalysis } from "./understanding/understand.js";

export async function chatbotDependencies(
  ctx: ServiceContext<ChatbotConfig, ChatbotDeps>,
): Promise<ChatbotDeps> {
  const { config, logger } = ctx;
  if (!hasModelFiles(config.EMBEDDING_MODEL_DIR)) {
    throw new ConfigError("chatbot", [
      `EMBEDDING_MODEL_DIR: ${config.EMBEDDING_MODEL_DIR} holds no model.onnx and tokenizer.json; run bash scripts/fetch-embedding-model.sh`,
    ]);
  }
  const store = await openChatbotStore(config.MONGO_URI);
  ctx.onClose(() => store.close());
  const embedder = await createSentenceEmbedder(config.EMBEDDING_MODEL_DIR, {
    workers: config.EMBEDDING_WORKERS,
  });
  ctx.onClose(() => embedder.close());
  const redis = ctx.redis(config.REDIS_URL);
  const limiter = (prefix: string, what: string, limit: number, windowSeconds: number) =>
    createRateLimiter({ redis, logger, prefix, what, rule: { limit, windowMs: windowSeconds * 1000 } });

  const { db } = store;
  const embeddings = createEmbeddingService({
    db,
    embedder,
    limiter: limiter(
      "rl:embed",
      "embedding requests",
      config.EMBEDDING_RATE_LIMIT,
      config.EMBEDDING_RATE_WINDOW_SECONDS,
    ),
  });
  const catalog = createIntentCatalog({
    db,
    embeddings,
    logger,
    refreshIntervalMs: config.INTENT_REFRESH_MS,
  });
  await catalog.load();

  const transports = ctx.provide("transports", () => ({
    account: ctx.transport(config.ACCOUNT_URL),
    transaction: ctx.transport(config.TRANSACTION_URL),
    payment: ctx.transport(config.PAYMENT_URL),
    loan: ctx.transport(config.LOAN_URL),
  }));
  const clients = createBankingClients(transports);
  const timeoutMs = config.DOWNSTREAM_TIMEOUT_MS;
  // A proposed action waits as long as an idle session lives.
  const bank = { clients, timeoutMs, confirmWindowSeconds: config.SESSION_TTL_SECONDS };
  const contexts = createCustomerContexts({
    clients,
    redis,
    logger,
    ttlSeconds: config.CUSTOMER_CONTEXT_TTL_SECONDS,
    timeoutMs,
  });
  const sessions = createSessionStore({ redis, ttlSeconds: config.SESSION_TTL_SECONDS });
  const dialog = createDialog({
    catalog,
    sessions,
    contexts,
    accounts: createAccountFulfilment(bank),
    payments: createPaymentFulfilment(bank),
    loans: createLoanFulfilment(bank),
    logger,
  });
  const conversations = createConversationService({
    db,
    analysis: createMessageAnalysis({ embed: embeddings.embed, catalog, threshold: config.INTENT_THRESHOLD }),
    dialog,
    sessions,
    limiter: limiter(
      "rl:chat",
      "messages in this conversation",
      config.CHAT_RATE_LIMIT,
      config.CHAT_RATE_WINDOW_SECONDS,
    ),
    logger,
  });
  const customerUpdates = config.KAFKA_BROKERS
    ? createCustomerUpdatesWorker({
        brokers: config.KAFKA_BROKERS.split(","),
        groupId: config.KAFKA_GROUP_ID,
        contexts,
        logger,
      })
    : undefined;
  if (!customerUpdates) logger.warn("KAFKA_BROKERS is not set: cached customer contexts only expire");
  return {
    store,
    embedder,
    embeddings,
    catalog,
    sessions,
    contexts,
    transports,
    conversations,
    intents: createIntentService({ db, embeddings, catalog }),
    customerUpdates,
  };
}
