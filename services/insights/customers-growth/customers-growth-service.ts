// Customer growth: sign-ups per day, ISO week or month of a range, with the running total. Every
// customer ever created counts, also one deleted since: the series is about sign-ups.
import { create } from "@bufbuild/protobuf";
import type { CommonQueryMethods } from "../../runtime/database.js";
import { pageSize } from "../../runtime/pagination.js";
import { CustomerGrowthSchema, Granularity } from "../../../gen/ts/fidalex/insights/v1/customer_growth_pb.js";
import {
  GetCustomersGrowthResponseSchema,
  type GetCustomersGrowthResponse,
} from "../../../gen/ts/fidalex/insights/v1/insights_service_pb.js";
import { readPageToken, toPage, tokenPatterns } from "../keyset-page.js";
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

export async function getCustomersGrowth(
  db: CommonQueryMethods,
  request: { start: string; end: string; granularity: Granularity; pageSize: number; pageToken: string },
): Promise<GetCustomersGrowthResponse> {
  const limit = pageSize(request.pageSize);
  const token = readPageToken(request.pageToken, { period_start: tokenPatterns.day });
  const rows = await findGrowthPeriods(db, {
    start: request.start,
    end: request.end,
    unit: periodUnit(request.granularity),
    after: token?.period_start,
    limit: limit + 1,
  });
  const page = toPage(rows, limit, (row) => ({ period_start: row.period_start }));
  return create(GetCustomersGrowthResponseSchema, {
    periods: page.items.map((row) =>
      create(CustomerGrowthSchema, {
        periodStart: row.period_start,
        newCustomers: row.new_customers,
        cumulativeCustomers: row.cumulative_customers,
      }),
    ),
    nextPageToken: page.nextPageToken,
  });
}
