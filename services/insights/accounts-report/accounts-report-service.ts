// The accounts report: the end-of-day balances of the accounts whose balance changed that day
// (fact_account_balance keeps one snapshot per account and day of change), with totals.
import { create } from "@bufbuild/protobuf";
import type { CommonQueryMethods } from "../../runtime/database.js";
import { formatAmount, money } from "../../runtime/money.js";
import { pageSize } from "../../runtime/pagination.js";
import {
  AccountBalanceSnapshotSchema,
  AccountBalanceTotalSchema,
} from "../../../gen/ts/fidalex/insights/v1/account_balance_snapshot_pb.js";
import {
  GetAccountsReportResponseSchema,
  type GetAccountsReportResponse,
} from "../../../gen/ts/fidalex/insights/v1/insights_service_pb.js";
import { readPageToken, toPage, tokenPatterns } from "../keyset-page.js";
import {
  findBalanceSnapshots,
  findBalanceTotals,
  type BalanceSnapshotRow,
  type BalanceTotalRow,
} from "./accounts-report-repository.js";

function toSnapshot(row: BalanceSnapshotRow) {
  return create(AccountBalanceSnapshotSchema, {
    snapshotId: row.snapshot_id,
    accountId: row.account_id,
    customerId: row.customer_id,
    accountType: row.account_type,
    date: row.date_id,
    balance: formatAmount(money(row.balance)),
    currency: row.currency,
  });
}

function toTotal(row: BalanceTotalRow) {
  return create(AccountBalanceTotalSchema, {
    currency: row.currency,
    accountCount: row.account_count,
    totalBalance: formatAmount(money(row.total_balance)),
  });
}

export async function getAccountsReport(
  db: CommonQueryMethods,
  request: { day: string; pageSize: number; pageToken: string },
): Promise<GetAccountsReportResponse> {
  const limit = pageSize(request.pageSize);
  const token = readPageToken(request.pageToken, { account_id: tokenPatterns.id });
  const [rows, totals] = await Promise.all([
    findBalanceSnapshots(db, {
      day: request.day,
      afterAccountId: token ? BigInt(token.account_id) : undefined,
      limit: limit + 1,
    }),
    findBalanceTotals(db, request.day),
  ]);
  const page = toPage(rows, limit, (row) => ({ account_id: row.account_id.toString() }));
  return create(GetAccountsReportResponseSchema, {
    accountBalanceSnapshots: page.items.map(toSnapshot),
    totals: totals.map(toTotal),
    nextPageToken: page.nextPageToken,
  });
}
