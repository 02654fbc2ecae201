// The accounts report: the end-of-day balances of the accounts whose balance changed that day
// (fact_account_balance keeps one snapshot per account and day of change), with totals.
import { create } from "@bufbuild/protobuf";
import {
  AccountBalanceSnapshotSchema,
  AccountBalanceTotalSchema,
} from "../../../gen/ts/fidalex/insights/v1/account_balance_snapshot_pb.js";
import type { CommonQueryMethods } from "../../runtime/database.js";
import { fetchPage, tokenPatterns, type PageRequest } from "../../runtime/pagination.js";
import { findBalanceSnapshots, findBalanceTotals } from "./accounts-report-repository.js";

/** One page of the day's snapshots by account id, and the day's totals per currency. */
export async function getAccountsReport(db: CommonQueryMethods, day: string, request: PageRequest) {
  const [page, totals] = await Promise.all([
    fetchPage(
      request,
      { account_id: tokenPatterns.id },
      (after, limit) =>
        findBalanceSnapshots(db, { day, afterAccountId: after && BigInt(after.account_id), limit }),
      (row) => ({ account_id: row.accountId.toString() }),
    ),
    findBalanceTotals(db, day),
  ]);
  return {
    accountBalanceSnapshots: page.items.map((row) => create(AccountBalanceSnapshotSchema, row)),
    totals: totals.map((row) => create(AccountBalanceTotalSchema, row)),
    nextPageToken: page.nextPageToken,
  };
}
