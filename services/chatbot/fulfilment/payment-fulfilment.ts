// Scheduled payments, fulfilled by the Payment service as the user. The contract has no RPC that
// lists an account's schedules: a schedule is found through the payments it has made (their
// external_reference is `schedule-{schedule_id}-{YYYYMMDD}`), then read with GetScheduledPayment.
// So a schedule that has not run yet is not listed; the reply says so. A ListScheduledPayments RPC
// in the Payment contract would close that gap.
import { PaymentFrequency } from "../../../gen/ts/fidalex/payment/v1/scheduled_payment_pb.js";
import type { ScheduledPayment } from "../../../gen/ts/fidalex/payment/v1/scheduled_payment_pb.js";
import { accountLabel, accountsAskedAbout } from "./account-resolution.js";
import { asCaller, isUnreachable, type BankAccess } from "./banking-clients.js";
import { say, unreachable, unresolved, type Fulfil } from "./outcome.js";

/** The Payment fulfilments. */
export interface PaymentFulfilment {
  scheduledPayments: Fulfil;
}

const frequencyWords: Record<PaymentFrequency, string> = {
  [PaymentFrequency.UNSPECIFIED]: "",
  [PaymentFrequency.DAILY]: "daily",
  [PaymentFrequency.WEEKLY]: "weekly",
  [PaymentFrequency.MONTHLY]: "monthly",
  [PaymentFrequency.YEARLY]: "yearly",
};

const scheduleReference = /^schedule-(\d{1,19})-\d{8}$/;
const maxSchedules = 20;

/** Creates the fulfilment over the caller-forwarding clients. */
export function createPaymentFulfilment(bank: BankAccess): PaymentFulfilment {
  const { clients } = bank;

  return {
    async scheduledPayments(request, context) {
      const asked = accountsAskedAbout(context, request.entities);
      if ("problem" in asked) return unresolved(asked.problem);
      try {
        const scheduleIds = new Set<bigint>();
        for (const account of asked.accounts) {
          const { payments } = await clients.payments.listAccountPayments(
            { accountId: BigInt(account.accountId), pageSize: 200 },
            asCaller(request.caller, bank),
          );
          for (const payment of payments) {
            const id = scheduleReference.exec(payment.externalReference)?.[1];
            if (id && scheduleIds.size < maxSchedules) scheduleIds.add(BigInt(id));
          }
        }
        const schedules = (
          await Promise.all(
            [...scheduleIds].map(async (scheduleId) => {
              const { scheduledPayment } = await clients.payments.getScheduledPayment(
                { scheduleId },
                asCaller(request.caller, bank),
              );
              return scheduledPayment!;
            }),
          )
        )
          .filter((s) => s.isActive && within(s, request.entities))
          .sort((a, b) => a.nextRunDate.localeCompare(b.nextRunDate));
        if (schedules.length === 0) {
          return say(
            "I found no active scheduled payments that have run from your accounts" +
              (request.entities.date_from
                ? ` due between ${request.entities.date_from} and ${request.entities.date_to}`
                : "") +
              ". A schedule set up recently shows here after its first payment.",
          );
        }
        const lines = schedules.map((s) => {
          const from = context.accounts.find((a) => a.accountId === String(s.accountId));
          const frequency = frequencyWords[s.frequency];
          return (
            `- ${s.nextRunDate}: ${s.amount} ${s.currency} to ${s.beneficiary?.name ?? "a beneficiary"}` +
            `${frequency ? ` (${frequency})` : ""}${from ? ` from your ${accountLabel(from)}` : ""}`
          );
        });
        return { kind: "answer", values: { payments: lines.join("\n") } };
      } catch (error) {
        if (isUnreachable(error)) return unreachable("your scheduled payments", "payment");
        throw error;
      }
    },
  };
}

/** Whether a schedule's next run falls in the asked period (any, when none was asked). */
function within(schedule: ScheduledPayment, entities: Readonly<Record<string, string>>): boolean {
  if (!entities.date_from) return true;
  return schedule.nextRunDate >= entities.date_from && schedule.nextRunDate <= entities.date_to!;
}
