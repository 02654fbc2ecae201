// Sentence embeddings on the CPU, in process: all-MiniLM-L6-v2 quantized to int8 (ONNX, 384
// dimensions), run by onnxruntime-node, with its WordPiece tokenizer (@huggingface/tokenizers).
// The pipeline is sentence-transformers' own for this model: [CLS] text [SEP] truncated to 256
// tokens, the BERT forward pass, mean pooling over the real tokens, then L2 normalisation, so a
// dot product of two vectors is their cosine similarity. The embedding spike checked it against
// Python's tokenizer and onnxruntime (cosine 1.000000).
//
// Each text runs alone: the int8 model quantizes its activations per batch, so a text's vector
// would shift slightly with the other texts of a batch, and stored vectors must equal the ones
// computed later for the same text. One intra-op thread keeps latency predictable beside the
// server's own work. The service runs this module inside a worker thread (embedding-worker.ts).
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Tokenizer } from "@huggingface/tokenizers";
import * as ort from "onnxruntime-node";

/** The vector length of the model. */
export const embeddingDimensions = 384;

/** The files a model folder holds (scripts/fetch-embedding-model.sh writes them). */
export const modelFiles = { model: "model.onnx", tokenizer: "tokenizer.json" } as const;

/** A model loaded in this thread. */
export interface OnnxSentenceModel {
  /** The model's name, as GetEmbedding reports it. */
  readonly model: string;
  /**
   * The model's name and a digest of its file: stored with every vector, so that a changed model
   * is noticed and the stored texts are embedded again.
   */
  readonly version: string;
  /** The L2-normalised embedding of a text. */
  embed(text: string): Promise<Float32Array>;
  /** Releases the native session. */
  close(): Promise<void>;
}

const maxTokens = 256;

/** Loads the model and tokenizer from a folder holding model.onnx and tokenizer.json. */
export async function loadOnnxSentenceModel(dir: string): Promise<OnnxSentenceModel> {
  const modelPath = join(dir, modelFiles.model);
  const modelBytes = readFileSync(modelPath);
  // The tokenizer.json of the jar asks for padding and truncation to 128; this library applies
  // neither, so the embedder truncates to the model's 256 tokens itself and never pads one text.
  const tokenizer = new Tokenizer(JSON.parse(readFileSync(join(dir, modelFiles.tokenizer), "utf8")), {});
  const sepId = tokenizer.token_to_id("[SEP]");
  if (tokenizer.token_to_id("[CLS]") === undefined || sepId === undefined) {
    throw new Error(`${dir}: the tokenizer has no [CLS] or [SEP] token; it is not the model's tokenizer`);
  }
  const session = await ort.InferenceSession.create(modelBytes, {
    executionProviders: ["cpu"],
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    graphOptimizationLevel: "all",
  });
  const needsTokenTypes = session.inputNames.includes("token_type_ids");
  const output = session.outputNames.includes("last_hidden_state")
    ? "last_hidden_state"
    : session.outputNames[0]!;
  const digest = createHash("sha256").update(modelBytes).digest("hex").slice(0, 16);
  const model = "all-MiniLM-L6-v2-q";

  const embed = async (text: string): Promise<Float32Array> => {
    let ids = tokenizer.encode(text).ids;
    // Cut the text's tail and keep [SEP] last, as sentence-transformers truncates one sequence.
    if (ids.length > maxTokens) ids = [...ids.slice(0, maxTokens - 1), sepId];
    const shape = [1, ids.length];
    // Every input of the model is an int64 tensor.
    const feeds: Record<string, ort.Tensor> = {
      input_ids: new ort.Tensor("int64", BigInt64Array.from(ids, BigInt), shape),
      attention_mask: new ort.Tensor("int64", new BigInt64Array(ids.length).fill(1n), shape),
    };
    if (needsTokenTypes) feeds.token_type_ids = new ort.Tensor("int64", new BigInt64Array(ids.length), shape);
    const result = await session.run(feeds, [output]);
    const hidden = result[output];
    if (!hidden || hidden.type !== "float32" || hidden.dims[2] !== embeddingDimensions) {
      throw new Error(`the model returned ${hidden?.type} [${hidden?.dims.join(", ")}], not token vectors`);
    }
    const states = hidden.data as Float32Array;
    const vector = new Float32Array(embeddingDimensions);
    for (let token = 0; token < ids.length; token++) {
      for (let d = 0; d < embeddingDimensions; d++) vector[d]! += states[token * embeddingDimensions + d]!;
    }
    let norm = 0;
    for (let d = 0; d < embeddingDimensions; d++) norm += vector[d]! * vector[d]!;
    // Mean pooling divides every component by the token count; the normalisation that follows
    // cancels any common factor, so the division is folded into it.
    norm = Math.max(Math.sqrt(norm), 1e-12);
    for (let d = 0; d < embeddingDimensions; d++) vector[d]! /= norm;
    hidden.dispose();
    return vector;
  };

  return {
    model,
    version: `${model}:${digest}`,
    embed,
    close: () => session.release(),
  };
}
