// Embeddings as the bot and GET /embeddings/{text} use them. Stored texts (training phrases and
// texts asked for through the route) keep their vector in `embeddings` under the model version,
// so the intent index is rebuilt without recomputing them, and a new model recomputes them all.
// Users' chat messages are embedded once and not stored there.
import { create } from "@bufbuild/protobuf";
import { EmbeddingSchema, type Embedding } from "../../../gen/ts/fidalex/chatbot/v1/embedding_pb.js";
import type { Principal } from "../../runtime/auth.js";
import type { RateLimiter } from "../../runtime/rate-limit.js";
import type { ChatbotDatabase } from "../chatbot-database.js";
import { readableText } from "../understanding/message-text.js";
import { deleteOtherVersions, saveVectors, storedVectors } from "./embedding-repository.js";
import type { SentenceEmbedder } from "./sentence-embedder.js";

/** Embeddings, computed or read back. */
export interface EmbeddingService {
  readonly model: string;
  readonly modelVersion: string;
  /** Computes a text's vector without storing it. */
  embed(text: string): Promise<Float32Array>;
  /** The vectors of texts, read from the store or computed and stored; in the order given. */
  vectorsOf(texts: readonly string[]): Promise<Float32Array[]>;
  /** GetEmbedding: a caller's text embedded (limited per user), as the contract's message. */
  embeddingFor(principal: Principal, text: string): Promise<Embedding>;
  /** Drops the vectors of other model versions; returns how many. */
  forgetOtherModels(): Promise<number>;
}

/** Creates the service over the store, the model and the per-user limit of GetEmbedding. */
export function createEmbeddingService(deps: {
  db: ChatbotDatabase;
  embedder: SentenceEmbedder;
  limiter: RateLimiter;
}): EmbeddingService {
  const { db, embedder } = deps;
  const model = { name: embedder.model, version: embedder.version };

  const vectorsOf = async (texts: readonly string[]): Promise<Float32Array[]> => {
    const distinct = [...new Set(texts)];
    const known = await storedVectors(db, model.version, distinct);
    const computed: Array<{ text: string; vector: Float32Array }> = [];
    for (const text of distinct) {
      if (!known.has(text)) computed.push({ text, vector: await embedder.embed(text) });
    }
    await saveVectors(db, model, computed, new Date());
    for (const { text, vector } of computed) known.set(text, vector);
    return texts.map((text) => known.get(text)!);
  };

  return {
    model: model.name,
    modelVersion: model.version,
    embed: (text) => embedder.embed(text),
    vectorsOf,
    async embeddingFor(principal, text) {
      const cleaned = readableText("text", text);
      await deps.limiter.enforce(principal.subject);
      const [vector] = await vectorsOf([cleaned]);
      return toEmbeddingMessage(cleaned, vector!, embedder.model);
    },
    forgetOtherModels: () => deleteOtherVersions(db, model.version),
  };
}

/** A vector as the contract's Embedding. */
export function toEmbeddingMessage(text: string, vector: Float32Array, model: string): Embedding {
  return create(EmbeddingSchema, {
    text,
    vector: Array.from(vector),
    model,
    dimensions: vector.length,
  });
}
