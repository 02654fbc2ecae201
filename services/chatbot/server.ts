// The Chatbot service's routes: ChatbotService, each RPC from its feature's handler. No I/O
// happens here.
import { ChatbotService } from "../../gen/ts/fidalex/chatbot/v1/chatbot_service_pb.js";
import type { BackgroundWorker, ServedRoutes } from "../runtime/service.js";
import type { ChatbotStore } from "./chatbot-database.js";
import { createConversationHandlers } from "./conversations/conversation-handler.js";
import type { ConversationService } from "./conversations/conversation-service.js";
import type { SessionStore } from "./dialog/session-store.js";
import { createEmbeddingHandlers } from "./embeddings/embedding-handler.js";
import type { EmbeddingService } from "./embeddings/embedding-service.js";
import type { SentenceEmbedder } from "./embeddings/sentence-embedder.js";
import type { BankingTransports } from "./fulfilment/banking-clients.js";
import type { CustomerContexts } from "./fulfilment/customer-context.js";
import type { IntentCatalog } from "./intents/intent-catalog.js";
import { createIntentHandlers } from "./intents/intent-handler.js";
import type { IntentService } from "./intents/intent-service.js";

/** What the Chatbot service runs on. */
export interface ChatbotDeps {
  store: ChatbotStore;
  embedder: SentenceEmbedder;
  embeddings: EmbeddingService;
  /** The intents in use; its watcher picks up changes made through other instances. */
  catalog: IntentCatalog;
  sessions: SessionStore;
  contexts: CustomerContexts;
  /** Transports to the Account, Transaction, Payment and Loan services (a test may hand in its own). */
  transports: BankingTransports;
  conversations: ConversationService;
  intents: IntentService;
  /** The `customer.updated` consumer; absent without KAFKA_BROKERS. */
  customerUpdates?: BackgroundWorker;
}

/** The routes of the Chatbot service. */
export function chatbotRoutes(deps: ChatbotDeps): ServedRoutes {
  return {
    services: [ChatbotService],
    routes: (router) =>
      router.service(ChatbotService, {
        ...createConversationHandlers(deps.conversations),
        ...createIntentHandlers(deps.intents),
        ...createEmbeddingHandlers(deps.embeddings),
      }),
  };
}
