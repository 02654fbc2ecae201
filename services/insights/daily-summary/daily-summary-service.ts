// The daily summary: one row per branch and currency with transactions on the day.
import { create } from "@bufbuild/protobuf";
import { DailyBranchSummarySchema } from "../../../gen/ts/fidalex/insights/v1/daily_branch_summary_pb.js";
import type { CommonQueryMethods } from "../../runtime/database.js";
import { fetchPage, tokenPatterns, type PageRequest } from "../../runtime/pagination.js";
import { findDailySummaryRows } from "./daily-summary-repository.js";

/** One page of the day's summary rows, ordered by branch and currency. */
export async function getDailySummary(db: CommonQueryMethods, day: string, request: PageRequest) {
  const page = await fetchPage(
    request,
    { branch_id: /^\d{1,10}$/, currency: tokenPatterns.currency },
    (after, limit) =>
      findDailySummaryRows(db, {
        day,
        after: after && { branchId: Number(after.branch_id), currency: after.currency },
        limit,
      }),
    (row) => ({ branch_id: String(row.branchId), currency: row.currency }),
  );
  return {
    dailyBranchSummaries: page.items.map((row) => create(DailyBranchSummarySchema, row)),
    nextPageToken: page.nextPageToken,
  };
}
