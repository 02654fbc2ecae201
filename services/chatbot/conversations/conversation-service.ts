// The rules of conversations: a conversation belongs to the user who started it; only that user
// sends messages into it, and only that user or staff read it. Permission is checked before
// existence: a user gets the same PERMISSION_DENIED for someone else's conversation as for an id
// that does not exist. Each message is cleaned, rate-limited per conversation
// (`rl:chat:{conversation_id}`), understood, stored with its nlp_metadata, answered and the answer
// stored. Also the one place where stored documents become the contract's messages.
import { randomBytes } from "node:crypto";
import { create, type JsonObject } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { ConversationSchema, type Conversation } from "../../../gen/ts/fidalex/chatbot/v1/conversation_pb.js";
import {
  ChatMessageSchema,
  NlpMetadataSchema,
  SenderType,
  type ChatMessage,
} from "../../../gen/ts/fidalex/chatbot/v1/message_pb.js";
import { isStaff, permissionDenied } from "../../runtime/access.js";
import type { Principal } from "../../runtime/auth.js";
import { domainError, invalidArgument } from "../../runtime/errors.js";
import type { Logger } from "../../runtime/logger.js";
import { fetchPage, tokenPatterns, type Page, type PageRequest } from "../../runtime/pagination.js";
import type { RateLimiter } from "../../runtime/rate-limit.js";
import type { ChatbotDatabase } from "../chatbot-database.js";
import type { Dialog } from "../dialog/dialog.js";
import type { SessionStore } from "../dialog/session-store.js";
import type { Caller } from "../fulfilment/banking-clients.js";
import { fallbackIntent } from "../intents/intent-index.js";
import { readableText } from "../understanding/message-text.js";
import type { MessageAnalysis, Understanding } from "../understanding/understand.js";
import {
  endConversation,
  findConversation,
  insertConversation,
  insertMessage,
  messagesAfter,
  takeTurn,
  type StoredConversation,
  type StoredMessage,
  type StoredNlp,
} from "./conversation-repository.js";

/** The conversations' RPCs. */
export interface ConversationService {
  start(principal: Principal, metadata: JsonObject | undefined): Promise<StoredConversation>;
  send(
    caller: Caller,
    conversationId: string,
    text: string,
  ): Promise<{ user: StoredMessage; bot: StoredMessage }>;
  messages(principal: Principal, conversationId: string, page: PageRequest): Promise<Page<StoredMessage>>;
}

/** The largest client metadata a conversation keeps, as JSON. */
const maxMetadataBytes = 4096;

export function createConversationService(deps: {
  db: ChatbotDatabase;
  analysis: MessageAnalysis;
  dialog: Dialog;
  sessions: SessionStore;
  limiter: RateLimiter;
  logger: Logger;
}): ConversationService {
  const { db } = deps;

  // The conversation, if the principal may reach it: its user, or staff reading (never writing).
  const reachable = async (principal: Principal, conversationId: string, staffMayRead: boolean) => {
    const conversation = await findConversation(db, conversationId);
    if (!conversation) {
      if (isStaff(principal))
        throw domainError(Code.NotFound, "CONVERSATION_NOT_FOUND", "no conversation has this id");
      throw permissionDenied("conversation");
    }
    if (conversation.user_id !== principal.userId && !(staffMayRead && isStaff(principal))) {
      throw permissionDenied("conversation");
    }
    return conversation;
  };

  return {
    async start(principal, metadata) {
      if (principal.userId <= 0n) throw permissionDenied("conversation");
      const conversationId = `conv-${randomBytes(16).toString("base64url")}`;
      const conversation: StoredConversation = {
        _id: conversationId,
        conversation_id: conversationId,
        user_id: principal.userId,
        started_at: new Date(),
        ended_at: null,
        metadata: checkedMetadata(metadata),
        message_count: 0,
      };
      await insertConversation(db, conversation);
      return conversation;
    },

    async send(caller, conversationId, rawText) {
      const text = readableText("message_text", rawText);
      const conversation = await reachable(caller.principal, conversationId, false);
      if (conversation.ended_at) throw conversationEnded();
      await deps.limiter.enforce(conversationId);
      const session = await deps.sessions.load(conversationId).catch((err: unknown) => {
        deps.logger.warn({ err }, "session unavailable: Redis cannot be reached (retryable)");
        return null;
      });
      const understanding = await deps.analysis.analyse(text, {
        awaitingConfirmation: session?.pending !== undefined,
        now: new Date(),
      });
      const turn = await takeTurn(
        db,
        conversationId,
        understanding.intent === fallbackIntent ? null : understanding.intent,
      );
      if (turn === null) throw conversationEnded();
      const user: StoredMessage = {
        _id: newMessageId(),
        message_id: "",
        conversation_id: conversationId,
        seq: 2 * turn - 1,
        sender_type: "USER",
        message_text: text,
        timestamp: new Date(),
        nlp_metadata: storedNlp(understanding),
      };
      user.message_id = user._id;
      await insertMessage(db, user);

      const answer = await deps.dialog.respond({ caller, conversationId, turn, understanding, session });
      const bot: StoredMessage = {
        _id: newMessageId(),
        message_id: "",
        conversation_id: conversationId,
        seq: 2 * turn,
        sender_type: "BOT",
        message_text: answer.text,
        timestamp: new Date(),
        ...(answer.record ? { fulfilment: answer.record } : {}),
      };
      bot.message_id = bot._id;
      await insertMessage(db, bot);
      if (answer.endConversation) await endConversation(db, conversationId, bot.timestamp);
      return { user, bot };
    },

    async messages(principal, conversationId, page) {
      await reachable(principal, conversationId, true);
      return fetchPage(
        page,
        { seq: tokenPatterns.integer },
        (after, limit) => messagesAfter(db, conversationId, after ? Number(after.seq) : 0, limit),
        (message) => ({ seq: String(message.seq) }),
      );
    },
  };
}

function conversationEnded() {
  return domainError(
    Code.FailedPrecondition,
    "CONVERSATION_ENDED",
    "the conversation has ended; start a new one",
  );
}

function newMessageId(): string {
  return `msg-${randomBytes(12).toString("base64url")}`;
}

/**
 * The client's metadata as stored: a JSON object of at most 4 KB whose keys the store accepts
 * (no "$" at the start, no ".", no NUL anywhere, which PostgreSQL under FerretDB cannot hold).
 */
function checkedMetadata(metadata: JsonObject | undefined): Record<string, unknown> {
  if (!metadata) return {};
  const problems: string[] = [];
  const visit = (value: unknown, path: string) => {
    if (typeof value === "string" && value.includes("\u0000")) problems.push(`${path} holds a NUL character`);
    if (Array.isArray(value)) value.forEach((item, i) => visit(item, `${path}[${i}]`));
    else if (value !== null && typeof value === "object") {
      for (const [key, inner] of Object.entries(value)) {
        if (key === "" || key.startsWith("$") || key.includes(".") || key.includes("\u0000"))
          problems.push(`${path} has the key ${JSON.stringify(key)}`);
        visit(inner, `${path}.${key}`);
      }
    }
  };
  visit(metadata, "metadata");
  if (Buffer.byteLength(JSON.stringify(metadata)) > maxMetadataBytes) {
    problems.push(`metadata is larger than ${maxMetadataBytes} bytes`);
  }
  if (problems.length > 0) {
    throw invalidArgument([
      {
        field: "metadata",
        description: `keys must not be empty, start with "$" or contain "."; ${problems.join("; ")}`,
      },
    ]);
  }
  return metadata;
}

/** What is stored of an understanding: the contract's fields, then how the intent was decided. */
function storedNlp(understanding: Understanding): StoredNlp {
  const recognised = understanding.decision.reason !== "below_threshold";
  return {
    // Below the threshold no intent was recognised: the contract's empty intent and zero confidence.
    intent: recognised ? understanding.intent : "",
    entities: understanding.entities,
    confidence: recognised ? understanding.confidence : 0,
    best_intent: understanding.decision.best,
    best_score: understanding.decision.score,
    reason: understanding.decision.reason,
  };
}

/** A stored conversation as the contract's Conversation. */
export function toConversationMessage(conversation: StoredConversation): Conversation {
  return create(ConversationSchema, {
    conversationId: conversation.conversation_id,
    userId: conversation.user_id,
    startedAt: timestampFromDate(conversation.started_at),
    endedAt: conversation.ended_at ? timestampFromDate(conversation.ended_at) : undefined,
    metadata:
      Object.keys(conversation.metadata).length > 0 ? (conversation.metadata as JsonObject) : undefined,
  });
}

/** A stored message as the contract's ChatMessage (nlp_metadata only on USER messages). */
export function toChatMessage(message: StoredMessage): ChatMessage {
  return create(ChatMessageSchema, {
    messageId: message.message_id,
    conversationId: message.conversation_id,
    senderType: message.sender_type === "USER" ? SenderType.USER : SenderType.BOT,
    messageText: message.message_text,
    timestamp: timestampFromDate(message.timestamp),
    nlpMetadata: message.nlp_metadata
      ? create(NlpMetadataSchema, {
          intent: message.nlp_metadata.intent,
          entities: message.nlp_metadata.entities,
          confidence: message.nlp_metadata.confidence,
        })
      : undefined,
  });
}
