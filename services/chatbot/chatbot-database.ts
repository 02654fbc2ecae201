// The Chatbot's MongoDB database (FerretDB in the local stack): its four collections, the indexes
// they need, and how a store failure reaches a client. User ids are int64 in the documents and
// bigint in code (useBigInt64). FerretDB 1.x lacks some of MongoDB (e.g. the $max accumulator,
// TTL indexes); every query here sticks to finds, sorted ranges, $inc, upserts and unique indexes,
// which it implements.
import { Code, ConnectError } from "@connectrpc/connect";
import {
  MongoClient,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  type Collection,
  type Db,
} from "mongodb";
import type { StoredConversation, StoredMessage } from "./conversations/conversation-repository.js";
import type { StoredEmbedding } from "./embeddings/embedding-repository.js";
import type { StoredIntent } from "./intents/intent-repository.js";

/** The collections of the Chatbot service. */
export interface ChatbotDatabase {
  readonly conversations: Collection<StoredConversation>;
  readonly messages: Collection<StoredMessage>;
  readonly intents: Collection<StoredIntent>;
  readonly embeddings: Collection<StoredEmbedding>;
}

/** A connected database and the client to close at shutdown. */
export interface ChatbotStore {
  readonly db: ChatbotDatabase;
  close(): Promise<void>;
}

/** Connects to MONGO_URI (its path names the database) and makes sure the indexes exist. */
export async function openChatbotStore(uri: string): Promise<ChatbotStore> {
  const client = new MongoClient(uri, {
    useBigInt64: true,
    serverSelectionTimeoutMS: 5_000,
    connectTimeoutMS: 5_000,
    maxPoolSize: 20,
  });
  await client.connect();
  try {
    const db = collectionsOf(client.db());
    await Promise.all([
      db.conversations.createIndex({ user_id: 1 }, { name: "idx_conversations_user" }),
      db.messages.createIndex(
        { conversation_id: 1, seq: 1 },
        { name: "idx_messages_conversation_seq", unique: true },
      ),
      db.intents.createIndex({ name: 1 }, { name: "idx_intents_name", unique: true }),
    ]);
    return { db, close: () => client.close() };
  } catch (error) {
    await client.close();
    if (error instanceof MongoServerError && error.code === 11000) {
      throw new ConnectError("the resource already exists", Code.AlreadyExists, undefined, [], error);
    }
    throw error;
  }
}

function collectionsOf(db: Db): ChatbotDatabase {
  return {
    conversations: db.collection<StoredConversation>("conversations"),
    messages: db.collection<StoredMessage>("messages"),
    intents: db.collection<StoredIntent>("intents"),
    embeddings: db.collection<StoredEmbedding>("embeddings"),
  };
}

/**
 * Runs a store operation; when the store cannot be reached the caller gets UNAVAILABLE (safe to
 * retry), a duplicate key ALREADY_EXISTS. Any other failure goes on to the runtime's error
 * translation, which logs it and answers INTERNAL "internal error": FerretDB's messages name
 * tables, SQL states, its backend user and Go source frames, and never reach a client.
 */
export async function withStore<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (
      error instanceof MongoNetworkError ||
      error instanceof MongoServerSelectionError ||
      error instanceof MongoNotConnectedError ||
      error instanceof MongoTopologyClosedError
    ) {
      throw new ConnectError(
        "the chat store is unavailable; retry later",
        Code.Unavailable,
        undefined,
        [],
        error,
      );
    }
    if (error instanceof MongoServerError && error.code === 11000) {
      throw new ConnectError("the resource already exists", Code.AlreadyExists, undefined, [], error);
    }
    throw error;
  }
}
