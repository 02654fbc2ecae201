// The `embeddings` collection: the vector of each embedded text, per model version. A document's
// _id is a digest of the model version and the text, so a text has one vector per model, the
// lookup is by primary key, and no index has to hold a long text. The vector is stored as a BSON
// float32 vector (Binary subtype 9, MongoDB's own form for embeddings): FerretDB reads an array of
// 384 numbers about five times slower, and a scan of such documents far slower still. Data access
// only.
import { createHash } from "node:crypto";
import { Binary } from "mongodb";
import type { ChatbotDatabase } from "../chatbot-database.js";
import { withStore } from "../chatbot-database.js";

/** A document of the `embeddings` collection. */
export interface StoredEmbedding {
  _id: string;
  text_chunk: string;
  /** The L2-normalised vector, a BSON float32 vector. */
  vector: Binary;
  /** The model's name, e.g. "all-MiniLM-L6-v2-q". */
  model: string;
  /** The model's name and file digest; vectors of another version are never used. */
  model_version: string;
  created_at: Date;
}

/** The document id of a text's vector under a model version. */
export function embeddingIdOf(modelVersion: string, text: string): string {
  return createHash("sha256").update(modelVersion).update("\0").update(text).digest("hex");
}

/** The stored vectors of these texts under the model version, by text (missing texts are absent). */
export async function storedVectors(
  db: ChatbotDatabase,
  modelVersion: string,
  texts: readonly string[],
): Promise<Map<string, Float32Array>> {
  const found = new Map<string, Float32Array>();
  if (texts.length === 0) return found;
  const ids = texts.map((text) => embeddingIdOf(modelVersion, text));
  const projection = { text_chunk: 1, vector: 1, model_version: 1 };
  // FerretDB answers an _id equality from its index but scans the collection for $in: a few texts
  // are read one by one, many (the training phrases at start) in one scan.
  const rows = await withStore(async () =>
    ids.length <= 8
      ? (await Promise.all(ids.map((_id) => db.embeddings.findOne({ _id }, { projection })))).filter(
          (row) => row !== null,
        )
      : db.embeddings.find({ _id: { $in: ids } }, { projection }).toArray(),
  );
  for (const row of rows) {
    if (row.model_version === modelVersion) found.set(row.text_chunk, row.vector.toFloat32Array());
  }
  return found;
}

/** Stores vectors; a text already stored under the model version keeps its first vector. */
export async function saveVectors(
  db: ChatbotDatabase,
  model: { name: string; version: string },
  vectors: ReadonlyArray<{ text: string; vector: Float32Array }>,
  now: Date,
): Promise<void> {
  if (vectors.length === 0) return;
  await withStore(() =>
    db.embeddings.bulkWrite(
      vectors.map(({ text, vector }) => ({
        updateOne: {
          filter: { _id: embeddingIdOf(model.version, text) },
          update: {
            $setOnInsert: {
              text_chunk: text,
              vector: Binary.fromFloat32Array(vector),
              model: model.name,
              model_version: model.version,
              created_at: now,
            },
          },
          upsert: true,
        },
      })),
      { ordered: false },
    ),
  );
}

/** Removes the vectors of every other model version; returns how many went. */
export async function deleteOtherVersions(db: ChatbotDatabase, modelVersion: string): Promise<number> {
  const { deletedCount } = await withStore(() =>
    db.embeddings.deleteMany({ model_version: { $ne: modelVersion } }),
  );
  return deletedCount;
}
