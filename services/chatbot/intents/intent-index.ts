// Intent detection over sentence embeddings: each intent is scored by a blend of its nearest
// training phrase and its centroid (the normalised mean of its phrases' vectors), and the best
// intent wins if its score reaches the confidence threshold; below it the answer is the fallback,
// which offers help rather than guessing. The blend, alpha 0.5 and threshold 0.34 were chosen by
// leave-one-out cross-validation on the training phrases alone (the embedding spike), never on
// the held-out evaluation set. Pure: vectors in, decisions out.

/** The intent that answers when nothing else is confident enough. */
export const fallbackIntent = "fallback";

/** A training phrase with its embedding. */
export interface IndexedPhrase {
  intent: string;
  text: string;
  /** An L2-normalised vector. */
  vector: Float32Array;
}

/** How a vector is classified. */
export interface ClassifyOptions {
  /** Below this blended score the answer is the fallback. */
  threshold: number;
  /** The weight of the nearest phrase in the blend; the centroid has the rest. */
  alpha: number;
  /**
   * Only these intents may win (e.g. confirm and cancel while the bot waits for a yes or no);
   * the threshold still applies.
   */
  only?: readonly string[];
}

/** The options the evaluation chose. */
export const defaultClassifyOptions: ClassifyOptions = { threshold: 0.34, alpha: 0.5 };

/** What the index decided about one vector. */
export interface IntentDecision {
  /** The intent to act on: the best one, or the fallback. */
  intent: string;
  /** The best intent's blended score (cosine-like, -1 to 1). */
  score: number;
  /** The best-scoring intent before the threshold was applied. */
  best: string;
  /** Why: a match, the fallback intent itself, or a best score below the threshold. */
  reason: "match" | "fallback_example" | "below_threshold";
  /** The training phrase nearest to the vector, for logs and explanations. */
  nearestPhrase: string;
}

/** The scored intents of a catalog. */
export interface IntentIndex {
  /** The intents that have training phrases. */
  readonly intents: readonly string[];
  readonly size: number;
  /** Intents ranked by blended score, best first. */
  rank(vector: Float32Array, options?: Partial<ClassifyOptions>): Array<[intent: string, score: number]>;
  classify(vector: Float32Array, options?: Partial<ClassifyOptions>): IntentDecision;
}

/** The dot product, which is the cosine similarity of two L2-normalised vectors. */
export function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

function normalised(vector: Float32Array): Float32Array {
  const norm = Math.sqrt(dot(vector, vector)) || 1;
  return vector.map((x) => x / norm);
}

/** Builds the index of a catalog's training phrases. */
export function createIntentIndex(phrases: readonly IndexedPhrase[]): IntentIndex {
  const sums = new Map<string, Float32Array>();
  for (const phrase of phrases) {
    const sum = sums.get(phrase.intent) ?? new Float32Array(phrase.vector.length);
    for (let i = 0; i < sum.length; i++) sum[i]! += phrase.vector[i]!;
    sums.set(phrase.intent, sum);
  }
  const centroids = new Map([...sums].map(([intent, sum]) => [intent, normalised(sum)]));

  const scored = (vector: Float32Array, options: ClassifyOptions) => {
    const nearestPerIntent = new Map<string, number>();
    let nearest = { text: "", score: -Infinity };
    for (const phrase of phrases) {
      const score = dot(vector, phrase.vector);
      if (score > (nearestPerIntent.get(phrase.intent) ?? -Infinity))
        nearestPerIntent.set(phrase.intent, score);
      if (score > nearest.score) nearest = { text: phrase.text, score };
    }
    let ranked = [...centroids].map(([intent, centroid]): [string, number] => [
      intent,
      options.alpha * nearestPerIntent.get(intent)! + (1 - options.alpha) * dot(vector, centroid),
    ]);
    if (options.only) ranked = ranked.filter(([intent]) => options.only!.includes(intent));
    ranked.sort((a, b) => b[1] - a[1]);
    return { ranked, nearestPhrase: nearest.text };
  };

  return {
    intents: [...centroids.keys()],
    size: phrases.length,
    rank: (vector, options) => scored(vector, { ...defaultClassifyOptions, ...options }).ranked,
    classify(vector, options) {
      const settings = { ...defaultClassifyOptions, ...options };
      const { ranked, nearestPhrase } = scored(vector, settings);
      const [best, score] = ranked[0] ?? [fallbackIntent, -1];
      const decision = { best, score, nearestPhrase };
      if (best === fallbackIntent) return { ...decision, intent: fallbackIntent, reason: "fallback_example" };
      if (score < settings.threshold)
        return { ...decision, intent: fallbackIntent, reason: "below_threshold" };
      return { ...decision, intent: best, reason: "match" };
    },
  };
}
