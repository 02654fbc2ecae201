// The Account service's internal PostingService as the saga sees it: every call ends in one of
// three outcomes, so that the saga never has to interpret a gRPC code itself.
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import {
  PostingDirection,
  PostingKind,
  type PostingResult,
} from "../../../gen/ts/fidalex/account/v1/posting_pb.js";
import { PostingService } from "../../../gen/ts/fidalex/account/v1/posting_service_pb.js";
import { errorReason } from "../../runtime/errors.js";
import type { StoredPosting, TransactionRow } from "../transactions/transaction-repository.js";

/** What the saga learns from one attempt to apply a transaction's postings. */
export type PostingOutcome =
  /** The postings are applied (now or earlier): balances changed. */
  | { kind: "applied"; result: PostingResult }
  /** The Account service refused the postings and recorded nothing; reason is the ErrorInfo reason. */
  | { kind: "rejected"; reason: string; code: Code }
  /**
   * Nothing is known for sure: the call failed in transit, timed out or hit a fault. Retryable
   * ones may succeed later as they are; non-retryable ones need an operator (e.g. the id was
   * applied with other postings), and the transaction stays PENDING either way.
   */
  | { kind: "inconclusive"; retryable: boolean; code: Code; error: unknown };

/** The PostingService calls the saga and the recovery worker make. */
export interface PostingGateway {
  /** Applies the transaction's recorded postings under its id (idempotent on the Account side). */
  apply(row: TransactionRow, options?: { signal?: AbortSignal }): Promise<PostingOutcome>;
  /** Whether the transaction's postings have been applied; inconclusive when the call fails. */
  status(transactionId: bigint): Promise<PostingOutcome | { kind: "not_applied" }>;
}

/** Who we say changed the balances, in the Account service's audit trail. */
export const postingChangedBy = "transaction-service";

/** Creates the gateway over a transport that carries this service's SERVICE token. */
export function createPostingGateway(transport: Transport, options: { timeoutMs: number }): PostingGateway {
  const client = createClient(PostingService, transport);
  return {
    async apply(row, { signal } = {}) {
      try {
        const response = await client.applyPostings(
          {
            transactionId: row.transaction_id,
            kind: PostingKind[row.posting_kind as keyof typeof PostingKind],
            changedBy: postingChangedBy,
            postings: row.postings.map(toPosting),
          },
          { timeoutMs: options.timeoutMs, signal },
        );
        if (!response.result) {
          return {
            kind: "inconclusive",
            retryable: true,
            code: Code.Internal,
            error: new Error("no result"),
          };
        }
        return { kind: "applied", result: response.result };
      } catch (error) {
        return classify(error);
      }
    },
    async status(transactionId) {
      try {
        const response = await client.getPostingStatus({ transactionId }, { timeoutMs: options.timeoutMs });
        if (response.applied && response.result) return { kind: "applied", result: response.result };
        return { kind: "not_applied" };
      } catch (error) {
        const err = ConnectError.from(error);
        return { kind: "inconclusive", retryable: true, code: err.code, error };
      }
    },
  };
}

function toPosting(posting: StoredPosting) {
  return {
    accountId: BigInt(posting.account_id),
    direction: posting.direction === "DEBIT" ? PostingDirection.DEBIT : PostingDirection.CREDIT,
    amount: posting.amount,
    currency: posting.currency,
  };
}

/**
 * Sorts a failed ApplyPostings call. The contract says a rejected call records nothing, so
 * FAILED_PRECONDITION, NOT_FOUND and INVALID_ARGUMENT are final refusals. ALREADY_EXISTS means
 * the id was applied with other postings: never a failure to record, an operator must look.
 * Everything else (transport errors, timeouts, internal faults, credentials) leaves the outcome
 * unknown and is worth retrying.
 */
function classify(error: unknown): PostingOutcome {
  const err = ConnectError.from(error);
  switch (err.code) {
    case Code.FailedPrecondition:
      return { kind: "rejected", reason: errorReason(err) ?? "POSTINGS_REJECTED", code: err.code };
    case Code.NotFound:
      return { kind: "rejected", reason: errorReason(err) ?? "ACCOUNT_NOT_FOUND", code: err.code };
    case Code.InvalidArgument:
      return { kind: "rejected", reason: errorReason(err) ?? "POSTINGS_INVALID", code: err.code };
    case Code.AlreadyExists:
      return { kind: "inconclusive", retryable: false, code: err.code, error };
    default:
      return { kind: "inconclusive", retryable: true, code: err.code, error };
  }
}
