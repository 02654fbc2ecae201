// The Payment service's routes over its dependencies: one-off payments and scheduled payments,
// behind one PaymentService. No I/O happens here.
import type { Redis } from "ioredis";
import { PaymentService } from "../../gen/ts/fidalex/payment/v1/payment_service_pb.js";
import { createAccountAccess } from "../runtime/account-access.js";
import type { AccountDirectory } from "../runtime/account-directory.js";
import type { DatabasePool } from "../runtime/database.js";
import type { Logger } from "../runtime/logger.js";
import { createRateLimiter, type RateLimitRule } from "../runtime/rate-limit.js";
import type { ServedRoutes } from "../runtime/service.js";
import { createPaymentHandlers } from "./payments/payment-handler.js";
import { createPaymentService } from "./payments/payment-service.js";
import type { PaymentProcessing } from "./processing/payment-processing.js";
import type { PaymentProcessor } from "./processor/payment-processor.js";
import { createScheduleHandlers } from "./schedules/schedule-handler.js";
import { createScheduleService, type Clock } from "./schedules/schedule-service.js";

/** What the Payment service runs on. */
export interface PaymentDeps {
  db: DatabasePool;
  redis: Redis;
  logger: Logger;
  /** What the Account service says about accounts (owners, currencies, settlement accounts). */
  directory: AccountDirectory;
  /** The payment network (the sandbox processor in the local stack). */
  processor: PaymentProcessor;
  /** Takes payments through their states. */
  processing: PaymentProcessing;
  /** The bank's calendar for schedules. */
  clock: Clock;
  /** Payments an account may make in a window (rl:payment:{account_id}). */
  rateRule: RateLimitRule;
}

/** The routes of the Payment service. */
export function paymentRoutes(deps: PaymentDeps): ServedRoutes {
  const { db, redis, logger, directory, processing, clock } = deps;
  const access = createAccountAccess(directory);
  const rateLimiter = createRateLimiter({
    redis,
    logger,
    prefix: "rl:payment",
    what: "payments",
    rule: deps.rateRule,
  });
  const payments = createPaymentService({ db, redis, logger, directory, access, processing, rateLimiter });
  const schedules = createScheduleService({ db, directory, access, clock });
  return {
    services: [PaymentService],
    routes: (router) =>
      router.service(PaymentService, {
        ...createPaymentHandlers(payments),
        ...createScheduleHandlers(schedules),
      }),
  };
}
