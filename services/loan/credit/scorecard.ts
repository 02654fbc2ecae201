// The credit scorecard: a versioned, documented points model (scorecard-v1.json) that turns an
// applicant's features into a score from 300 to 850, the factors behind it, and a decision.
// A score is the base points plus, for each characteristic, the points of the bin its value falls
// in. The reason codes a customer reads are the characteristics that cost the most points (their
// maximum minus what was earned), as adverse-action notices list them.
import { z } from "zod";
import { Money } from "../../runtime/money.js";
import scorecardV1 from "./scorecard-v1.json" with { type: "json" };

/** The features a score rests on; null where a value is not known (e.g. no revolving credit). */
export interface ScoreFeatures {
  delinquencies24m: number;
  derogatoryMarks: number;
  revolvingUtilization: number | null;
  historyMonths: number;
  hardInquiries12m: number;
  openTradelines: number;
  /** The indicative monthly installment over the monthly income proxy; null without income. */
  paymentToIncome: number | null;
  overdraftDays: number;
  /** A decimal string, e.g. "1250.00". */
  averageBalance: string;
  tenureMonths: number;
}

const featureNames = [
  "delinquencies24m",
  "derogatoryMarks",
  "revolvingUtilization",
  "historyMonths",
  "hardInquiries12m",
  "openTradelines",
  "paymentToIncome",
  "overdraftDays",
  "averageBalance",
  "tenureMonths",
] as const satisfies ReadonlyArray<keyof ScoreFeatures>;

const bin = z.object({ below: z.number().optional(), points: z.number().int().nonnegative() });

const scorecardFile = z
  .object({
    version: z.string().regex(/^[A-Z0-9_]{1,50}$/),
    description: z.string().min(1),
    basePoints: z.number().int(),
    scoreRange: z.object({ min: z.number().int(), max: z.number().int() }),
    thresholds: z.object({ approveAtOrAbove: z.number().int(), rejectBelow: z.number().int() }),
    pricing: z
      .array(
        z.object({ minScore: z.number().int(), annualRatePercent: z.string().regex(/^\d{1,2}\.\d{3}$/) }),
      )
      .min(1),
    characteristics: z
      .array(
        z.object({
          code: z.string().regex(/^[A-Z_]+$/),
          feature: z.enum(featureNames),
          description: z.string().min(1),
          missingPoints: z.number().int().nonnegative().optional(),
          bins: z.array(bin).min(2),
        }),
      )
      .min(1),
  })
  .superRefine((card, ctx) => {
    const best = card.characteristics.reduce(
      (sum, c) => sum + Math.max(c.missingPoints ?? 0, ...c.bins.map((b) => b.points)),
      card.basePoints,
    );
    if (best !== card.scoreRange.max)
      ctx.addIssue({ code: "custom", message: `the best score is ${best}, not the range's max` });
    if (card.basePoints < card.scoreRange.min)
      ctx.addIssue({ code: "custom", message: "base points below the range" });
    if (card.thresholds.rejectBelow > card.thresholds.approveAtOrAbove) {
      ctx.addIssue({ code: "custom", message: "rejectBelow must not be above approveAtOrAbove" });
    }
    const floors = card.pricing.map((p) => p.minScore);
    if (floors.some((floor, i) => i > 0 && floor >= floors[i - 1]!)) {
      ctx.addIssue({ code: "custom", message: "pricing must be ordered by minScore, highest first" });
    }
    if (Math.min(...floors) !== card.thresholds.approveAtOrAbove) {
      ctx.addIssue({ code: "custom", message: "pricing must cover every automatically approved score" });
    }
    for (const c of card.characteristics) {
      const bounds = c.bins.slice(0, -1).map((b) => b.below);
      const ascending = bounds.every((b, i) => b !== undefined && (i === 0 || b > bounds[i - 1]!));
      if (!ascending || c.bins[c.bins.length - 1]!.below !== undefined) {
        ctx.addIssue({
          code: "custom",
          message: `${c.code}: bins need ascending bounds and an open last bin`,
        });
      }
    }
  });

/** A loaded, checked scorecard. */
export type Scorecard = z.infer<typeof scorecardFile>;

/** One characteristic's result: the reason code and what it earned. */
export interface ScoreFactor {
  code: string;
  description: string;
  points: number;
  maxPoints: number;
}

/** The automatic decision a score leads to. */
export type ScoreOutcome = "AUTO_APPROVED" | "AUTO_REJECTED" | "REFER";

/** A computed score. */
export interface ScoreResult {
  modelVersion: string;
  score: number;
  /** Every characteristic, the one that cost the most points first. */
  factors: ScoreFactor[];
  outcome: ScoreOutcome;
  /** The yearly rate of an automatic approval, e.g. "8.900"; undefined otherwise. */
  annualRatePercent?: string;
}

/** Reads and checks a scorecard definition; throws naming what is wrong with it. */
export function loadScorecard(definition: unknown): Scorecard {
  return scorecardFile.parse(definition);
}

/** The scorecard in force: version 1. */
export const scorecard: Scorecard = loadScorecard(scorecardV1);

/** The highest yearly rate an automatic approval can carry, for the affordability check. */
export function highestAutomaticRate(card: Scorecard = scorecard): string {
  return card.pricing.reduce(
    (high, p) => (new Money(p.annualRatePercent).greaterThan(high) ? p.annualRatePercent : high),
    "0.000",
  );
}

/** Scores the features with the scorecard. */
export function scoreApplicant(features: ScoreFeatures, card: Scorecard = scorecard): ScoreResult {
  const factors = card.characteristics.map((c): ScoreFactor => {
    const value = features[c.feature];
    const maxPoints = Math.max(c.missingPoints ?? 0, ...c.bins.map((b) => b.points));
    let points = c.missingPoints ?? 0;
    if (value !== null) {
      const amount = new Money(value);
      points = (
        c.bins.find((b) => b.below === undefined || amount.lessThan(b.below)) ?? c.bins[c.bins.length - 1]!
      ).points;
    }
    return { code: c.code, description: c.description, points, maxPoints };
  });
  const raw = factors.reduce((sum, f) => sum + f.points, card.basePoints);
  const score = Math.min(card.scoreRange.max, Math.max(card.scoreRange.min, raw));
  const lost = (f: ScoreFactor) => f.maxPoints - f.points;
  const ordered = factors
    .map((f, index) => ({ f, index }))
    .sort((a, b) => lost(b.f) - lost(a.f) || a.index - b.index)
    .map(({ f }) => f);
  const outcome: ScoreOutcome =
    score >= card.thresholds.approveAtOrAbove
      ? "AUTO_APPROVED"
      : score < card.thresholds.rejectBelow
        ? "AUTO_REJECTED"
        : "REFER";
  const rate =
    outcome === "AUTO_APPROVED"
      ? card.pricing.find((p) => score >= p.minScore)?.annualRatePercent
      : undefined;
  return { modelVersion: card.version, score, factors: ordered, outcome, annualRatePercent: rate };
}

/** The contract's band of a score (CreditScoreBand): POOR below 580, … EXCEPTIONAL from 800. */
export function scoreBand(score: number): "POOR" | "FAIR" | "GOOD" | "VERY_GOOD" | "EXCEPTIONAL" {
  if (score >= 800) return "EXCEPTIONAL";
  if (score >= 740) return "VERY_GOOD";
  if (score >= 670) return "GOOD";
  if (score >= 580) return "FAIR";
  return "POOR";
}
