// One turn of a conversation: from what the bot understood of a message, and what the session
// remembers, to the bot's reply. Money moves only here, and only on an explicit yes to an action
// the same conversation proposed: the action is taken from the session atomically, executed with
// the idempotency key of the turn that proposed it, and put back only when its outcome is
// unknown, so that another yes retries it without moving the money twice. A new request while an
// action waits cancels the action; an expired one is never executed.
import type { Logger } from "../../runtime/logger.js";
import type { IntentCatalog } from "../intents/intent-catalog.js";
import { fallbackIntent } from "../intents/intent-index.js";
import type { Fulfilment, IntentDefinition } from "../intents/intent-repository.js";
import type { AccountFulfilment } from "../fulfilment/account-fulfilment.js";
import { isUnreachable, type Caller } from "../fulfilment/banking-clients.js";
import type { CustomerContexts } from "../fulfilment/customer-context.js";
import type { LoanFulfilment } from "../fulfilment/loan-fulfilment.js";
import { isUnresolved, noCustomer, unreachable, type Fulfil, type Outcome } from "../fulfilment/outcome.js";
import type { PaymentFulfilment } from "../fulfilment/payment-fulfilment.js";
import type { Understanding } from "../understanding/understand.js";
import { renderReply } from "./reply-templates.js";
import type { PendingAction, Session, SessionStore } from "./session-store.js";

/** What the dialog needs to answer one message. */
export interface Turn {
  caller: Caller;
  conversationId: string;
  turn: number;
  understanding: Understanding;
  /** The session as loaded before the turn, or null when Redis could not be reached. */
  session: Session | null;
}

/** The bot's reply and what to keep with it. */
export interface BotReply {
  text: string;
  /** Kept with the bot's message for the audit: what was asked of the bank, and its outcome. */
  record?: Record<string, unknown>;
  /** The user said goodbye: the conversation ends with this reply. */
  endConversation: boolean;
}

export interface Dialog {
  respond(turn: Turn): Promise<BotReply>;
}

// Fulfilments that need the customer's accounts.
const customerFulfilments: Partial<Record<Fulfilment, (deps: DialogDeps) => Fulfil>> = {
  GET_BALANCE: (d) => d.accounts.balance,
  LIST_TRANSACTIONS: (d) => d.accounts.transactions,
  TRANSFER: (d) => d.accounts.proposeTransfer,
  LIST_SCHEDULED_PAYMENTS: (d) => d.payments.scheduledPayments,
  LOAN_STATUS: (d) => d.loans.loanStatus,
  LOAN_PAYMENT: (d) => d.loans.proposeLoanPayment,
  CREDIT_SCORE: (d) => d.loans.creditScore,
};

/** What the dialog works with. */
export interface DialogDeps {
  catalog: IntentCatalog;
  sessions: SessionStore;
  contexts: CustomerContexts;
  accounts: AccountFulfilment;
  payments: PaymentFulfilment;
  loans: LoanFulfilment;
  logger: Logger;
}

export function createDialog(deps: DialogDeps): Dialog {
  const { catalog, sessions, contexts, logger } = deps;
  const confirmMinutes = Math.round(sessions.ttlSeconds / 60);

  const intentNamed = (name: string) => catalog.current().intents.get(name);
  const intentFor = (fulfilment: Fulfilment) =>
    [...catalog.current().intents.values()].find((intent) => intent.fulfilment === fulfilment);

  // The reply an outcome makes, with what it leaves in the session.
  const reply = async (
    turn: Turn,
    intent: IntentDefinition | undefined,
    outcome: Outcome,
    prefix = "",
  ): Promise<BotReply> => {
    const { conversationId } = turn;
    switch (outcome.kind) {
      case "answer": {
        const text =
          renderReply(intent?.responseTemplates ?? [], outcome.values, turn.turn) ??
          Object.values(outcome.values).join("\n");
        return { text: prefix + text, record: outcome.record, endConversation: false };
      }
      case "say":
        return { text: prefix + outcome.text, record: outcome.record, endConversation: false };
      case "ask":
        await sessions.await(conversationId, outcome.awaiting).catch(() => undefined);
        return { text: prefix + outcome.text, endConversation: false };
      case "confirm":
        try {
          await sessions.propose(conversationId, outcome.action);
        } catch (err) {
          logger.warn({ err }, "a proposed action could not be kept: Redis unavailable");
          return {
            text:
              prefix +
              "I can't take payment requests in the chat right now. Nothing was sent; please try again shortly.",
            endConversation: false,
          };
        }
        return {
          text: `${prefix}${outcome.text} (This request expires in ${confirmMinutes} minutes.)`,
          record: { proposed: outcome.action.kind, idempotency_key: outcome.action.idempotencyKey },
          endConversation: false,
        };
    }
  };

  // The outcome of a fulfilment that needs the customer's accounts, read afresh once when an
  // account the message names is not among the cached ones.
  const fulfilForCustomer = async (turn: Turn, fulfil: Fulfil, entities: Record<string, string>) => {
    if (turn.caller.principal.customerId === undefined) return noCustomer;
    const request = {
      caller: turn.caller,
      intent: turn.understanding.intent,
      entities,
      conversationId: turn.conversationId,
      turn: turn.turn,
    };
    try {
      const outcome = await fulfil(request, await contexts.of(turn.caller));
      return isUnresolved(outcome)
        ? fulfil(request, await contexts.of(turn.caller, { fresh: true }))
        : outcome;
    } catch (error) {
      if (isUnreachable(error)) return unreachable("your accounts", "account");
      throw error;
    }
  };

  const execute = async (turn: Turn, action: PendingAction): Promise<BotReply> => {
    const run = action.kind === "TRANSFER" ? deps.accounts.executeTransfer : deps.loans.executeLoanPayment;
    const { outcome, retry } = await run(turn.caller, action);
    if (retry) await sessions.restore(turn.conversationId, action).catch(() => undefined);
    return reply(turn, intentFor(action.kind), outcome);
  };

  // The answer to a yes or a no while an action waits.
  const answerPending = async (turn: Turn, pending: PendingAction): Promise<BotReply | undefined> => {
    const { intent, fulfilment } = turn.understanding;
    if (intent === "confirm") {
      const taken = await sessions.take(turn.conversationId);
      if ("action" in taken) return execute(turn, taken.action);
      if ("expired" in taken) {
        return {
          text: "That request has expired, so nothing was sent. Ask me again if you still want it.",
          endConversation: false,
        };
      }
      return { text: "There's nothing waiting for your confirmation any more.", endConversation: false };
    }
    if (intent === "cancel" || fulfilment === "END_CONVERSATION") {
      await sessions.take(turn.conversationId);
      if (intent === "cancel")
        return { text: "Okay, I've cancelled that. Nothing was sent.", endConversation: false };
      return undefined;
    }
    if (intent === fallbackIntent || fulfilment === "NONE" || fulfilment === "GREETING") {
      return {
        text: `Shall I go ahead with the ${pending.amount} ${pending.currency} to ${pending.toLabel}? Reply yes to confirm or no to cancel.`,
        endConversation: false,
      };
    }
    return undefined;
  };

  const respond = async (turn: Turn): Promise<BotReply> => {
    const { understanding, session } = turn;
    let prefix = "";
    if (session?.pending) {
      const answered = await answerPending(turn, session.pending);
      if (answered) return answered;
      if (understanding.fulfilment !== "END_CONVERSATION") {
        // A new request replaces the action that was waiting.
        await sessions.take(turn.conversationId);
        prefix = "I've cancelled the request you hadn't confirmed. ";
      }
    } else if (understanding.intent === "confirm") {
      return {
        text:
          session === null
            ? "I can't check what's waiting for your confirmation right now, so nothing was sent. Please try again shortly."
            : `There's nothing waiting for your confirmation. A request I proposed waits ${confirmMinutes} minutes; after that nothing is sent.`,
        endConversation: false,
      };
    }

    // A message that supplies what a waiting request lacked ("25 dollars" after "how much?")
    // completes that request, whatever else it could mean on its own.
    let intentName = understanding.intent;
    let entities = understanding.entities;
    const awaiting = session?.awaiting;
    if (awaiting) {
      const lacking = (intentNamed(awaiting.intent)?.requiredEntities ?? []).filter(
        (name) => !awaiting.entities[name],
      );
      if (intentName === awaiting.intent || lacking.some((name) => entities[name] !== undefined)) {
        intentName = awaiting.intent;
        entities = { ...awaiting.entities, ...entities };
      }
      await sessions.await(turn.conversationId, null).catch(() => undefined);
    }

    const intent = intentNamed(intentName);
    const fulfilment = intent?.fulfilment ?? "NONE";
    const fulfil = customerFulfilments[fulfilment];
    if (fulfil) {
      const outcome = await fulfilForCustomer(
        { ...turn, understanding: { ...understanding, intent: intentName } },
        fulfil(deps),
        entities,
      );
      return reply(turn, intent, outcome, prefix);
    }
    if (fulfilment === "GREETING") {
      const firstName = await greetingName(turn.caller);
      return reply(
        turn,
        intent,
        { kind: "answer", values: firstName ? { first_name: firstName } : {} },
        prefix,
      );
    }
    const answered = await reply(turn, intent, { kind: "answer", values: {} }, prefix);
    return { ...answered, endConversation: fulfilment === "END_CONVERSATION" };
  };

  // The customer's first name, when there is a customer and it can be read now.
  const greetingName = async (caller: Caller): Promise<string | undefined> => {
    if (caller.principal.customerId === undefined) return undefined;
    return contexts.of(caller).then(
      (context) => context.firstName || undefined,
      () => undefined,
    );
  };

  return {
    async respond(turn) {
      try {
        return await respond(turn);
      } catch (err) {
        // The user's message is stored; the conversation gets an answer rather than a failed call.
        logger.error({ err, conversationId: turn.conversationId }, "a chat turn failed");
        return {
          text: "Sorry, something went wrong on my side. Please try again.",
          record: { failed: true },
          endConversation: false,
        };
      }
    },
  };
}
