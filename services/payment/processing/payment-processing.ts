// How a payment moves through its states, one step at a time. Each step locks the payment's row,
// makes at most one outside call (the ledger or the processor), records what came back and
// commits; a crash between steps leaves the payment in a state the next step continues from, and
// every outside call is idempotent (the ledger by a key derived from the payment, the processor
// by the payment id), so repeating a step after a crash moves money once and pays once.
//
//   INITIATED, funds TO_DEBIT   → debit the account into the bank's settlement account
//       ledger refuses          → FAILED (nothing moved), payment.processed
//   INITIATED, funds DEBITED    → submit to the processor
//       approved                → COMPLETED, payment.processed (ACH: watched for a return)
//       pending                 → PENDING, asked again every poll interval
//       declined                → FAILED, funds TO_RELEASE
//       no answer               → retried with backoff; after the last attempt, FAILED (TIMEOUT) if
//                                 the processor confirms it never received it
//   PENDING                     → ask the processor: approved, declined as above
//   COMPLETED (ACH, watched)    → returned → REVERSED, funds TO_RELEASE
//   funds TO_RELEASE            → credit the account back; then payment.processed (FAILED, REVERSED)
import type { DatabasePool, DatabaseTransactionConnection } from "../../runtime/database.js";
import type { Logger } from "../../runtime/logger.js";
import { appendOutboxEvent } from "../../runtime/outbox.js";
import type { PaymentFunds } from "../funds/payment-funds.js";
import { processedEvent } from "../payments/payment-mapper.js";
import {
  insertAttempt,
  findPayment,
  updatePayment,
  type PaymentChange,
  type PaymentRow,
  type StoredAttemptStatus,
} from "../payments/payment-repository.js";
import type { PaymentProcessor, ProcessorOutcome } from "../processor/payment-processor.js";

/** How patient the processing is with the processor and the ledger. */
export interface ProcessingSettings {
  /** Calls to the processor a payment gets before a timeout is final. */
  maxAttempts: number;
  /** Delay before the first retry after a timeout; it doubles after each one. */
  retryBaseMs: number;
  /** How often a PENDING (or watched COMPLETED) payment is asked about. */
  pollMs: number;
  /** How long a COMPLETED ACH payment is watched for a return. */
  returnWindowMs: number;
}

/** What the processing needs. */
export interface ProcessingDeps {
  db: DatabasePool;
  funds: PaymentFunds;
  processor: PaymentProcessor;
  logger: Logger;
  settings: ProcessingSettings;
}

/** Takes payments through their states. */
export interface PaymentProcessing {
  /**
   * Takes the payment as far as it can go now and returns it as it is afterwards; null when
   * skipLocked is set and another process is working on it.
   */
  advance(
    paymentId: bigint,
    options?: { skipLocked?: boolean; signal?: AbortSignal },
  ): Promise<PaymentRow | null>;
}

/** One step's result: the payment afterwards, and whether another step can follow at once. */
interface StepResult {
  row: PaymentRow;
  more: boolean;
}

/** A step that records what the processor said; `submitted` when it answered a submission. */
type ApplyOutcome = (
  tx: DatabaseTransactionConnection,
  row: PaymentRow,
  outcome: ProcessorOutcome,
  submitted: boolean,
) => Promise<StepResult>;

/** The most steps one advance takes (debit, submit, release and their confirmations). */
const maxSteps = 6;

/** Creates the processing. */
export function createPaymentProcessing(deps: ProcessingDeps): PaymentProcessing {
  const { db, funds, processor, logger, settings } = deps;

  const publish = (tx: DatabaseTransactionConnection, row: PaymentRow) =>
    appendOutboxEvent(tx, processedEvent(row));

  const money = (row: PaymentRow) => ({
    paymentId: row.payment_id,
    ledgerKey: row.ledger_key,
    accountId: row.account_id,
    amount: row.amount,
    currency: row.currency,
  });

  const record = (
    tx: DatabaseTransactionConnection,
    row: PaymentRow,
    status: StoredAttemptStatus,
    o: ProcessorOutcome,
  ) => insertAttempt(tx, { paymentId: row.payment_id, status, code: o.code, message: o.message });

  /** The debit, or the release, and what its outcome changes. */
  const moveMoney = async (tx: DatabaseTransactionConnection, row: PaymentRow, signal?: AbortSignal) => {
    const debit = row.funds_state === "TO_DEBIT";
    const outcome = debit ? await funds.debit(money(row), signal) : await funds.release(money(row), signal);
    const fields = { paymentId: String(row.payment_id), movement: debit ? "debit" : "release" };
    switch (outcome.kind) {
      case "moved": {
        const change: PaymentChange = debit
          ? { fundsState: "DEBITED", debitTransactionId: outcome.transactionId }
          : { fundsState: "RELEASED", releaseTransactionId: outcome.transactionId };
        const updated = await updatePayment(tx, row.payment_id, { ...change, nextActionInMs: 0 });
        // A failed or returned payment is final once its money is back.
        if (!debit) await publish(tx, updated);
        return { row: updated, more: debit };
      }
      case "refused": {
        if (!debit) {
          logger.error(
            { ...fields, reason: outcome.reason },
            "the ledger refused to return a payment's money (non-retryable); an operator must act",
          );
          return {
            row: await updatePayment(tx, row.payment_id, { nextActionInMs: 10 * 60_000 }),
            more: false,
          };
        }
        const failed = await updatePayment(tx, row.payment_id, {
          status: "FAILED",
          fundsState: "NONE",
          failureReason: outcome.reason,
        });
        await publish(tx, failed);
        return { row: failed, more: false };
      }
      case "unknown":
        logger.warn({ ...fields, cause: outcome.cause }, "ledger outcome unknown (retryable); will retry");
        return {
          row: await updatePayment(tx, row.payment_id, { nextActionInMs: settings.retryBaseMs }),
          more: false,
        };
    }
  };

  /** A payment the network refused or sent back: recorded as such, its money to be returned. */
  const giveBack = async (
    tx: DatabaseTransactionConnection,
    row: PaymentRow,
    outcome: ProcessorOutcome,
    change: Pick<PaymentChange, "status" | "failureReason">,
  ): Promise<StepResult> => {
    await record(tx, row, "FAILED", outcome);
    const update = { ...change, fundsState: "TO_RELEASE" as const, watchUntil: null, nextActionInMs: 0 };
    return { row: await updatePayment(tx, row.payment_id, update), more: true };
  };

  /** Applies what the processor said about a payment (to a submission or to a status query). */
  const apply: ApplyOutcome = async (tx, row, outcome, submitted) => {
    const id = row.payment_id;
    switch (outcome.kind) {
      case "approved": {
        if (row.status === "COMPLETED") {
          return { row: await updatePayment(tx, id, { nextActionInMs: settings.pollMs }), more: false };
        }
        await record(tx, row, "SUCCESS", outcome);
        const watch = row.payment_method === "ACH" ? new Date(Date.now() + settings.returnWindowMs) : null;
        const done = await updatePayment(tx, id, {
          status: "COMPLETED",
          processorReference: outcome.reference,
          watchUntil: watch,
          nextActionInMs: settings.pollMs,
        });
        await publish(tx, done);
        return { row: done, more: false };
      }
      case "pending":
        if (submitted) await record(tx, row, "PROCESSING", outcome);
        return {
          row: await updatePayment(tx, id, {
            status: "PENDING",
            processorReference: outcome.reference,
            nextActionInMs: settings.pollMs,
          }),
          more: false,
        };
      case "declined":
        return giveBack(tx, row, outcome, { status: "FAILED", failureReason: "PROCESSOR_DECLINED" });
      case "returned":
        return giveBack(tx, row, outcome, { status: "REVERSED", failureReason: "PROCESSOR_RETURNED" });
      case "unknown_payment":
        // The processor lost a payment it had accepted (a sandbox restart): submit it again, under
        // the same idempotency key. A watched COMPLETED payment it forgot cannot be returned.
        if (row.status === "COMPLETED")
          return { row: await updatePayment(tx, id, { watchUntil: null }), more: false };
        return submit(tx, row);
      case "unreachable":
        return submitted
          ? timedOut(tx, row, outcome)
          : { row: await updatePayment(tx, id, { nextActionInMs: settings.pollMs }), more: false };
    }
  };

  /** A submission that got no answer: retry later, or fail once the processor confirms it never got it. */
  const timedOut = async (
    tx: DatabaseTransactionConnection,
    row: PaymentRow,
    outcome: ProcessorOutcome,
  ): Promise<StepResult> => {
    await record(tx, row, "FAILED", outcome);
    const attempts = row.attempts + 1;
    const fields = { paymentId: String(row.payment_id), attempts, code: outcome.code };
    if (attempts < settings.maxAttempts) {
      logger.warn(fields, "the processor did not answer (retryable); will retry with backoff");
      const delay = settings.retryBaseMs * 2 ** (attempts - 1);
      return {
        row: await updatePayment(tx, row.payment_id, { countAttempt: true, nextActionInMs: delay }),
        more: false,
      };
    }
    return confirmLastAttempt(tx, await updatePayment(tx, row.payment_id, { countAttempt: true }));
  };

  /**
   * Every attempt is spent: before giving up, make sure the processor did not receive the payment
   * after all, since failing a payment the network has paid would return money that has left the
   * bank. While the processor cannot be asked, the payment waits; it is never submitted again.
   */
  const confirmLastAttempt = async (
    tx: DatabaseTransactionConnection,
    row: PaymentRow,
  ): Promise<StepResult> => {
    const known = await processor.status(row.payment_id);
    if (known.kind === "unknown_payment") {
      logger.warn(
        { paymentId: String(row.payment_id), attempts: row.attempts },
        "the processor never answered and does not know the payment (non-retryable): FAILED",
      );
      return {
        row: await updatePayment(tx, row.payment_id, {
          status: "FAILED",
          failureReason: "PROCESSOR_TIMEOUT",
          fundsState: "TO_RELEASE",
          nextActionInMs: 0,
        }),
        more: true,
      };
    }
    if (known.kind === "unreachable") {
      return {
        row: await updatePayment(tx, row.payment_id, { nextActionInMs: settings.retryBaseMs }),
        more: false,
      };
    }
    return apply(tx, row, known, false);
  };

  const submit = async (tx: DatabaseTransactionConnection, row: PaymentRow): Promise<StepResult> => {
    const { beneficiary } = row.metadata;
    const outcome = await processor.submit({
      paymentId: row.payment_id,
      method: row.payment_method,
      amount: row.amount,
      currency: row.currency,
      reference: row.external_reference,
      attempt: row.attempts + 1,
      beneficiary,
    });
    if (outcome.kind === "unreachable") return timedOut(tx, row, outcome);
    return apply(tx, await updatePayment(tx, row.payment_id, { countAttempt: true }), outcome, true);
  };

  const step = async (
    tx: DatabaseTransactionConnection,
    row: PaymentRow,
    signal?: AbortSignal,
  ): Promise<StepResult> => {
    if (row.funds_state === "TO_DEBIT" || row.funds_state === "TO_RELEASE") return moveMoney(tx, row, signal);
    if (row.status === "INITIATED") {
      return row.attempts >= settings.maxAttempts ? confirmLastAttempt(tx, row) : submit(tx, row);
    }
    if (row.status === "PENDING") return apply(tx, row, await processor.status(row.payment_id), false);
    if (row.status === "COMPLETED" && row.watch_until) {
      if (row.watch_until.getTime() <= Date.now()) {
        return { row: await updatePayment(tx, row.payment_id, { watchUntil: null }), more: false };
      }
      return apply(tx, row, await processor.status(row.payment_id), false);
    }
    return { row, more: false };
  };

  return {
    async advance(paymentId, options = {}) {
      let current: PaymentRow | null = null;
      for (let n = 0; n < maxSteps; n++) {
        const result = await db.transaction(async (tx) => {
          const row = await findPayment(tx, paymentId, options.skipLocked ? "skip" : "wait");
          return row ? step(tx, row, options.signal) : null;
        });
        if (!result) return current;
        current = result.row;
        if (!result.more) break;
      }
      return current;
    },
  };
}
