// The intents the bot understands right now: every stored intent and the index of their training
// phrases' vectors, held in memory and rebuilt when an intent changes. The instance that changed
// an intent rebuilds at once; the others notice the stored version move on their next check
// (every few seconds), so every instance understands a new intent shortly after POST /intents.
import type { Logger } from "../../runtime/logger.js";
import { createPeriodicJob, type PeriodicJob } from "../../runtime/periodic-job.js";
import type { ChatbotDatabase } from "../chatbot-database.js";
import type { EmbeddingService } from "../embeddings/embedding-service.js";
import { createIntentIndex, type IntentIndex } from "./intent-index.js";
import {
  allIntents,
  insertMissingIntents,
  intentsVersion,
  toIntentDefinition,
  type IntentDefinition,
} from "./intent-repository.js";
import { seedIntents } from "./seed-intents.js";

/** The intents in use and their index. */
export interface CatalogSnapshot {
  readonly index: IntentIndex;
  readonly intents: ReadonlyMap<string, IntentDefinition>;
  /** The stored version it was built from. */
  readonly version: string;
}

/** The intents in use, rebuilt on change. */
export interface IntentCatalog {
  /** The current snapshot; load() must have run. */
  current(): CatalogSnapshot;
  /** Seeds the missing intents, drops other models' vectors and builds the first snapshot. */
  load(): Promise<void>;
  /** Rebuilds from the store now (after a change made by this instance). */
  rebuild(): Promise<void>;
  /** Checks the stored version every interval and rebuilds when it moved. */
  readonly watcher: PeriodicJob<boolean>;
}

/** Creates the catalog over the store and the embeddings. */
export function createIntentCatalog(deps: {
  db: ChatbotDatabase;
  embeddings: EmbeddingService;
  logger: Logger;
  refreshIntervalMs: number;
}): IntentCatalog {
  const { db, embeddings, logger } = deps;
  let snapshot: CatalogSnapshot | undefined;
  let building: Promise<void> | undefined;

  const build = async () => {
    // The version is read first: a change made while the index builds moves it again, and the
    // next check rebuilds.
    const version = await intentsVersion(db);
    const intents = (await allIntents(db)).map(toIntentDefinition);
    const phrases = intents.flatMap((intent) =>
      intent.trainingPhrases.map((text) => ({ intent: intent.name, text })),
    );
    const vectors = await embeddings.vectorsOf(phrases.map((p) => p.text));
    snapshot = {
      index: createIntentIndex(phrases.map((p, i) => ({ ...p, vector: vectors[i]! }))),
      intents: new Map(intents.map((intent) => [intent.name, intent])),
      version,
    };
    logger.info({ intents: intents.length, phrases: phrases.length, version }, "intent index built");
  };
  // One build at a time; a caller arriving during a build waits for it and then builds again, so
  // that it sees its own change.
  const rebuild = async (): Promise<void> => {
    while (building) await building.catch(() => undefined);
    building = build().finally(() => {
      building = undefined;
    });
    return building;
  };

  return {
    current() {
      if (!snapshot) throw new Error("the intent catalog has not been loaded");
      return snapshot;
    },
    async load() {
      await insertMissingIntents(db, seedIntents, new Date());
      const dropped = await embeddings.forgetOtherModels();
      if (dropped > 0) logger.info({ dropped }, "dropped the vectors of other embedding models");
      await rebuild();
    },
    rebuild,
    watcher: createPeriodicJob({
      name: "intent change check",
      intervalMs: deps.refreshIntervalMs,
      logger,
      async run() {
        if (snapshot && (await intentsVersion(db)) === snapshot.version) return false;
        await rebuild();
        return true;
      },
    }),
  };
}
