// Transaction facts of a day range, page by page.
import { create } from "@bufbuild/protobuf";
import { TransactionFactSchema } from "../../../gen/ts/fidalex/insights/v1/transaction_fact_pb.js";
import type { CommonQueryMethods } from "../../runtime/database.js";
import { fetchPage, tokenPatterns, type PageRequest } from "../../runtime/pagination.js";
import { findTransactionFacts } from "./transaction-facts-repository.js";

/** One page of the facts of the range (and branch; 0 is every branch), by day then id. */
export async function listTransactionFacts(
  db: CommonQueryMethods,
  filter: { start: string; end: string; branchId: number },
  request: PageRequest,
) {
  const page = await fetchPage(
    request,
    { date: tokenPatterns.day, transaction_id: tokenPatterns.id },
    (after, limit) =>
      findTransactionFacts(db, {
        ...filter,
        after: after && { day: after.date, transactionId: BigInt(after.transaction_id) },
        limit,
      }),
    (row) => ({ date: row.date, transaction_id: row.transactionId.toString() }),
  );
  return {
    transactionFacts: page.items.map((row) => create(TransactionFactSchema, row)),
    nextPageToken: page.nextPageToken,
  };
}
