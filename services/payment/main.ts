// The Payment service: configuration, migrations, the Account and Transaction services, the
// payment processor, the processing worker and the scheduler (services/runtime/service.ts runs it).
import { createAccountDirectory } from "../runtime/account-directory.js";
import { utcDay } from "../runtime/calendar.js";
import { defineService, serviceEntry } from "../runtime/service.js";
import { loadPaymentConfig, processingSettings, rateRule } from "./config.js";
import { createPaymentFunds } from "./funds/payment-funds.js";
import { createPaymentProcessing } from "./processing/payment-processing.js";
import { createProcessingWorker } from "./processing/processing-worker.js";
import { createHttpProcessor } from "./processor/payment-processor.js";
import { createScheduler } from "./schedules/scheduler.js";
import { paymentRoutes, type PaymentDeps } from "./server.js";

export const paymentService = defineService(import.meta.url, {
  loadConfig: loadPaymentConfig,
  async dependencies({ config, logger, ...ctx }): Promise<PaymentDeps> {
    const db = await ctx.database();
    const directory = createAccountDirectory(ctx.serviceTransport(config.ACCOUNT_URL), {
      timeoutMs: 5_000,
      settlementCustomerId: config.SETTLEMENT_CUSTOMER_ID,
    });
    const transactionTransport = ctx.serviceTransport(config.TRANSACTION_URL);
    const funds = createPaymentFunds({ transactionTransport, directory, timeoutMs: 10_000 });
    const processor = ctx.provide("processor", () =>
      createHttpProcessor({ baseUrl: config.PROCESSOR_URL, timeoutMs: config.PROCESSOR_TIMEOUT_MS }),
    );
    const settings = processingSettings(config);
    const processing = createPaymentProcessing({ db, funds, processor, logger, settings });
    const clock = ctx.provide("clock", () => ({ today: () => utcDay(new Date()) }));
    const redis = ctx.redis(config.REDIS_URL);
    return { db, redis, logger, directory, processor, processing, clock, rateRule: rateRule(config) };
  },
  routes: paymentRoutes,
  workers: ({ db, processing, logger, clock }, { config }) => [
    createProcessingWorker({ db, processing, logger, intervalMs: config.PROCESSING_INTERVAL_MS }),
    createScheduler({ db, processing, logger, clock, intervalMs: config.SCHEDULER_INTERVAL_MS }),
  ],
});

export const start = serviceEntry(paymentService, import.meta.url);
