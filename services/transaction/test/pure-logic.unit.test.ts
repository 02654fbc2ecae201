// Pure logic of the service: request fingerprints, the sorting of downstream failures, and the
// row → message mapping of statuses, types and events.
import { Code, ConnectError } from "@connectrpc/connect";
import { TransactionStatus, TransactionType } from "../../../gen/ts/fidalex/transaction/v1/transaction_pb.js";
import { downstreamError, isTransientFailure } from "../../runtime/downstream.js";
import { requestFingerprint } from "../../runtime/request-fingerprint.js";
import {
  storedStatus,
  storedType,
  toCompletedEvent,
  toTransactionMessage,
} from "../transactions/transaction-mapper.js";
import type { TransactionRow } from "../transactions/transaction-repository.js";
import { failureError } from "../movements/movement-service.js";

const row: TransactionRow = {
  transaction_id: 42n,
  account_id: 7n,
  related_account_id: null,
  transaction_type: "WITHDRAWAL",
  amount: "60.00",
  currency: "USD",
  status: "FAILED",
  created_at: new Date("2026-01-02T03:04:05.678Z"),
  completed_at: new Date("2026-01-02T03:04:06.000Z"),
  description: null,
  metadata: { initiated_by: "user:9" },
  failure_reason: "DAILY_LIMIT_EXCEEDED",
  reversal_of_transaction_id: null,
  reversed_by_transaction_id: null,
  posting_kind: "WITHDRAWAL",
  postings: [],
  initiated_by: "user:9",
  last_attempt_at: null,
  attempts: 0,
  created_us: 1767323045678000n,
};

describe("requestFingerprint", () => {
  it("is stable, and differs when any parameter or the operation differs", () => {
    const base = requestFingerprint("TRANSFER", [1n, 2n, "10.00", "USD", ""]);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(requestFingerprint("TRANSFER", [1n, 2n, "10.00", "USD", ""])).toBe(base);
    expect(requestFingerprint("TRANSFER", [1n, 2n, "10.01", "USD", ""])).not.toBe(base);
    expect(requestFingerprint("DEPOSIT", [1n, 2n, "10.00", "USD", ""])).not.toBe(base);
    // Parameters cannot run into each other.
    expect(requestFingerprint("TRANSFER", ["1", "2"])).not.toBe(requestFingerprint("TRANSFER", ["12", ""]));
  });
});

describe("downstream failures", () => {
  it("treats unavailability, timeouts and socket errors as transient, refusals as not", () => {
    expect(isTransientFailure(new ConnectError("down", Code.Unavailable))).toBe(true);
    expect(isTransientFailure(new ConnectError("slow", Code.DeadlineExceeded))).toBe(true);
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    expect(
      isTransientFailure(new ConnectError("connect", Code.Internal, undefined, undefined, refused)),
    ).toBe(true);
    expect(isTransientFailure(new ConnectError("bug", Code.Internal))).toBe(false);
    expect(isTransientFailure(new ConnectError("no", Code.PermissionDenied))).toBe(false);
  });

  it("never passes the other service's message on", () => {
    const leaked = downstreamError(
      "account",
      new ConnectError("SELECT * FROM accounts failed", Code.Internal),
    );
    expect(leaked.code).toBe(Code.Internal);
    expect(leaked.rawMessage).toBe("internal error");
    expect(
      downstreamError("account", new ConnectError("10.0.0.7:5432 refused", Code.Unavailable)).rawMessage,
    ).not.toMatch(/10\.0/);
  });
});

describe("mapping", () => {
  it("maps a row to the contract's Transaction and event", () => {
    const message = toTransactionMessage(row);
    expect(message).toMatchObject({
      transactionId: 42n,
      relatedAccountId: 0n,
      transactionType: TransactionType.WITHDRAWAL,
      status: TransactionStatus.FAILED,
      failureReason: "DAILY_LIMIT_EXCEEDED",
      description: "",
      metadata: { initiated_by: "user:9" },
    });
    const event = toCompletedEvent(row, row.completed_at!);
    expect(event.eventId).toMatch(/^[0-9a-f-]{36}$/);
    expect(event).toMatchObject({ transactionId: 42n, status: TransactionStatus.FAILED, amount: "60.00" });
  });

  it("maps filters, with UNSPECIFIED meaning any", () => {
    expect(storedStatus(TransactionStatus.REVERSED)).toBe("REVERSED");
    expect(storedStatus(TransactionStatus.UNSPECIFIED)).toBeUndefined();
    expect(storedType(TransactionType.FEE)).toBe("FEE");
    expect(storedType(TransactionType.UNSPECIFIED)).toBeUndefined();
  });

  it("answers a FAILED transaction with its reason and id, the same every time", () => {
    const error = failureError(row);
    expect(error.code).toBe(Code.FailedPrecondition);
    expect(error.rawMessage).toBe("the daily withdrawal limit would be exceeded");
    expect(failureError({ ...row, failure_reason: "ACCOUNT_NOT_FOUND" }).code).toBe(Code.NotFound);
  });
});
