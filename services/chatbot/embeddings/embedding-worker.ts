// The thread the embedding model runs in. An ONNX Runtime forward pass is native code that holds
// its thread for about 2 ms per sentence; in a worker it never stalls the server's event loop, and
// the model's typed arrays stay in the realm that created them (a test runner's sandbox would
// otherwise refuse them). Messages: the parent sends { id, text }; the worker answers "ready"
// once, then a vector or an error per request.
import { parentPort, workerData } from "node:worker_threads";
import { loadOnnxSentenceModel } from "./onnx-model.js";

/** A request from the parent. */
export interface EmbedRequest {
  id: number;
  text: string;
}

/** What the worker tells the parent. */
export type EmbeddingWorkerMessage =
  | { kind: "ready"; model: string; version: string }
  | { kind: "failed"; message: string }
  | { kind: "vector"; id: number; vector: Float32Array }
  | { kind: "error"; id: number; message: string };

const port = parentPort!;
const send = (message: EmbeddingWorkerMessage, transfer: ArrayBuffer[] = []) =>
  port.postMessage(message, transfer);

try {
  const model = await loadOnnxSentenceModel((workerData as { dir: string }).dir);
  port.on("message", (request: EmbedRequest) => {
    model.embed(request.text).then(
      (vector) => send({ kind: "vector", id: request.id, vector }, [vector.buffer as ArrayBuffer]),
      (error: unknown) => send({ kind: "error", id: request.id, message: String(error) }),
    );
  });
  send({ kind: "ready", model: model.model, version: model.version });
} catch (error) {
  send({ kind: "failed", message: String(error) });
}
