// Customer growth: sign-ups per day, ISO week or month of a range, with the running total. Every
// customer ever created counts, also one deleted since: the series is about sign-ups.
import { create } from "@bufbuild/protobuf";
import type { CommonQueryMethods } from "../../runtime/database.js";
import { CustomerGrowthSchema, Granularity } from "../../../gen/ts/fidalex/insights/v1/customer_growth_pb.js";
import { fetchPage, tokenPatterns, type PageRequest } from "../../runtime/pagination.js";
import { findGrowthPeriods, type PeriodUnit } from "./customers-growth-repository.js";

/** The period of a granularity; unspecified means days. */
export function periodUnit(granularity: Granularity): PeriodUnit {
  switch (granularity) {
    case Granularity.WEEK:
      return "week";
    case Granularity.MONTH:
      return "month";
    default:
      return "day";
  }
}

/** One page of the range's periods, oldest first. */
export async function getCustomersGrowth(
  db: CommonQueryMethods,
  query: { start: string; end: string; granularity: Granularity },
  request: PageRequest,
) {
  const page = await fetchPage(
    request,
    { period_start: tokenPatterns.day },
    (after, limit) =>
      findGrowthPeriods(db, {
        ...query,
        unit: periodUnit(query.granularity),
        after: after?.period_start,
        limit,
      }),
    (row) => ({ period_start: row.periodStart }),
  );
  return {
    periods: page.items.map((row) => create(CustomerGrowthSchema, row)),
    nextPageToken: page.nextPageToken,
  };
}
