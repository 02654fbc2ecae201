// The `intents` collection: one document per intent, its _id derived from its unique name
// ("intent_account_balance"), with the training phrases, the response templates, the entities it
// needs and the fulfilment it triggers. Data access only.
import type { ChatbotDatabase } from "../chatbot-database.js";
import { withStore } from "../chatbot-database.js";

/** What an intent makes the bot do beyond answering from its templates. */
export type Fulfilment =
  | "NONE"
  | "GREETING"
  | "END_CONVERSATION"
  | "CONFIRM"
  | "CANCEL"
  | "GET_BALANCE"
  | "LIST_TRANSACTIONS"
  | "TRANSFER"
  | "LIST_SCHEDULED_PAYMENTS"
  | "LOAN_STATUS"
  | "LOAN_PAYMENT"
  | "CREDIT_SCORE";

/** An intent as the bot uses it. */
export interface IntentDefinition {
  name: string;
  description: string;
  fulfilment: Fulfilment;
  /** Entities (slot names, see understanding/entities.ts) the fulfilment cannot do without. */
  requiredEntities: readonly string[];
  trainingPhrases: readonly string[];
  responseTemplates: readonly string[];
}

/** A document of the `intents` collection. */
export interface StoredIntent {
  _id: string;
  name: string;
  description: string;
  fulfilment: Fulfilment;
  required_entities: string[];
  training_phrases: string[];
  response_templates: string[];
  created_at: Date;
  updated_at: Date;
}

/** The document id of the intent with this name. */
export function intentIdOf(name: string): string {
  return `intent_${name}`;
}

/** The bot's view of a stored intent. */
export function toIntentDefinition(stored: StoredIntent): IntentDefinition {
  return {
    name: stored.name,
    description: stored.description,
    fulfilment: stored.fulfilment,
    requiredEntities: stored.required_entities,
    trainingPhrases: stored.training_phrases,
    responseTemplates: stored.response_templates,
  };
}

/** Every intent, by name. */
export function allIntents(db: ChatbotDatabase): Promise<StoredIntent[]> {
  return withStore(() => db.intents.find({}).sort({ name: 1 }).toArray());
}

/** Up to `limit` intents whose names follow `afterName`, by name. */
export function intentsAfter(db: ChatbotDatabase, afterName: string, limit: number): Promise<StoredIntent[]> {
  return withStore(() =>
    db.intents
      .find({ name: { $gt: afterName } })
      .sort({ name: 1 })
      .limit(limit)
      .toArray(),
  );
}

/** Writes the intents that do not exist yet; existing ones (perhaps changed by staff) stay as they are. */
export async function insertMissingIntents(
  db: ChatbotDatabase,
  intents: readonly IntentDefinition[],
  now: Date,
): Promise<void> {
  await withStore(() =>
    db.intents.bulkWrite(
      intents.map((intent) => ({
        updateOne: {
          filter: { _id: intentIdOf(intent.name) },
          update: {
            $setOnInsert: {
              name: intent.name,
              description: intent.description,
              fulfilment: intent.fulfilment,
              required_entities: [...intent.requiredEntities],
              training_phrases: [...intent.trainingPhrases],
              response_templates: [...intent.responseTemplates],
              created_at: now,
              updated_at: now,
            },
          },
          upsert: true,
        },
      })),
      { ordered: false },
    ),
  );
}

/**
 * Replaces the phrases and templates of the intent with this name, or creates it (answering from
 * its templates alone) when there is none. Returns the stored intent and whether it was created.
 */
export async function upsertIntent(
  db: ChatbotDatabase,
  name: string,
  trainingPhrases: readonly string[],
  responseTemplates: readonly string[],
  now: Date,
): Promise<{ intent: StoredIntent; created: boolean }> {
  const before = await withStore(() =>
    db.intents.findOneAndUpdate(
      { _id: intentIdOf(name) },
      {
        $set: {
          training_phrases: [...trainingPhrases],
          response_templates: [...responseTemplates],
          updated_at: now,
        },
        $setOnInsert: {
          name,
          description: "",
          fulfilment: "NONE",
          required_entities: [],
          created_at: now,
        },
      },
      { upsert: true, returnDocument: "before" },
    ),
  );
  const intent = await withStore(() => db.intents.findOne({ _id: intentIdOf(name) }));
  if (!intent) throw new Error(`intent ${name} vanished right after it was written`);
  return { intent, created: before === null };
}

/**
 * What changes whenever an intent is written: the number of intents and the latest update. Other
 * instances compare it to notice a change.
 */
export async function intentsVersion(db: ChatbotDatabase): Promise<string> {
  const [latest, count] = await withStore(() =>
    Promise.all([
      db.intents
        .find({}, { projection: { updated_at: 1 } })
        .sort({ updated_at: -1 })
        .limit(1)
        .next(),
      db.intents.countDocuments({}),
    ]),
  );
  return `${count}:${latest?.updated_at.toISOString() ?? ""}`;
}
