// The `conversations` and `messages` collections. A conversation's _id is its conversation_id;
// each message carries `seq`, its place in the conversation (turn n is the user's message 2n-1
// and the bot's reply 2n), which orders and pages the history. Data access only.
import type { ChatbotDatabase } from "../chatbot-database.js";
import { withStore } from "../chatbot-database.js";

/** A document of `conversations`. */
export interface StoredConversation {
  _id: string;
  conversation_id: string;
  user_id: bigint;
  started_at: Date;
  /** Set when the user said goodbye; no message is taken after it. */
  ended_at: Date | null;
  /** The client's context, plus intent_detected (the latest intent the bot acted on); {} for none. */
  metadata: Record<string, unknown>;
  /** Messages stored so far (two per turn). */
  message_count: number;
}

/** What the bot understood of a user's message (the contract's three fields, then explanations). */
export interface StoredNlp {
  intent: string;
  entities: Record<string, string>;
  confidence: number;
  /** The best-scoring intent and its score, also when the answer was the fallback. */
  best_intent: string;
  best_score: number;
  reason: string;
}

/** A document of `messages`. */
export interface StoredMessage {
  _id: string;
  message_id: string;
  conversation_id: string;
  seq: number;
  sender_type: "USER" | "BOT";
  message_text: string;
  timestamp: Date;
  /** On USER messages. */
  nlp_metadata?: StoredNlp;
  /** On BOT messages: what the bot asked the bank to do, and the outcome (for the audit). */
  fulfilment?: Record<string, unknown>;
}

export function insertConversation(db: ChatbotDatabase, conversation: StoredConversation): Promise<unknown> {
  return withStore(() => db.conversations.insertOne(conversation));
}

export function findConversation(db: ChatbotDatabase, conversationId: string) {
  return withStore(() => db.conversations.findOne({ _id: conversationId }));
}

/**
 * Takes the next turn of an open conversation (atomically, so concurrent messages get distinct
 * turns) and records the intent acted on; null when the conversation has ended.
 */
export async function takeTurn(
  db: ChatbotDatabase,
  conversationId: string,
  intentDetected: string | null,
): Promise<number | null> {
  const updated = await withStore(() =>
    db.conversations.findOneAndUpdate(
      { _id: conversationId, ended_at: null },
      {
        $inc: { message_count: 2 },
        ...(intentDetected ? { $set: { "metadata.intent_detected": intentDetected } } : {}),
      },
      // No projection: FerretDB's findAndModify does not implement one.
      { returnDocument: "after" },
    ),
  );
  return updated ? updated.message_count / 2 : null;
}

export function insertMessage(db: ChatbotDatabase, message: StoredMessage): Promise<unknown> {
  return withStore(() => db.messages.insertOne(message));
}

export function endConversation(db: ChatbotDatabase, conversationId: string, at: Date): Promise<unknown> {
  return withStore(() =>
    db.conversations.updateOne({ _id: conversationId, ended_at: null }, { $set: { ended_at: at } }),
  );
}

/** Up to `limit` messages of a conversation after `afterSeq`, oldest first. */
export function messagesAfter(
  db: ChatbotDatabase,
  conversationId: string,
  afterSeq: number,
  limit: number,
): Promise<StoredMessage[]> {
  return withStore(() =>
    db.messages
      .find({ conversation_id: conversationId, seq: { $gt: afterSeq } })
      .sort({ seq: 1 })
      .limit(limit)
      .toArray(),
  );
}
