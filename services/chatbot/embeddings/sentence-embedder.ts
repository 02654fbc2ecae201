// Sentence embeddings for the service: the model (onnx-model.ts) runs in worker threads
// (embedding-worker.ts), each request goes to the worker with the fewest in flight, and a worker
// that dies is replaced on the next request, failing only the requests it held.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { EmbedRequest, EmbeddingWorkerMessage } from "./embedding-worker.js";
import { embeddingDimensions, modelFiles } from "./onnx-model.js";

/** The embedding model as the service uses it. */
export interface SentenceEmbedder {
  /** The model's name, as GetEmbedding reports it, e.g. "all-MiniLM-L6-v2-q". */
  readonly model: string;
  /** The model's name and file digest, stored with every vector. */
  readonly version: string;
  readonly dimensions: number;
  /** The L2-normalised embedding of a text. */
  embed(text: string): Promise<Float32Array>;
  /** Stops the workers; requests still in flight fail. */
  close(): Promise<void>;
}

/** Whether a folder holds both files of a model. */
export function hasModelFiles(dir: string): boolean {
  return existsSync(join(dir, modelFiles.model)) && existsSync(join(dir, modelFiles.tokenizer));
}

interface Pending {
  resolve(vector: Float32Array): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
  alive: boolean;
}

// Compiled, the worker is a sibling .js file. Run from source (tests, benchmarks), it is a .ts
// file: the thread first registers tsx's loader (Node 20 applies a parent's --import only to the
// main thread), then imports it.
function spawnWorker(dir: string): Worker {
  const here = import.meta.url;
  if (!here.endsWith(".ts"))
    return new Worker(new URL("./embedding-worker.js", here), { workerData: { dir } });
  const tsx = pathToFileURL(
    createRequire(here)
      .resolve("tsx")
      .replace(/loader\.mjs$/, "esm/api/index.mjs"),
  ).href;
  const entry = new URL("./embedding-worker.ts", here).href;
  const boot = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); })`;
  return new Worker(boot, { eval: true, workerData: { dir } });
}

function startWorker(dir: string): Promise<{ slot: Slot; model: string; version: string }> {
  const worker = spawnWorker(dir);
  // An idle worker never keeps the process alive on its own.
  worker.unref();
  const slot: Slot = { worker, pending: new Map(), alive: true };
  const stop = (error: Error) => {
    slot.alive = false;
    for (const request of slot.pending.values()) request.reject(error);
    slot.pending.clear();
  };
  return new Promise((resolve, reject) => {
    worker.on("message", (message: EmbeddingWorkerMessage) => {
      if (message.kind === "ready") resolve({ slot, model: message.model, version: message.version });
      else if (message.kind === "failed") {
        reject(new Error(`the embedding model did not load: ${message.message}`));
        void worker.terminate();
      } else {
        const request = slot.pending.get(message.id);
        slot.pending.delete(message.id);
        if (message.kind === "vector") request?.resolve(message.vector);
        else request?.reject(new Error(`embedding failed: ${message.message}`));
      }
    });
    worker.on("error", (error) => {
      stop(error);
      reject(error);
    });
    worker.on("exit", (code) => {
      const error = new Error(`the embedding worker stopped (exit code ${code})`);
      stop(error);
      reject(error);
    });
  });
}

/** Loads the model from a folder holding model.onnx and tokenizer.json into `workers` threads. */
export async function createSentenceEmbedder(
  dir: string,
  options: { workers?: number } = {},
): Promise<SentenceEmbedder> {
  if (!hasModelFiles(dir)) {
    throw new Error(
      `${dir} holds no ${modelFiles.model} and ${modelFiles.tokenizer}; run scripts/fetch-embedding-model.sh`,
    );
  }
  const started = await Promise.all(
    Array.from({ length: Math.max(1, options.workers ?? 1) }, () => startWorker(dir)),
  );
  const slots = started.map((s) => s.slot);
  const { model, version } = started[0]!;
  let nextId = 0;
  let closed = false;

  const liveSlot = async (index: number): Promise<Slot> => {
    if (slots[index]!.alive) return slots[index]!;
    const replacement = await startWorker(dir);
    if (replacement.version !== version) {
      await replacement.slot.worker.terminate();
      throw new Error("the embedding model changed on disk while the service runs; restart it");
    }
    slots[index] = replacement.slot;
    return replacement.slot;
  };

  return {
    model,
    version,
    dimensions: embeddingDimensions,
    async embed(text) {
      if (closed) throw new Error("the embedder is closed");
      let least = 0;
      slots.forEach((slot, i) => {
        if (slot.pending.size < slots[least]!.pending.size) least = i;
      });
      const slot = await liveSlot(least);
      const id = ++nextId;
      return new Promise<Float32Array>((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        slot.worker.postMessage({ id, text } satisfies EmbedRequest);
      });
    },
    async close() {
      closed = true;
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    },
  };
}
