// The rules of scheduled payments: who may schedule from and read which account, what a schedule
// must say, how its idempotency key makes a create or an update safe to retry, and the mapper
// from a stored schedule to the contract's ScheduledPayment.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { AccountStatus } from "../../../gen/ts/fidalex/account/v1/account_pb.js";
import {
  PaymentFrequency,
  ScheduledPaymentSchema,
  type ScheduledPayment,
} from "../../../gen/ts/fidalex/payment/v1/scheduled_payment_pb.js";
import type { SchedulePaymentRequest } from "../../../gen/ts/fidalex/payment/v1/payment_service_pb.js";
import { actorName, actsForBank } from "../../runtime/access.js";
import type { AccountAccess } from "../../runtime/account-access.js";
import type { AccountDirectory } from "../../runtime/account-directory.js";
import type { Principal } from "../../runtime/auth.js";
import { calendarDayStart } from "../../runtime/calendar.js";
import type { DatabasePool, DatabaseTransactionConnection } from "../../runtime/database.js";
import { domainError, invalidArgument } from "../../runtime/errors.js";
import { formatAmount, money } from "../../runtime/money.js";
import { requestFingerprint } from "../../runtime/request-fingerprint.js";
import {
  contractMethod,
  storedBeneficiary,
  storedMethod,
  toBeneficiary,
} from "../payments/payment-mapper.js";
import { checkBeneficiary } from "../payments/payment-service.js";
import type { Frequency } from "./run-dates.js";
import {
  cancelSchedule,
  findSchedule,
  findScheduleRequest,
  insertSchedule,
  insertScheduleRequest,
  replaceSchedule,
  type ScheduleFields,
  type ScheduleRow,
} from "./schedule-repository.js";

/** Today's date (UTC, YYYY-MM-DD) as the bank's calendar sees it; tests move it. */
export interface Clock {
  today(): string;
}

/** What the schedules need. */
export interface ScheduleServiceDeps {
  db: DatabasePool;
  directory: AccountDirectory;
  access: AccountAccess;
  clock: Clock;
}

const frequencies: Record<Frequency, PaymentFrequency> = {
  DAILY: PaymentFrequency.DAILY,
  WEEKLY: PaymentFrequency.WEEKLY,
  MONTHLY: PaymentFrequency.MONTHLY,
  YEARLY: PaymentFrequency.YEARLY,
};

/** A stored schedule as the contract's ScheduledPayment. */
export function toScheduledPayment(row: ScheduleRow): ScheduledPayment {
  return create(ScheduledPaymentSchema, {
    scheduleId: row.schedule_id,
    accountId: row.account_id,
    amount: row.amount,
    currency: row.currency,
    frequency: frequencies[row.frequency],
    nextRunDate: row.next_run_date,
    endDate: row.end_date ?? "",
    isActive: row.is_active,
    paymentMethod: contractMethod(row.payment_method),
    beneficiary: toBeneficiary(row.metadata.beneficiary),
    createdAt: timestampFromDate(row.created_at),
    updatedAt: timestampFromDate(row.updated_at),
  });
}

/** Thrown inside the transaction when a concurrent request recorded the key first. */
class KeyTakenError extends Error {}

/** Creates the schedules' rules. */
export function createScheduleService(deps: ScheduleServiceDeps) {
  const { db, directory, access, clock } = deps;

  /** Permission before existence: a customer learns nothing of other customers' schedules. */
  const requireReadable = (principal: Principal, row: ScheduleRow | null, signal?: AbortSignal) =>
    access.requireReachable(principal, row, (s) => [s.account_id], "scheduled payment", signal);

  /** The schedule's fields from a request, checked: real dates, from today on, a usable account. */
  const fieldsOf = async (principal: Principal, req: SchedulePaymentRequest, signal?: AbortSignal) => {
    const method = storedMethod(req.paymentMethod)!;
    checkBeneficiary(method, req.beneficiary!);
    const violations: Array<{ field: string; description: string }> = [];
    if (!calendarDayStart(req.nextRunDate))
      violations.push({ field: "next_run_date", description: "must be a real date" });
    else if (req.nextRunDate < clock.today()) {
      violations.push({ field: "next_run_date", description: "must be today or later" });
    }
    if (req.endDate && !calendarDayStart(req.endDate))
      violations.push({ field: "end_date", description: "must be a real date" });
    if (violations.length > 0) throw invalidArgument(violations);
    const account = await directory.describe(req.accountId, signal);
    if (account && account.status !== AccountStatus.ACTIVE) {
      throw domainError(Code.FailedPrecondition, "ACCOUNT_NOT_ACTIVE", "the account is not active");
    }
    if (account && account.currency !== req.currency) {
      throw domainError(
        Code.FailedPrecondition,
        "CURRENCY_MISMATCH",
        "the currency differs from the account's currency",
      );
    }
    const fields: ScheduleFields = {
      accountId: req.accountId,
      amount: formatAmount(money(req.amount)),
      currency: req.currency,
      frequency: (Object.keys(frequencies) as Frequency[]).find((f) => frequencies[f] === req.frequency)!,
      nextRunDate: req.nextRunDate,
      endDate: req.endDate || null,
      method,
      metadata: { beneficiary: storedBeneficiary(req.beneficiary!), initiatedBy: actorName(principal) },
    };
    return fields;
  };

  /** The schedule an update replaces, locked: same account, still active. */
  const replaceable = async (
    tx: DatabaseTransactionConnection,
    principal: Principal,
    req: SchedulePaymentRequest,
    signal?: AbortSignal,
  ) => {
    const current = await findSchedule(tx, req.scheduleId, { forUpdate: true });
    if (!current || current.account_id !== req.accountId) {
      // A customer cannot tell another customer's schedule from none at all.
      const visible =
        current &&
        (actsForBank(principal) ||
          (await directory.ownerOf(current.account_id, signal)) === principal.customerId);
      if (!visible) await requireReadable(principal, null, signal);
      throw invalidArgument([{ field: "account_id", description: "must be the schedule's account" }]);
    }
    if (!current.is_active) {
      throw domainError(
        Code.FailedPrecondition,
        "SCHEDULE_NOT_ACTIVE",
        "the schedule was cancelled or has ended",
      );
    }
    return current;
  };

  return {
    /** SchedulePayment: creates a schedule, or replaces an active one; replays answer the first result. */
    async schedule(
      principal: Principal,
      req: SchedulePaymentRequest,
      signal?: AbortSignal,
    ): Promise<ScheduleRow> {
      await access.requireOwnAccount(principal, req.accountId, signal);
      const fields = await fieldsOf(principal, req, signal);
      const fingerprint = requestFingerprint("SCHEDULE", [
        req.scheduleId,
        fields.accountId,
        fields.amount,
        fields.currency,
        fields.frequency,
        fields.nextRunDate,
        fields.endDate ?? "",
        fields.method,
        JSON.stringify(fields.metadata.beneficiary),
      ]);
      const replay = async () => {
        const earlier = await findScheduleRequest(db, req.accountId, req.idempotencyKey);
        if (!earlier) return undefined;
        if (earlier.request_fingerprint !== fingerprint) {
          throw domainError(
            Code.AlreadyExists,
            "IDEMPOTENCY_KEY_REUSED",
            "this idempotency key was already used with other parameters",
            {
              schedule_id: String(earlier.schedule_id),
            },
          );
        }
        return (await findSchedule(db, earlier.schedule_id)) ?? undefined;
      };
      const replayed = await replay();
      if (replayed) return replayed;
      try {
        return await db.transaction(async (tx) => {
          const row =
            req.scheduleId === 0n
              ? await insertSchedule(tx, fields)
              : await replaceSchedule(
                  tx,
                  (await replaceable(tx, principal, req, signal)).schedule_id,
                  fields,
                );
          const keyed = await insertScheduleRequest(tx, {
            accountId: req.accountId,
            key: req.idempotencyKey,
            fingerprint,
            scheduleId: row.schedule_id,
          });
          if (!keyed) throw new KeyTakenError();
          return row;
        });
      } catch (error) {
        if (!(error instanceof KeyTakenError)) throw error;
        // A concurrent request with the same key won; ours rolled back. Answer with the winner's.
        const winner = await replay();
        if (!winner) throw new Error("a schedule key conflicted but no request has it", { cause: error });
        return winner;
      }
    },

    /** GetScheduledPayment. */
    async get(principal: Principal, scheduleId: bigint, signal?: AbortSignal): Promise<ScheduleRow> {
      return requireReadable(principal, await findSchedule(db, scheduleId), signal);
    },

    /** CancelScheduledPayment: inactive from now on, with who and when; cancelling again changes nothing. */
    async cancel(principal: Principal, scheduleId: bigint, signal?: AbortSignal): Promise<ScheduleRow> {
      await requireReadable(principal, await findSchedule(db, scheduleId), signal);
      await cancelSchedule(db, scheduleId, actorName(principal));
      return (await findSchedule(db, scheduleId))!;
    },
  };
}

/** The schedules' rules of a running service. */
export type ScheduleService = ReturnType<typeof createScheduleService>;
