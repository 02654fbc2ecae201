// A conversation's short-term memory in Redis, `session:{conversation_id}`: a hash whose fields
// hold JSON. `pending` is an action waiting for the user's yes (a transfer or a loan payment),
// `awaiting` a request still missing an entity ("how much?"). Every write renews the key's TTL,
// so a conversation left idle forgets both; a pending action also carries its own deadline, so a
// "yes" long after the question never executes it, however chatty the conversation was since.
//
// Taking the pending action is one atomic step (read and delete in a Lua script): of two "yes"
// messages racing, one gets the action and the other finds nothing. The action's idempotency key
// is bound to the conversation and the turn that proposed it, so even a retried execution moves
// money once.
import type { Redis } from "ioredis";

/** An action that moves money, proposed to the user and waiting for an explicit yes. */
export interface PendingAction {
  kind: "TRANSFER" | "LOAN_PAYMENT";
  /** `chat-{conversation_id}-{turn}`: the turn that proposed it. */
  idempotencyKey: string;
  /** Milliseconds since the epoch after which a yes no longer executes it. */
  expiresAt: number;
  amount: string;
  currency: string;
  fromAccountId: string;
  /** Where the money goes: an account id (TRANSFER). */
  toAccountId?: string;
  /** The loan paid (LOAN_PAYMENT). */
  loanId?: string;
  /** How the reply names the source and the destination, e.g. "checking account FB-00000012". */
  fromLabel: string;
  toLabel: string;
}

/** A request that still lacks entities, waiting for the user to supply them. */
export interface AwaitedRequest {
  intent: string;
  entities: Record<string, string>;
}

/** What the session holds. */
export interface Session {
  pending?: PendingAction;
  awaiting?: AwaitedRequest;
}

/** The outcome of taking the pending action. */
export type Taken = { action: PendingAction } | { expired: PendingAction } | { nothing: true };

/** Sessions of conversations. */
export interface SessionStore {
  readonly ttlSeconds: number;
  /** The session, empty when there is none; throws when Redis cannot be reached. */
  load(conversationId: string): Promise<Session>;
  /** Stores an action for confirmation (replacing any other) and forgets what was awaited. */
  propose(conversationId: string, action: PendingAction): Promise<void>;
  /** Takes the pending action away, atomically. */
  take(conversationId: string): Promise<Taken>;
  /** Puts an action back after an attempt whose outcome is unknown, so that "yes" can retry it. */
  restore(conversationId: string, action: PendingAction): Promise<void>;
  /** Remembers (or, with null, forgets) a request that waits for entities. */
  await(conversationId: string, request: AwaitedRequest | null): Promise<void>;
}

const keyOf = (conversationId: string) => `session:${conversationId}`;

// KEYS[1] the session; returns the pending action's JSON and removes it, or nil.
const takeScript = `
local pending = redis.call('HGET', KEYS[1], 'pending')
if pending then redis.call('HDEL', KEYS[1], 'pending') end
return pending
`;

/** Creates the store; `ttlSeconds` is how long an idle session and a proposed action live. */
export function createSessionStore(options: { redis: Redis; ttlSeconds: number }): SessionStore {
  const { redis, ttlSeconds } = options;
  const ttlMs = ttlSeconds * 1000;

  const write = async (conversationId: string, fields: Record<string, string>, remove: string[] = []) => {
    const key = keyOf(conversationId);
    const multi = redis.multi();
    if (Object.keys(fields).length > 0) multi.hset(key, fields);
    if (remove.length > 0) multi.hdel(key, ...remove);
    multi.pexpire(key, ttlMs);
    await multi.exec();
  };

  return {
    ttlSeconds,
    async load(conversationId) {
      const fields = await redis.hgetall(keyOf(conversationId));
      return {
        pending: fields.pending ? (JSON.parse(fields.pending) as PendingAction) : undefined,
        awaiting: fields.awaiting ? (JSON.parse(fields.awaiting) as AwaitedRequest) : undefined,
      };
    },
    propose: (conversationId, action) =>
      write(conversationId, { pending: JSON.stringify(action) }, ["awaiting"]),
    async take(conversationId) {
      const raw = (await redis.eval(takeScript, 1, keyOf(conversationId))) as string | null;
      if (!raw) return { nothing: true };
      const action = JSON.parse(raw) as PendingAction;
      return Date.now() > action.expiresAt ? { expired: action } : { action };
    },
    restore: (conversationId, action) => write(conversationId, { pending: JSON.stringify(action) }),
    await: (conversationId, request) =>
      request
        ? write(conversationId, { awaiting: JSON.stringify(request) })
        : write(conversationId, {}, ["awaiting"]),
  };
}
