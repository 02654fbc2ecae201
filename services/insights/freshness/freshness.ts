// How fresh the warehouse is, judged against the service's bound: what each analytics answer says
// (its Freshness) and whether the InsightsService is healthy. Pure, over what the warehouse
// reports (freshness-repository.ts).
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { FreshnessSchema, type Freshness } from "../../../gen/ts/fidalex/insights/v1/freshness_pb.js";
import type { FreshnessRow } from "./freshness-repository.js";

/** The service's bounds. */
export interface FreshnessPolicy {
  /** The most the warehouse may lag its sources, in seconds. */
  maxLagSeconds: number;
  /** Consecutive failed refreshes after which the service is unhealthy. */
  refreshFailuresUnhealthy: number;
  /** When the service started: before the loader first reports, lag is unknown, not late. */
  startedAt: Date;
}

/** Which data an answer reads: the fact and dimension tables, or the daily summary. */
export type AnswerSource = "tables" | "summary";

/** The freshness of the warehouse as judged now. */
export interface Assessment {
  /** Seconds the loader lags its sources (undefined while unknown). */
  loaderLagSeconds: number | undefined;
  /** Seconds the daily summary lags its sources (undefined while unknown). */
  summaryLagSeconds: number | undefined;
  /** Why the tables are stale, if they are. */
  loaderProblem: string | undefined;
  /** Why the daily summary is stale beyond the tables' reasons, if it is. */
  summaryProblem: string | undefined;
  /** Whether the InsightsService should answer SERVING, and if not why. */
  healthy: boolean;
  unhealthyReasons: string[];
}

const seconds = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 1000;

export function assess(row: FreshnessRow, policy: FreshnessPolicy): Assessment {
  const withinStart = seconds(policy.startedAt, row.now) <= policy.maxLagSeconds;
  const loaderLagSeconds = row.as_of ? Math.max(0, seconds(row.as_of, row.now)) : undefined;
  let loaderProblem: string | undefined;
  if (loaderLagSeconds === undefined) {
    if (!withinStart) loaderProblem = "the loader has not reported how far it has applied its sources";
  } else if (loaderLagSeconds > policy.maxLagSeconds) {
    loaderProblem =
      `the loader lags its sources by ${Math.round(loaderLagSeconds)} s ` +
      `(as of ${row.as_of!.toISOString()}; bound ${policy.maxLagSeconds} s)`;
  }

  const summaryLagSeconds = row.summary_as_of ? Math.max(0, seconds(row.summary_as_of, row.now)) : undefined;
  const failures = Number(row.failures);
  const failed =
    failures > 0
      ? `the daily summary's last ${failures === 1 ? "refresh" : `${failures} refreshes`} failed since ` +
        `${row.failing_since?.toISOString()}: ${row.last_error ?? "unknown error"}`
      : undefined;
  // A summary behind for a reason of its own (the loader's lag already says it otherwise).
  let late: string | undefined;
  if (!loaderProblem && summaryLagSeconds !== undefined && summaryLagSeconds > policy.maxLagSeconds) {
    late =
      `the daily summary lags its sources by ${Math.round(summaryLagSeconds)} s ` +
      `(refreshed ${row.refreshed_at?.toISOString() ?? "never"}; bound ${policy.maxLagSeconds} s)`;
  } else if (!loaderProblem && summaryLagSeconds === undefined && row.as_of && !withinStart) {
    late = "the daily summary has never been refreshed";
  }
  const summaryProblems = [failed, late].filter((p): p is string => p !== undefined);
  const summaryProblem = summaryProblems.length > 0 ? summaryProblems.join("; ") : undefined;

  const unhealthyReasons = [
    loaderProblem,
    failures >= policy.refreshFailuresUnhealthy ? failed : undefined,
    late,
  ].filter((r): r is string => r !== undefined);
  return {
    loaderLagSeconds,
    summaryLagSeconds,
    loaderProblem,
    summaryProblem,
    healthy: unhealthyReasons.length === 0,
    unhealthyReasons,
  };
}

/** The Freshness of an answer that reads `source`. */
export function freshnessOf(row: FreshnessRow, assessment: Assessment, source: AnswerSource): Freshness {
  const reasons =
    source === "summary"
      ? [assessment.loaderProblem, assessment.summaryProblem].filter((r): r is string => r !== undefined)
      : [assessment.loaderProblem].filter((r): r is string => r !== undefined);
  const asOf = source === "summary" ? row.summary_as_of : row.as_of;
  return create(FreshnessSchema, {
    asOf: asOf ? timestampFromDate(asOf) : undefined,
    refreshedAt: source === "summary" && row.refreshed_at ? timestampFromDate(row.refreshed_at) : undefined,
    stale: reasons.length > 0,
    staleReason: reasons.join("; "),
  });
}
