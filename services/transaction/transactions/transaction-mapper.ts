// The one place where stored rows become contract messages (and events): status, type and audit
// strings of the CHECK constraints map to the contract's enums here and nowhere else.
import { create, type JsonObject } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  TransactionCompletedSchema,
  type TransactionCompleted,
} from "../../../gen/ts/fidalex/events/v1/transaction_completed_pb.js";
import {
  TransactionAuditEntrySchema,
  TransactionAuditEvent,
  TransactionSchema,
  TransactionStatus,
  TransactionType,
  type Transaction,
  type TransactionAuditEntry,
} from "../../../gen/ts/fidalex/transaction/v1/transaction_pb.js";
import { newEventHeader } from "../../runtime/outbox.js";
import type { AuditRow, StoredStatus, StoredType, TransactionRow } from "./transaction-repository.js";

const statuses: Record<StoredStatus, TransactionStatus> = {
  PENDING: TransactionStatus.PENDING,
  SUCCESS: TransactionStatus.SUCCESS,
  FAILED: TransactionStatus.FAILED,
  REVERSED: TransactionStatus.REVERSED,
};

const types: Record<StoredType, TransactionType> = {
  DEPOSIT: TransactionType.DEPOSIT,
  WITHDRAWAL: TransactionType.WITHDRAWAL,
  TRANSFER: TransactionType.TRANSFER,
  FEE: TransactionType.FEE,
  REVERSAL: TransactionType.REVERSAL,
};

const auditEvents: Record<AuditRow["audit_event"], TransactionAuditEvent> = {
  CREATED: TransactionAuditEvent.CREATED,
  STATUS_UPDATED: TransactionAuditEvent.STATUS_UPDATED,
  REVERSED: TransactionAuditEvent.REVERSED,
};

/** The stored status of a contract status filter; undefined for UNSPECIFIED (any). */
export function storedStatus(status: TransactionStatus): StoredStatus | undefined {
  return (Object.keys(statuses) as StoredStatus[]).find((key) => statuses[key] === status);
}

/** The stored type of a contract type filter; undefined for UNSPECIFIED (any). */
export function storedType(type: TransactionType): StoredType | undefined {
  return (Object.keys(types) as StoredType[]).find((key) => types[key] === type);
}

/** The fields the contract's Transaction and the transaction.completed event share. */
function sharedFields(row: TransactionRow) {
  return {
    transactionId: row.transaction_id,
    accountId: row.account_id,
    relatedAccountId: row.related_account_id ?? 0n,
    transactionType: types[row.transaction_type],
    amount: row.amount,
    currency: row.currency,
    status: statuses[row.status],
  };
}

/** A transactions row as the contract's Transaction. */
export function toTransactionMessage(row: TransactionRow): Transaction {
  return create(TransactionSchema, {
    ...sharedFields(row),
    createdAt: timestampFromDate(row.created_at),
    completedAt: row.completed_at ? timestampFromDate(row.completed_at) : undefined,
    description: row.description ?? "",
    metadata: row.metadata ? (row.metadata as JsonObject) : undefined,
    failureReason: row.failure_reason ?? "",
    reversalOfTransactionId: row.reversal_of_transaction_id ?? 0n,
    reversedByTransactionId: row.reversed_by_transaction_id ?? 0n,
  });
}

/** A transaction_audit row as the contract's TransactionAuditEntry. */
export function toAuditEntry(row: AuditRow): TransactionAuditEntry {
  return create(TransactionAuditEntrySchema, {
    auditId: row.audit_id,
    auditEvent: auditEvents[row.audit_event],
    oldStatus: row.old_status ? statuses[row.old_status] : TransactionStatus.UNSPECIFIED,
    newStatus: row.new_status ? statuses[row.new_status] : TransactionStatus.UNSPECIFIED,
    changedBy: row.changed_by,
    eventTs: timestampFromDate(row.event_ts),
  });
}

/**
 * The `transaction.completed` event of a transaction that has just reached a final status
 * (SUCCESS, FAILED or REVERSED); `at` is when it reached it.
 */
export function toCompletedEvent(row: TransactionRow, at: Date): TransactionCompleted {
  return create(TransactionCompletedSchema, {
    ...newEventHeader(),
    ...sharedFields(row),
    timestamp: timestampFromDate(at),
  });
}
