// What the bot understands of one message: its intent (with the confidence the contract's
// nlp_metadata reports) and its entities. While the bot waits for a yes or no, the message is also
// read as an answer (confirm or cancel only); that reading wins when the open reading found
// nothing, found an answer itself, or scores lower. So "yes please" confirms, while "hey there" or
// "what's my balance" stays a greeting or a new question: on the evaluation set no utterance that
// is not a yes becomes a confirmation this way (services/chatbot/test/intent-evaluation.unit.test.ts).
import type { IntentCatalog } from "../intents/intent-catalog.js";
import { fallbackIntent, type IntentDecision } from "../intents/intent-index.js";
import type { Fulfilment } from "../intents/intent-repository.js";
import { extractEntities, toSlots } from "./entities.js";

/** The result of analysing a message. */
export interface Understanding {
  /** The intent to act on; the fallback when nothing was confident enough. */
  intent: string;
  /** The intent's fulfilment (NONE for an intent without one). */
  fulfilment: Fulfilment;
  /** The winning score, clamped to 0..1. */
  confidence: number;
  decision: IntentDecision;
  /** Slot values by name (see understanding/entities.ts toSlots). */
  entities: Record<string, string>;
}

/** Intents that answer a confirmation question. */
export const answerIntents = ["confirm", "cancel"] as const;

/** The analysis of messages against the current intents. */
export interface MessageAnalysis {
  analyse(
    text: string,
    options: { awaitingConfirmation: boolean; now: Date; timeZone?: string },
  ): Promise<Understanding>;
}

/** Creates the analysis over an embedding function and the intent catalog. */
export function createMessageAnalysis(deps: {
  embed: (text: string) => Promise<Float32Array>;
  catalog: IntentCatalog;
  threshold: number;
}): MessageAnalysis {
  return {
    async analyse(text, options) {
      const vector = await deps.embed(text);
      const { index, intents } = deps.catalog.current();
      let decision = index.classify(vector, { threshold: deps.threshold });
      if (options.awaitingConfirmation) {
        const answer = index.classify(vector, { threshold: deps.threshold, only: answerIntents });
        const openFoundNoOtherIntent =
          decision.intent === fallbackIntent ||
          (answerIntents as readonly string[]).includes(decision.intent);
        if (answer.intent !== fallbackIntent && (openFoundNoOtherIntent || answer.score >= decision.score)) {
          decision = answer;
        }
      }
      const fulfilment = intents.get(decision.intent)?.fulfilment ?? "NONE";
      // Dates in a question about scheduled payments lie ahead; everywhere else, behind.
      const direction = fulfilment === "LIST_SCHEDULED_PAYMENTS" ? "future" : "past";
      const entities = toSlots(
        text,
        extractEntities(text, { referenceDate: options.now, timezone: options.timeZone ?? "UTC", direction }),
      );
      return {
        intent: decision.intent,
        fulfilment,
        confidence: Math.min(1, Math.max(0, decision.score)),
        decision,
        entities,
      };
    },
  };
}
