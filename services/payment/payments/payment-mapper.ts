// The one place where stored payments become contract messages and events: the status, method and
// attempt strings of the CHECK constraints map to the contract's enums here and nowhere else.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import {
  PaymentProcessedSchema,
  type PaymentProcessed,
} from "../../../gen/ts/fidalex/events/v1/payment_processed_pb.js";
import {
  PaymentAttemptStatus,
  PaymentMethod,
  PaymentSchema,
  PaymentStatus,
  type Beneficiary,
  type Payment,
} from "../../../gen/ts/fidalex/payment/v1/payment_pb.js";
import { newEventHeader, type OutboxEvent } from "../../runtime/outbox.js";
import type {
  AttemptRow,
  PaymentMetadata,
  PaymentRow,
  StoredPaymentMethod,
  StoredPaymentStatus,
} from "./payment-repository.js";

const statuses: Record<StoredPaymentStatus, PaymentStatus> = {
  INITIATED: PaymentStatus.INITIATED,
  PENDING: PaymentStatus.PENDING,
  COMPLETED: PaymentStatus.COMPLETED,
  FAILED: PaymentStatus.FAILED,
  REVERSED: PaymentStatus.REVERSED,
};

const methods: Record<StoredPaymentMethod, PaymentMethod> = {
  ACH: PaymentMethod.ACH,
  WIRE: PaymentMethod.WIRE,
  CARD: PaymentMethod.CARD,
  EXTERNAL: PaymentMethod.EXTERNAL,
};

const attemptStatuses: Record<AttemptRow["status"], PaymentAttemptStatus> = {
  REQUESTED: PaymentAttemptStatus.REQUESTED,
  PROCESSING: PaymentAttemptStatus.PROCESSING,
  SUCCESS: PaymentAttemptStatus.SUCCESS,
  FAILED: PaymentAttemptStatus.FAILED,
};

/** The stored method of a contract method; undefined for UNSPECIFIED (refused by the contract). */
export function storedMethod(method: PaymentMethod): StoredPaymentMethod | undefined {
  return (Object.keys(methods) as StoredPaymentMethod[]).find((key) => methods[key] === method);
}

/** The stored status of a contract status filter; undefined for UNSPECIFIED (any). */
export function storedStatus(status: PaymentStatus): StoredPaymentStatus | undefined {
  return (Object.keys(statuses) as StoredPaymentStatus[]).find((key) => statuses[key] === status);
}

/** The contract's method of a stored one. */
export const contractMethod = (method: StoredPaymentMethod) => methods[method];

/** A beneficiary as the metadata JSONB keeps it (only the fields that are set). */
export function storedBeneficiary(beneficiary: Beneficiary): PaymentMetadata["beneficiary"] {
  const account = beneficiary.account;
  return {
    name: beneficiary.name,
    ...(account.case === "accountNumber" ? { accountNumber: account.value } : {}),
    ...(account.case === "iban" ? { iban: account.value } : {}),
    ...(beneficiary.bankCode ? { bankCode: beneficiary.bankCode } : {}),
    ...(beneficiary.reference ? { reference: beneficiary.reference } : {}),
  };
}

/** The contract's Beneficiary of a stored one. */
export function toBeneficiary(stored: PaymentMetadata["beneficiary"]) {
  return {
    name: stored.name,
    account: stored.iban
      ? { case: "iban" as const, value: stored.iban }
      : { case: "accountNumber" as const, value: stored.accountNumber ?? "" },
    bankCode: stored.bankCode ?? "",
    reference: stored.reference ?? "",
  };
}

/** A payment row (and its attempts) as the contract's Payment. */
export function toPaymentMessage(row: PaymentRow, attempts: readonly AttemptRow[] = []): Payment {
  return create(PaymentSchema, {
    paymentId: row.payment_id,
    accountId: row.account_id,
    externalReference: row.external_reference,
    paymentMethod: methods[row.payment_method],
    amount: row.amount,
    currency: row.currency,
    status: statuses[row.status],
    initiatedAt: timestampFromDate(row.initiated_at),
    completedAt: row.completed_at ? timestampFromDate(row.completed_at) : undefined,
    metadata: {
      ...(row.failure_reason ? { failureReason: row.failure_reason } : {}),
      ...(row.processor_reference ? { processorReference: row.processor_reference } : {}),
      ...(row.schedule_id ? { scheduleId: String(row.schedule_id) } : {}),
    },
    beneficiary: toBeneficiary(row.metadata.beneficiary),
    description: row.metadata.description ?? "",
    attempts: attempts.map((a) => ({
      attemptId: a.attempt_id,
      attemptTs: timestampFromDate(a.attempt_ts),
      status: attemptStatuses[a.status],
      responseCode: a.response_code ?? "",
      responseMessage: a.response_message ?? "",
    })),
  });
}

/** The Kafka topic of payments' final statuses. */
export const processedTopic = "payment.processed";

/** The outbox entry of the payment.processed event of a payment that has just reached a final status. */
export function processedEvent(row: PaymentRow): OutboxEvent<typeof PaymentProcessedSchema> {
  const message = toProcessedEvent(row);
  return {
    topic: processedTopic,
    aggregateType: "payment",
    aggregateId: row.payment_id,
    schema: PaymentProcessedSchema,
    message,
  };
}

/** The payment.processed event of a payment that has just reached a final status. */
function toProcessedEvent(row: PaymentRow): PaymentProcessed {
  return create(PaymentProcessedSchema, {
    ...newEventHeader(),
    paymentId: row.payment_id,
    accountId: row.account_id,
    amount: row.amount,
    currency: row.currency,
    timestamp: timestampFromDate(row.completed_at ?? new Date()),
    status: statuses[row.status],
    paymentMethod: methods[row.payment_method],
  });
}
