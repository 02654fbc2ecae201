// The Chatbot service's configuration: environment variables only, checked once at start, frozen.
import { loadConfig, port, url, z } from "../runtime/config.js";

const positiveInt = () => z.coerce.number().int().positive();

/** Reads and validates the Chatbot service's environment; throws ConfigError naming bad variables. */
export function loadChatbotConfig(env: NodeJS.ProcessEnv = process.env) {
  return loadConfig(
    "chatbot",
    {
      /** Where the gRPC server listens; 18106 is the Chatbot service's local port. */
      PORT: port().default(18106),
      HOST: z.string().min(1).default("127.0.0.1"),
      /** The MongoDB database (FerretDB in the local stack); the URI's path names it. */
      MONGO_URI: url("mongodb:", "mongodb+srv:"),
      /** Sessions, the per-conversation rate limit and the customer context cache. */
      REDIS_URL: url("redis:", "rediss:"),
      /** Kafka, for `customer.updated`; without it cached contexts only expire. */
      KAFKA_BROKERS: z.string().min(1).optional(),
      /** The consumer group of `customer.updated`. */
      KAFKA_GROUP_ID: z.string().min(1).default("chatbot"),
      /** The Auth service: its key set verifies access tokens. */
      AUTH_URL: url("http:", "https:"),
      /** The services the bot fulfils requests with, as the user. */
      ACCOUNT_URL: url("http:", "https:"),
      TRANSACTION_URL: url("http:", "https:"),
      PAYMENT_URL: url("http:", "https:"),
      LOAN_URL: url("http:", "https:"),
      /** How long one call to them may take. */
      DOWNSTREAM_TIMEOUT_MS: positiveInt().default(5_000),
      /** The folder holding model.onnx and tokenizer.json (scripts/fetch-embedding-model.sh). */
      EMBEDDING_MODEL_DIR: z.string().min(1),
      /** Threads running the model; one keeps a core for the rest of the service. */
      EMBEDDING_WORKERS: positiveInt().max(16).default(1),
      /** Below this score a message gets the fallback answer (chosen on the training phrases). */
      INTENT_THRESHOLD: z.coerce.number().min(0).max(1).default(0.34),
      /** How often an instance looks for intents changed through another instance. */
      INTENT_REFRESH_MS: positiveInt().default(10_000),
      /** How long an idle session, and a proposed transfer waiting for its yes, live. */
      SESSION_TTL_SECONDS: positiveInt().default(300),
      /** How long a customer's name and account list stay cached (customer.updated drops them sooner). */
      CUSTOMER_CONTEXT_TTL_SECONDS: positiveInt().default(120),
      /** Messages a conversation may send per window (`rl:chat:{conversation_id}`). */
      CHAT_RATE_LIMIT: positiveInt().default(20),
      CHAT_RATE_WINDOW_SECONDS: positiveInt().default(60),
      /** GET /embeddings calls a user may make per window (`rl:embed:{user}`). */
      EMBEDDING_RATE_LIMIT: positiveInt().default(60),
      EMBEDDING_RATE_WINDOW_SECONDS: positiveInt().default(60),
    },
    env,
  );
}

/** The validated configuration of the Chatbot service. */
export type ChatbotConfig = ReturnType<typeof loadChatbotConfig>;
