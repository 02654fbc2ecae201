// The intent classifier against a labelled set of 110 utterances that are not training phrases
// (services/chatbot/test/intent-eval-set.json, written before the phrases and frozen: never copy
// from it into the seeds, never edit it to raise a score). It covers every seeded intent and
// out-of-scope questions, and must reach 90% with the service's own model, seeds and settings.
// The confusion summary is printed. A second check reads the set as answers to "shall I send
// it?": no utterance that is not a yes may confirm.
import { readFileSync } from "node:fs";
import { createSentenceEmbedder, type SentenceEmbedder } from "../embeddings/sentence-embedder.js";
import type { IntentCatalog } from "../intents/intent-catalog.js";
import { createIntentIndex, defaultClassifyOptions, fallbackIntent } from "../intents/intent-index.js";
import { seedIntents } from "../intents/seed-intents.js";
import { createMessageAnalysis } from "../understanding/understand.js";
import { ensureEmbeddingModel } from "./support/model.js";

interface Labelled {
  text: string;
  intent: string;
  note?: string;
}

const evalSet = (
  JSON.parse(readFileSync(new URL("./intent-eval-set.json", import.meta.url), "utf8")) as {
    utterances: Labelled[];
  }
).utterances;
const names = seedIntents.map((intent) => intent.name);

let embedder: SentenceEmbedder;
let catalog: IntentCatalog;
let vectors: Float32Array[];

beforeAll(async () => {
  embedder = await createSentenceEmbedder(ensureEmbeddingModel());
  const phrases = [];
  for (const intent of seedIntents) {
    for (const text of intent.trainingPhrases) {
      phrases.push({ intent: intent.name, text, vector: await embedder.embed(text) });
    }
  }
  const snapshot = {
    index: createIntentIndex(phrases),
    intents: new Map(seedIntents.map((intent) => [intent.name, intent])),
    version: "seed",
  };
  // The catalog as the service builds it from the seeds, without the store around it.
  catalog = {
    current: () => snapshot,
    load: async () => undefined,
    rebuild: async () => undefined,
    watcher: undefined as never,
  };
  vectors = [];
  for (const u of evalSet) vectors.push(await embedder.embed(u.text));
}, 120_000);

afterAll(async () => {
  await embedder?.close();
});

const normalise = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9€$£ ]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();

test("the evaluation set is held out, large enough and covers every intent", () => {
  expect(evalSet.length).toBeGreaterThanOrEqual(60);
  const training = new Set(seedIntents.flatMap((intent) => intent.trainingPhrases.map(normalise)));
  expect(evalSet.filter((u) => training.has(normalise(u.text))).map((u) => u.text)).toEqual([]);
  expect(new Set(evalSet.map((u) => u.intent))).toEqual(new Set(names));
});

test("reaches at least 90% correct intents, and prints the confusion summary", () => {
  const { index } = catalog.current();
  const decisions = vectors.map((vector) => index.classify(vector, defaultClassifyOptions));
  const predicted = decisions.map((d) => d.intent);
  const gold = evalSet.map((u) => u.intent);
  const correct = predicted.filter((p, i) => p === gold[i]).length;
  const accuracy = correct / gold.length;

  const lines = [
    `intent evaluation: ${correct}/${gold.length} = ${(accuracy * 100).toFixed(1)}% ` +
      `(blend alpha ${defaultClassifyOptions.alpha}, threshold ${defaultClassifyOptions.threshold}, ${embedder.version})`,
    "intent                  prec    rec   support",
  ];
  for (const name of names) {
    const tp = predicted.filter((p, i) => p === name && gold[i] === name).length;
    const fp = predicted.filter((p, i) => p === name && gold[i] !== name).length;
    const fn = predicted.filter((p, i) => p !== name && gold[i] === name).length;
    const precision = tp + fp ? tp / (tp + fp) : 1;
    const recall = tp + fn ? tp / (tp + fn) : 1;
    lines.push(
      `${name.padEnd(22)} ${precision.toFixed(2).padStart(6)} ${recall.toFixed(2).padStart(6)} ${String(tp + fn).padStart(9)}`,
    );
  }
  const confusions = new Map<string, string[]>();
  decisions.forEach((d, i) => {
    if (d.intent === gold[i]) return;
    const key = `${gold[i]} -> ${d.intent}`;
    const detail = `"${evalSet[i]!.text}" (${d.reason}, score ${d.score.toFixed(3)}, nearest "${d.nearestPhrase}")`;
    confusions.set(key, [...(confusions.get(key) ?? []), detail]);
  });
  lines.push(`confusion summary (expected -> predicted), ${gold.length - correct} errors:`);
  for (const [pair, examples] of [...confusions].sort((a, b) => b[1].length - a[1].length)) {
    lines.push(`  ${pair} x${examples.length}`, ...examples.map((e) => `      ${e}`));
  }
  console.log(lines.join("\n"));

  expect(accuracy).toBeGreaterThanOrEqual(0.9);
});

test("while a transfer waits for a yes, only a yes confirms and a no cancels", async () => {
  const analysis = createMessageAnalysis({
    embed: (text) => embedder.embed(text),
    catalog,
    threshold: defaultClassifyOptions.threshold,
  });
  const now = new Date("2026-06-18T10:00:00Z");
  const read = [];
  for (const u of evalSet) {
    const understood = await analysis.analyse(u.text, { awaitingConfirmation: true, now });
    read.push({ ...u, as: understood.intent });
  }
  const answers = read.filter((u) => u.intent === "confirm" || u.intent === "cancel");
  const right = answers.filter((u) => u.as === u.intent);
  console.log(
    `awaiting a yes or no: ${right.length}/${answers.length} answers read right; ` +
      `misread: ${JSON.stringify(answers.filter((u) => u.as !== u.intent).map((u) => [u.text, u.as]))}`,
  );
  // A misread answer may never move money: a "no" must not become a "yes".
  expect(read.filter((u) => u.intent !== "confirm" && u.as === "confirm")).toEqual([]);
  expect(right.length / answers.length).toBeGreaterThanOrEqual(0.85);
  // Out-of-scope questions stay out of scope or cancel, never confirm.
  expect(read.filter((u) => u.intent === fallbackIntent && u.as === "confirm")).toEqual([]);
});
