// Transaction facts of a day range, page by page.
import { create } from "@bufbuild/protobuf";
import type { CommonQueryMethods } from "../../runtime/database.js";
import { formatAmount, money } from "../../runtime/money.js";
import { pageSize } from "../../runtime/pagination.js";
import {
  ListTransactionFactsResponseSchema,
  type ListTransactionFactsResponse,
} from "../../../gen/ts/fidalex/insights/v1/insights_service_pb.js";
import { TransactionFactSchema } from "../../../gen/ts/fidalex/insights/v1/transaction_fact_pb.js";
import { readPageToken, toPage, tokenPatterns } from "../keyset-page.js";
import { findTransactionFacts, type TransactionFactRow } from "./transaction-facts-repository.js";

function toTransactionFact(row: TransactionFactRow) {
  return create(TransactionFactSchema, {
    transactionId: row.transaction_id,
    accountId: row.account_id,
    branchId: row.branch_id,
    date: row.date_id,
    amount: formatAmount(money(row.amount)),
    currency: row.currency,
    transactionType: row.transaction_type,
    status: row.status,
  });
}

export async function listTransactionFacts(
  db: CommonQueryMethods,
  request: { start: string; end: string; branchId: number; pageSize: number; pageToken: string },
): Promise<ListTransactionFactsResponse> {
  const limit = pageSize(request.pageSize);
  const token = readPageToken(request.pageToken, {
    date: tokenPatterns.day,
    transaction_id: tokenPatterns.id,
  });
  const rows = await findTransactionFacts(db, {
    start: request.start,
    end: request.end,
    branchId: request.branchId,
    after: token ? { day: token.date, transactionId: BigInt(token.transaction_id) } : undefined,
    limit: limit + 1,
  });
  const page = toPage(rows, limit, (row) => ({
    date: row.date_id,
    transaction_id: row.transaction_id.toString(),
  }));
  return create(ListTransactionFactsResponseSchema, {
    transactionFacts: page.items.map(toTransactionFact),
    nextPageToken: page.nextPageToken,
  });
}
