// Test harness of the Payment service: the core of the bank (Account and Transaction services,
// test/support/core-banking.ts), the sandbox processor and the Payment service, all in process
// over the stack's databases and Redis (the Payment service over a database of its own,
// payment_it, which the stack's Payment service does not work on), trusting one test signing key. The processing worker runs
// fast; the scheduler is run by hand with a clock the test moves.
import type { Client } from "@connectrpc/connect";
import { PaymentService } from "../../../gen/ts/fidalex/payment/v1/payment_service_pb.js";
import { PaymentMethod } from "../../../gen/ts/fidalex/payment/v1/payment_pb.js";
import { sql } from "../../runtime/database.js";
import { startHarness, type Clients, type Harness } from "../../../test/support/core-banking.js";
import { callerTransport, clientsOf, startTestService } from "../../../test/support/service-harness.js";
import { stackVar } from "../../../test/support/stack.js";
import type { TestClaims } from "../../../test/support/test-tokens.js";
import { paymentService } from "../main.js";
import { startSandboxProcessor, type SandboxProcessor } from "../processor/sandbox-processor.js";
import { createScheduler } from "../schedules/scheduler.js";

export { errorMetadata, expectRefusal } from "../../../test/support/test-tokens.js";

/** The sandbox's settlement delays in tests: short, so waits stay short. */
export const sandboxTimings = { wireSettleMs: 800, achSettleMs: 600, holdMs: 6_000 };

/** A mutable clock for the scheduler: today, as the test sets it. */
export interface TestClock {
  today(): string;
  set(day: string): void;
}

export interface PaymentHarness {
  readonly core: Harness;
  readonly sandbox: SandboxProcessor;
  readonly service: Awaited<ReturnType<typeof startPayment>>;
  readonly clock: TestClock;
  /** PaymentService clients for a caller. */
  payments(claims: TestClaims): Promise<Client<typeof PaymentService>>;
  /** A customer's clients of the core services and the Payment service. */
  customer(customerId: bigint): Promise<Clients & { payments: Client<typeof PaymentService> }>;
  /** A new KYC-verified customer with an account funded with `amount`. */
  fundedAccount(tag: string, amount: string): Promise<{ customerId: bigint; accountId: bigint }>;
  /** A new scheduler over the service's dependencies, as a second instance would run one. */
  scheduler(): ReturnType<typeof createScheduler>;
  /** The payment.processed events of a payment in the outbox (their JSON payloads). */
  processedEvents(paymentId: bigint): Promise<Array<Record<string, unknown>>>;
  close(): Promise<void>;
}

function startPayment(
  core: Harness,
  processorUrl: string,
  clock: TestClock,
  env: Record<string, string> = {},
) {
  return startTestService(paymentService, {
    env: {
      DATABASE_URL: stackVar("PAYMENT_IT_DATABASE_URL"),
      REDIS_URL: stackVar("REDIS_URL"),
      ACCOUNT_URL: core.accountUrl,
      TRANSACTION_URL: core.transactionUrl,
      PROCESSOR_URL: processorUrl,
      SERVICE_CLIENT_ID: "payment",
      SERVICE_CLIENT_SECRET: "payment-test-client-secret",
      // Generous: every service of the test runs in this one process, on a busy machine.
      PROCESSOR_TIMEOUT_MS: "1500",
      PROCESSOR_RETRY_BASE_MS: "200",
      PROCESSOR_MAX_ATTEMPTS: "3",
      PROCESSOR_POLL_MS: "200",
      ACH_RETURN_WINDOW_MS: "5000",
      PROCESSING_INTERVAL_MS: "200",
      SCHEDULER_INTERVAL_MS: "3600000",
      PAYMENT_RATE_LIMIT: "1000",
      ...env,
    },
    signer: core.signer,
    overrides: { clock },
  });
}

/** A beneficiary every network accepts: an account number with a routing number. */
export const usBeneficiary = {
  name: "Acme Utilities",
  account: { case: "accountNumber" as const, value: "000123456789" },
  bankCode: "021000021",
  reference: "",
};

/** A beneficiary abroad, by IBAN (what a wire needs). */
export const ibanBeneficiary = {
  name: "Müller Maschinenbau GmbH",
  account: { case: "iban" as const, value: "DE89370400440532013000" },
  bankCode: "",
  reference: "",
};

/** A CreatePayment request for an account (a wire goes to an IBAN, the others to a US account). */
export function paymentRequest(
  accountId: bigint,
  reference: string,
  options: { amount?: string; method?: PaymentMethod; beneficiaryReference?: string } = {},
) {
  return {
    accountId,
    externalReference: reference,
    paymentMethod: options.method ?? PaymentMethod.CARD,
    amount: options.amount ?? "25.00",
    currency: "USD",
    beneficiary:
      options.method === PaymentMethod.WIRE
        ? { ...ibanBeneficiary, reference: options.beneficiaryReference ?? "" }
        : { ...usBeneficiary, reference: options.beneficiaryReference ?? "" },
    description: "test payment",
  };
}

/** Starts everything; `env` adds or overrides the Payment service's variables. */
export async function startPaymentHarness(env: Record<string, string> = {}): Promise<PaymentHarness> {
  const core = await startHarness();
  const sandbox = await startSandboxProcessor({ port: 0, timings: sandboxTimings });
  let today = new Date().toISOString().slice(0, 10);
  const clock: TestClock = { today: () => today, set: (day) => void (today = day) };
  const service = await startPayment(core, sandbox.url, clock, env);
  const payments = async (claims: TestClaims) =>
    clientsOf(callerTransport(service.url, await core.signer.bearer(claims, { expiresIn: "30m" })), {
      payments: PaymentService,
    }).payments;
  let seq = 0;
  return {
    core,
    sandbox,
    service,
    clock,
    payments,
    async customer(customerId) {
      const claims = { sub: String(7_000_000_000 + ++seq), roles: ["CUSTOMER" as const], cid: customerId };
      return { ...(await core.as(claims)), payments: await payments(claims) };
    },
    async fundedAccount(tag, amount) {
      const customerId = await core.newCustomer(tag);
      const accountId = await core.newAccount(customerId);
      await core.fund(accountId, amount);
      return { customerId, accountId };
    },
    scheduler: () =>
      createScheduler({
        db: service.deps.db,
        processing: service.deps.processing,
        logger: service.deps.logger,
        clock,
        intervalMs: 3_600_000,
      }),
    async processedEvents(paymentId) {
      const rows = await service.deps.db.anyFirst(sql.unsafe`
        SELECT payload FROM outbox
         WHERE topic = 'payment.processed' AND aggregateid = ${String(paymentId)}
         ORDER BY created_at
      `);
      return rows as Array<Record<string, unknown>>;
    },
    async close() {
      await service.close();
      await sandbox.close();
      await core.close();
    },
  };
}

export { startPayment };
