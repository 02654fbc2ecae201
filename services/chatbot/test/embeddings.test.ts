// GET /embeddings/{text} and the stored embeddings: 384 normalised components from the real model,
// similar sentences closer than unrelated ones, every embedded text kept with its model version,
// and vectors of another model version dropped and recomputed when the service starts.
import { Code } from "@connectrpc/connect";
import { Binary } from "mongodb";
import { dot } from "../intents/intent-index.js";
import type { StoredEmbedding } from "../embeddings/embedding-repository.js";
import { expectRefusal, useHarness } from "./support/harness.js";

const h = useHarness({ env: { EMBEDDING_RATE_LIMIT: "8" } });

const embeddings = () => h.mongo.db().collection<StoredEmbedding>("embeddings");

describe("GetEmbedding", () => {
  it("returns 384 normalised components and the model's name", async () => {
    const ada = await h.newCustomer("Ada");
    const { embedding } = await ada.chat.getEmbedding({ text: "what is my checking account balance" });
    expect(embedding).toMatchObject({
      text: "what is my checking account balance",
      model: "all-MiniLM-L6-v2-q",
      dimensions: 384,
    });
    expect(embedding!.vector).toHaveLength(384);
    const norm = Math.sqrt(embedding!.vector.reduce((sum, x) => sum + x * x, 0));
    expect(norm).toBeCloseTo(1, 5);
  });

  it("scores similar sentences higher than unrelated ones", async () => {
    const ada = await h.newCustomer("Ada");
    const vector = async (text: string) =>
      Float32Array.from((await ada.chat.getEmbedding({ text })).embedding!.vector);
    const balance = await vector("what is my checking account balance");
    const similar = await vector("how much money do I have");
    const unrelated = await vector("apply for a car loan");
    expect(dot(balance, similar)).toBeGreaterThan(0.4);
    expect(dot(balance, unrelated)).toBeLessThan(0.2);
    expect(dot(balance, similar)).toBeGreaterThan(dot(balance, unrelated) + 0.3);
    // The same text gives the same vector, also when it is read back from the store.
    expect(Array.from(await vector("how much money do I have"))).toEqual(Array.from(similar));
  });

  it("keeps each embedded text with its model version", async () => {
    const ada = await h.newCustomer("Ada");
    const text = `a text to keep ${h.runId}`;
    await ada.chat.getEmbedding({ text });
    const stored = await embeddings().findOne({ text_chunk: text });
    expect(stored).toMatchObject({
      model: "all-MiniLM-L6-v2-q",
      model_version: h.chatbot.service.deps.embedder.version,
    });
    expect(stored!.vector.toFloat32Array()).toHaveLength(384);
    // The training phrases are stored the same way.
    expect(await embeddings().countDocuments({ text_chunk: "what is my balance" })).toBe(1);
  });

  it("refuses text without visible characters, and callers beyond their limit", async () => {
    const ada = await h.newCustomer("Ada");
    await expectRefusal(ada.chat.getEmbedding({ text: "" }), Code.InvalidArgument);
    await expectRefusal(ada.chat.getEmbedding({ text: "\u0000\u0007" }), Code.InvalidArgument);
    await expectRefusal(ada.chat.getEmbedding({ text: "x".repeat(2001) }), Code.InvalidArgument);
    for (let i = 0; i < 8; i++) await ada.chat.getEmbedding({ text: `ping ${i}` });
    await expectRefusal(
      ada.chat.getEmbedding({ text: "one too many" }),
      Code.ResourceExhausted,
      "RATE_LIMITED",
    );
  });
});

describe("the model", () => {
  it("must be installed: without it the service does not start, and says what to do", async () => {
    await expect(h.startChatbot({ EMBEDDING_MODEL_DIR: `/nonexistent-${h.runId}` })).rejects.toThrow(
      /EMBEDDING_MODEL_DIR: .* run bash scripts\/fetch-embedding-model\.sh/,
    );
  });
});

describe("a model change", () => {
  it("drops the vectors of other model versions and embeds the training phrases again", async () => {
    const version = h.chatbot.service.deps.embedder.version;
    await embeddings().updateMany(
      { text_chunk: "what is my balance" },
      { $set: { model_version: "all-MiniLM-L6-v2-q:older" } },
    );
    await embeddings().insertOne({
      _id: `stale-${h.runId}`,
      text_chunk: "a text of an older model",
      vector: Binary.fromFloat32Array(new Float32Array([1, 0, 0])),
      model: "all-MiniLM-L6-v2-q",
      model_version: "all-MiniLM-L6-v2-q:older",
      created_at: new Date(),
    });

    const restarted = await h.startChatbot();
    try {
      expect(await embeddings().countDocuments({ model_version: { $ne: version } })).toBe(0);
      const rebuilt = await embeddings().findOne({ text_chunk: "what is my balance" });
      expect(rebuilt).toMatchObject({ model_version: version });
      expect(rebuilt!.vector.toFloat32Array()).toHaveLength(384);
    } finally {
      await restarted.close();
    }
  });
});
