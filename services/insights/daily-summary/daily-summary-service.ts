// The daily summary: one row per branch and currency with transactions on the day.
import { create } from "@bufbuild/protobuf";
import type { CommonQueryMethods } from "../../runtime/database.js";
import { formatAmount, money } from "../../runtime/money.js";
import { pageSize } from "../../runtime/pagination.js";
import { DailyBranchSummarySchema } from "../../../gen/ts/fidalex/insights/v1/daily_branch_summary_pb.js";
import {
  GetDailySummaryResponseSchema,
  type GetDailySummaryResponse,
} from "../../../gen/ts/fidalex/insights/v1/insights_service_pb.js";
import { readPageToken, toPage, tokenPatterns } from "../keyset-page.js";
import { findDailySummaryRows, type DailySummaryRow } from "./daily-summary-repository.js";

function toDailyBranchSummary(row: DailySummaryRow) {
  return create(DailyBranchSummarySchema, {
    date: row.date_id,
    branchId: row.branch_id,
    branchName: row.branch_name ?? "",
    region: row.region ?? "",
    currency: row.currency,
    totalTransactions: row.total_transactions,
    totalVolume: formatAmount(money(row.total_volume)),
    totalSuccessVolume: formatAmount(money(row.total_success_volume)),
  });
}

export async function getDailySummary(
  db: CommonQueryMethods,
  request: { day: string; pageSize: number; pageToken: string },
): Promise<GetDailySummaryResponse> {
  const limit = pageSize(request.pageSize);
  const token = readPageToken(request.pageToken, {
    branch_id: /^\d{1,10}$/,
    currency: tokenPatterns.currency,
  });
  const rows = await findDailySummaryRows(db, {
    day: request.day,
    after: token ? { branchId: Number(token.branch_id), currency: token.currency } : undefined,
    limit: limit + 1,
  });
  const page = toPage(rows, limit, (row) => ({ branch_id: String(row.branch_id), currency: row.currency }));
  return create(GetDailySummaryResponseSchema, {
    dailyBranchSummaries: page.items.map(toDailyBranchSummary),
    nextPageToken: page.nextPageToken,
  });
}
