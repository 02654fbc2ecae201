// The consumer of `customer.updated` (published by the Account service through its outbox): it
// drops the customer's cached context, so the next answer reads the new name, KYC status or
// accounts. Dropping a cache entry twice changes nothing, so redelivery is harmless and no record
// of processed events is kept. One consumer group serves every instance, since the cache lives in
// Redis, which all of them share.
import { fromJson } from "@bufbuild/protobuf";
import { CustomerUpdatedSchema } from "../../../gen/ts/fidalex/events/v1/customer_updated_pb.js";
import {
  NonRetryableError,
  startEventConsumer,
  type IdempotentConsumer,
} from "../../runtime/kafka-consumer.js";
import { ensureTopics } from "../../runtime/kafka-topics.js";
import type { Logger } from "../../runtime/logger.js";
import type { BackgroundWorker } from "../../runtime/service.js";
import type { CustomerContexts } from "./customer-context.js";

export const customerUpdatedTopic = "customer.updated";

/** The customer id an event is about; NonRetryableError (dead letter) when it names none. */
export function customerOfEvent(value: unknown): bigint {
  let customerId: bigint;
  try {
    ({ customerId } = fromJson(CustomerUpdatedSchema, value as never, { ignoreUnknownFields: true }));
  } catch (cause) {
    throw new NonRetryableError("not a CustomerUpdated event", { cause });
  }
  if (customerId <= 0n) throw new NonRetryableError("the event names no customer");
  return customerId;
}

/** The worker that consumes `customer.updated` in consumer group `groupId`. */
export function createCustomerUpdatesWorker(deps: {
  brokers: string[];
  groupId: string;
  contexts: CustomerContexts;
  logger: Logger;
}): BackgroundWorker {
  let consumer: IdempotentConsumer | undefined;
  return {
    async start() {
      await ensureTopics(deps.brokers, [customerUpdatedTopic], deps.logger);
      consumer = await startEventConsumer({
        name: deps.groupId,
        brokers: deps.brokers,
        topics: [customerUpdatedTopic],
        logger: deps.logger,
        async process(event) {
          const customerId = customerOfEvent(event.value);
          await deps.contexts.forget(customerId);
          deps.logger.debug(
            { customerId: String(customerId), eventId: event.eventId },
            "customer context dropped",
          );
        },
      });
    },
    async stop() {
      await consumer?.stop();
    },
  };
}
