// The consumer of transaction.completed (the spec has the Loan service consume it): a completed
// transaction changes the balances and history the cached features of its accounts' owner rest
// on, so those features are dropped and the next assessment computes them afresh. Dropping a key
// twice changes nothing, so the consumer needs no record of processed events; it starts from the
// latest offset, since events older than the cache's TTL cannot concern a cached entry.
import { fromJson } from "@bufbuild/protobuf";
import { TransactionCompletedSchema } from "../../../gen/ts/fidalex/events/v1/transaction_completed_pb.js";
import { consumerWorker, NonRetryableError, startEventConsumer } from "../../runtime/kafka-consumer.js";
import type { Logger } from "../../runtime/logger.js";
import type { BackgroundWorker } from "../../runtime/service.js";
import type { FeatureStore } from "./applicant-features.js";

/** The topic the consumer reads. */
export const transactionCompletedTopic = "transaction.completed";

/** Creates the consumer as a worker of the service (started after the server listens). */
export function createFeatureCacheInvalidation(deps: {
  brokers: string[];
  features: FeatureStore;
  logger: Logger;
}): BackgroundWorker {
  const { brokers, features, logger } = deps;
  const topics = [transactionCompletedTopic];
  return consumerWorker({ brokers, topics, logger }, () =>
    startEventConsumer({
      name: "loan-feature-cache",
      brokers,
      topics,
      logger,
      fromBeginning: false,
      async process(event) {
        if (event.value === undefined) return;
        let completed;
        try {
          completed = fromJson(TransactionCompletedSchema, event.value as never, {
            ignoreUnknownFields: true,
          });
        } catch (cause) {
          throw new NonRetryableError("not a TransactionCompleted event", { cause });
        }
        const accounts = [completed.accountId, completed.relatedAccountId].filter((id) => id > 0n);
        const dropped = await features.invalidateAccounts(accounts);
        if (dropped.length > 0) {
          logger.info(
            { transactionId: String(completed.transactionId), customers: dropped.map(String) },
            "cached features dropped after a transaction",
          );
        }
      },
    }),
  );
}
