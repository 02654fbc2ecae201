// The rules of one-off payments: who may pay from and read which account, what a beneficiary
// needs for each network, how a reference makes a request idempotent, the rate limit, and how a
// new payment is handed to the processing.
import { Code } from "@connectrpc/connect";
import type { Redis } from "ioredis";
import type {
  CreatePaymentRequest,
  ListAccountPaymentsRequest,
} from "../../../gen/ts/fidalex/payment/v1/payment_service_pb.js";
import type { Beneficiary } from "../../../gen/ts/fidalex/payment/v1/payment_pb.js";
import { actorName } from "../../runtime/access.js";
import type { AccountAccess } from "../../runtime/account-access.js";
import type { AccountDirectory } from "../../runtime/account-directory.js";
import type { Principal } from "../../runtime/auth.js";
import type { DatabasePool } from "../../runtime/database.js";
import { domainError, invalidArgument } from "../../runtime/errors.js";
import type { Logger } from "../../runtime/logger.js";
import { formatAmount, money } from "../../runtime/money.js";
import { fetchNewestFirst } from "../../runtime/pagination.js";
import type { RateLimiter } from "../../runtime/rate-limit.js";
import { requestFingerprint } from "../../runtime/request-fingerprint.js";
import type { PaymentProcessing } from "../processing/payment-processing.js";
import { storedBeneficiary, storedMethod, storedStatus } from "./payment-mapper.js";
import {
  findPayment,
  findPaymentByReference,
  insertPayment,
  listAccountPayments,
  listAttempts,
  type NewPayment,
  type PaymentRow,
  type StoredPaymentMethod,
} from "./payment-repository.js";

/** What the payments need. */
export interface PaymentServiceDeps {
  db: DatabasePool;
  redis: Redis;
  logger: Logger;
  directory: AccountDirectory;
  access: AccountAccess;
  processing: PaymentProcessing;
  rateLimiter: RateLimiter;
}

/** How long the Redis hint of a reference lives. */
const referenceHintSeconds = 24 * 3600;

/** The Redis key that remembers which payment an account's reference made (the spec's key). */
export const referenceKey = (accountId: bigint, reference: string) =>
  `payment:idempotency:${accountId}:${reference}`;

/**
 * Checks that the beneficiary has what the network needs: ACH an account number and a 9-digit
 * routing number, WIRE an IBAN or an account number with a BIC, CARD the processor's token in
 * account_number. INVALID_ARGUMENT names the missing field.
 */
export function checkBeneficiary(
  method: StoredPaymentMethod,
  beneficiary: Beneficiary,
  field = "beneficiary",
): void {
  const problems: Array<{ field: string; description: string }> = [];
  const { account, bankCode } = beneficiary;
  const routing = /^[0-9]{9}$/.test(bankCode);
  const bic = /^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bankCode);
  if (method === "ACH") {
    if (account.case !== "accountNumber") {
      problems.push({
        field: `${field}.account_number`,
        description: "ACH needs an account number (not an IBAN)",
      });
    }
    if (!routing)
      problems.push({ field: `${field}.bank_code`, description: "ACH needs a 9-digit routing number" });
  } else if (method === "WIRE") {
    if (account.case === "accountNumber" && !bic) {
      problems.push({
        field: `${field}.bank_code`,
        description: "a wire to an account number needs the bank's BIC",
      });
    }
  } else if (method === "CARD" && account.case !== "accountNumber") {
    problems.push({
      field: `${field}.account_number`,
      description: "a card payment needs the processor's token",
    });
  }
  if (problems.length > 0) throw invalidArgument(problems);
}

/** The error a payment the ledger refused answers with, the first time and on every replay. */
export function refusalError(row: PaymentRow) {
  const reason = row.failure_reason ?? "PAYMENT_REFUSED";
  return domainError(
    reason === "ACCOUNT_NOT_FOUND" ? Code.NotFound : Code.FailedPrecondition,
    reason,
    "the payment was refused: the account cannot pay it",
    { payment_id: String(row.payment_id) },
  );
}

/** Whether a FAILED payment was refused by the ledger (nothing ever left the account). */
const refusedByLedger = (row: PaymentRow) => row.status === "FAILED" && row.funds_state === "NONE";

/** Creates the payments' rules. */
export function createPaymentService(deps: PaymentServiceDeps) {
  const { db, redis, logger, access, processing, rateLimiter } = deps;

  const answer = (row: PaymentRow) => {
    if (refusedByLedger(row)) throw refusalError(row);
    return row;
  };

  /** The earlier payment of a reference, checked to be the same request. */
  const replay = (existing: PaymentRow, fingerprint: string) => {
    if (existing.request_fingerprint !== fingerprint) {
      throw domainError(
        Code.AlreadyExists,
        "IDEMPOTENCY_KEY_REUSED",
        "this external_reference was already used for another payment from this account",
        { payment_id: String(existing.payment_id) },
      );
    }
    return answer(existing);
  };

  /** The payment a reference already made, from the Redis hint or the database. */
  const earlier = async (accountId: bigint, reference: string): Promise<PaymentRow | null> => {
    const hinted = await redis.get(referenceKey(accountId, reference)).catch(() => null);
    const byHint = hinted && /^[0-9]+$/.test(hinted) ? await findPayment(db, BigInt(hinted)) : null;
    if (byHint && byHint.account_id === accountId && byHint.external_reference === reference) return byHint;
    return findPaymentByReference(db, accountId, reference);
  };

  return {
    /**
     * CreatePayment: records the payment (once per account and reference), then takes it as far
     * as it goes at once: the debit, and the processor's first answer.
     */
    async create(principal: Principal, req: CreatePaymentRequest, signal?: AbortSignal): Promise<PaymentRow> {
      await access.requireOwnAccount(principal, req.accountId, signal);
      const method = storedMethod(req.paymentMethod)!;
      checkBeneficiary(method, req.beneficiary!);
      const amount = formatAmount(money(req.amount));
      const beneficiary = storedBeneficiary(req.beneficiary!);
      const fingerprint = requestFingerprint("PAYMENT", [
        req.accountId,
        method,
        amount,
        req.currency,
        JSON.stringify(beneficiary),
        req.description,
      ]);
      const existing = await earlier(req.accountId, req.externalReference);
      if (existing) return replay(existing, fingerprint);
      await rateLimiter.enforce(String(req.accountId));

      const payment: NewPayment = {
        accountId: req.accountId,
        externalReference: req.externalReference,
        method,
        amount,
        currency: req.currency,
        metadata: {
          beneficiary,
          ...(req.description ? { description: req.description } : {}),
          initiatedBy: actorName(principal),
        },
        fingerprint,
        scheduleId: null,
      };
      const inserted = await insertPayment(db, payment);
      if (!inserted) {
        // A concurrent request with the same reference won the race: answer with its payment.
        const winner = await findPaymentByReference(db, req.accountId, req.externalReference);
        if (!winner) throw new Error("a payment reference conflicted but no payment has it");
        return replay(winner, fingerprint);
      }
      await redis
        .set(
          referenceKey(req.accountId, req.externalReference),
          String(inserted.payment_id),
          "EX",
          referenceHintSeconds,
        )
        .catch((err: unknown) =>
          logger.warn({ err }, "payment reference hint not stored in Redis (retryable)"),
        );
      const advanced = await processing.advance(inserted.payment_id, { signal });
      return answer(advanced ?? inserted);
    },

    /** GetPayment: the payment and its attempts, if the principal may see it. */
    async get(principal: Principal, paymentId: bigint, signal?: AbortSignal) {
      const found = await findPayment(db, paymentId);
      const row = await access.requireReachable(principal, found, (p) => [p.account_id], "payment", signal);
      return { row, attempts: await listAttempts(db, paymentId) };
    },

    /** ListAccountPayments: one account's payments, newest first. */
    async listForAccount(principal: Principal, req: ListAccountPaymentsRequest, signal?: AbortSignal) {
      await access.requireOwnAccount(principal, req.accountId, signal);
      const status = storedStatus(req.status);
      return fetchNewestFirst(
        req,
        requestFingerprint("ListAccountPayments", [req.accountId, status ?? "ANY"]),
        (after, limit) => listAccountPayments(db, { accountId: req.accountId, status, after, limit }),
        (row) => ({ us: row.initiated_us, id: row.payment_id }),
      );
    },
  };
}

/** The payments' rules of a running service. */
export type PaymentService = ReturnType<typeof createPaymentService>;
