// The rules of the intents' RPCs: anyone signed in may list them; only staff may add or change
// one, and a change is embedded and in use before the call returns. Also the one place where a
// stored intent becomes the contract's Intent.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { IntentSchema, type Intent } from "../../../gen/ts/fidalex/chatbot/v1/intent_pb.js";
import { requireStaff } from "../../runtime/access.js";
import type { Principal } from "../../runtime/auth.js";
import { invalidArgument } from "../../runtime/errors.js";
import { fetchPage, type Page, type PageRequest } from "../../runtime/pagination.js";
import type { ChatbotDatabase } from "../chatbot-database.js";
import type { EmbeddingService } from "../embeddings/embedding-service.js";
import { cleanText } from "../understanding/message-text.js";
import type { IntentCatalog } from "./intent-catalog.js";
import { intentsAfter, upsertIntent, type StoredIntent } from "./intent-repository.js";

/** What UpsertIntent asks for. */
export interface IntentChange {
  name: string;
  trainingPhrases: readonly string[];
  responseTemplates: readonly string[];
}

/** The intents' RPCs. */
export interface IntentService {
  list(request: PageRequest): Promise<Page<StoredIntent>>;
  upsert(principal: Principal, change: IntentChange): Promise<{ intent: StoredIntent; created: boolean }>;
}

const namePattern = /^[a-z][a-z0-9_]{0,63}$/;

/** Creates the service over the store, the embeddings and the catalog it refreshes. */
export function createIntentService(deps: {
  db: ChatbotDatabase;
  embeddings: EmbeddingService;
  catalog: IntentCatalog;
}): IntentService {
  const { db } = deps;
  return {
    list: (request) =>
      fetchPage(
        request,
        { name: namePattern },
        (after, limit) => intentsAfter(db, after?.name ?? "", limit),
        (intent) => ({ name: intent.name }),
      ),
    async upsert(principal, change) {
      requireStaff(principal);
      const trainingPhrases = cleanedList("training_phrases", change.trainingPhrases, cleanText);
      const responseTemplates = cleanedList("response_templates", change.responseTemplates, cleanTemplate);
      // Embedding first: the phrases' vectors are stored before the intent refers to them.
      await deps.embeddings.vectorsOf(trainingPhrases);
      const result = await upsertIntent(db, change.name, trainingPhrases, responseTemplates, new Date());
      await deps.catalog.rebuild();
      return result;
    },
  };
}

/** A template keeps its line breaks (lists are rendered one item a line); other control characters go. */
function cleanTemplate(template: string): string {
  return template
    .split("\n")
    .map((line) => cleanText(line))
    .join("\n")
    .trim();
}

/** The cleaned, distinct items of a list, or INVALID_ARGUMENT naming an item left empty. */
function cleanedList(field: string, items: readonly string[], clean: (item: string) => string): string[] {
  const cleaned = items.map(clean);
  const empty = cleaned.findIndex((item) => item === "");
  if (empty >= 0)
    throw invalidArgument([{ field: `${field}[${empty}]`, description: "must contain visible text" }]);
  return [...new Set(cleaned)];
}

/** A stored intent as the contract's Intent. */
export function toIntentMessage(intent: StoredIntent): Intent {
  return create(IntentSchema, {
    intentId: intent._id,
    name: intent.name,
    trainingPhrases: intent.training_phrases,
    responseTemplates: intent.response_templates,
    createdAt: timestampFromDate(intent.created_at),
    updatedAt: timestampFromDate(intent.updated_at),
  });
}
