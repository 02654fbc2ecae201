// What a fulfilment tells the dialog: answer from the intent's templates with these values, say a
// fixed sentence (a refusal, a problem, a question it cannot template), ask for a missing entity,
// or propose an action that waits for the user's yes. `record` is kept with the bot's message for
// the audit (what was asked of the bank and what came back); it never reaches the user.
import type { AwaitedRequest, PendingAction } from "../dialog/session-store.js";
import { Code } from "@connectrpc/connect";
import { errorReason } from "../../runtime/errors.js";
import { codeOf, isUnreachable, type Caller } from "./banking-clients.js";
import type { CustomerContext } from "./customer-context.js";

/** A fulfilment that needs the customer's context: their name and accounts. */
export type Fulfil = (request: FulfilmentRequest, context: CustomerContext) => Promise<Outcome>;

/** What a fulfilment gets: who asks, what the message said, and where in the conversation. */
export interface FulfilmentRequest {
  caller: Caller;
  intent: string;
  entities: Readonly<Record<string, string>>;
  conversationId: string;
  turn: number;
}

export type Outcome =
  | { kind: "answer"; values: Record<string, string>; record?: Record<string, unknown> }
  | { kind: "say"; text: string; record?: Record<string, unknown> }
  | { kind: "ask"; text: string; awaiting: AwaitedRequest }
  | { kind: "confirm"; text: string; action: PendingAction };

/**
 * The proposal of an action that waits for the user's yes. Its idempotency key is bound to the
 * conversation and the turn that proposed it, so however often it is confirmed or retried, the
 * bank executes it once; it expires after the confirmation window.
 */
export function proposal(
  request: FulfilmentRequest,
  confirmWindowSeconds: number,
  action: Omit<PendingAction, "idempotencyKey" | "expiresAt">,
  question: string,
): Outcome {
  return {
    kind: "confirm",
    action: {
      ...action,
      idempotencyKey: `chat-${request.conversationId}-${request.turn}`,
      expiresAt: Date.now() + confirmWindowSeconds * 1000,
    },
    text: `${question} Reply yes to confirm or no to cancel.`,
  };
}

/** A fixed sentence. */
export function say(text: string, record?: Record<string, unknown>): Outcome {
  return { kind: "say", text, record };
}

/**
 * An account the message names was not found among the customer's accounts as cached; the
 * dialog asks once more with the accounts read afresh (a new account may have been opened).
 */
export function unresolved(problem: string): Outcome {
  return say(problem, { unresolved: true });
}

/** Whether an outcome is worth retrying with a fresh customer context. */
export function isUnresolved(outcome: Outcome): boolean {
  return outcome.kind === "say" && outcome.record?.unresolved === true;
}

/** The answer when a service the bot needs cannot answer now (down, or not deployed yet). */
export function unreachable(what: string, service: string): Outcome {
  return say(`I can't reach ${what} right now. Please try again in a little while.`, {
    unreachable: service,
  });
}

/** The answer to a user whose sign-in is not linked to a customer record yet. */
export const noCustomer = say(
  "I can't find a customer record linked to your sign-in yet. Once the bank has opened it, sign in again and ask me.",
);

/** What executing a confirmed action came to, and whether another yes may try it again. */
export interface Execution {
  outcome: Outcome;
  retry: boolean;
}

/** How the replies about an action name it: "transfer", "the transfer service", "sent". */
export interface ActionWords {
  noun: string;
  service: string;
  done: string;
  /** Why the bank refused, in the user's words, by ErrorInfo reason (or code). */
  refusals: Readonly<Record<string, string>>;
}

/**
 * The reply to an action whose call failed: when the service could not answer, the outcome is
 * unknown and the same action (same idempotency key) may be retried; otherwise the bank refused
 * and nothing happened.
 */
export function failedExecution(
  error: unknown,
  words: ActionWords,
  record: Record<string, unknown>,
): Execution {
  if (isUnreachable(error)) {
    return {
      retry: true,
      outcome: say(
        `I couldn't reach ${words.service}, so I can't tell yet whether the ${words.noun} went through. ` +
          `Reply yes to try again: it will not be ${words.done} twice.`,
        { ...record, outcome: "UNREACHABLE" },
      ),
    };
  }
  const reason = errorReason(error) ?? Code[codeOf(error)];
  const why = words.refusals[reason] ?? words.refusals[Code[codeOf(error)]] ?? "the bank refused it";
  return {
    retry: false,
    outcome: say(`I couldn't make the ${words.noun}: ${why}. Nothing was ${words.done}.`, {
      ...record,
      outcome: reason,
    }),
  };
}
