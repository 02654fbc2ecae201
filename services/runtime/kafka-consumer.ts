// Kafka consumers of the mesh. The idempotent one commits each event's effect and the record of its
// id in one database transaction, so a redelivered event changes nothing; both send a message that
// can never be processed to a dead-letter topic instead of blocking its partition.
import { Kafka, logLevel, type Consumer, type KafkaMessage, type Producer } from "kafkajs";
import { sql, type DatabasePool, type DatabaseTransactionConnection } from "./database.js";
import { ensureTopics } from "./kafka-topics.js";
import type { Logger } from "./logger.js";
import type { BackgroundWorker } from "./service.js";

/** A failure that retrying cannot fix (malformed payload, unknown event type): dead-letter it. */
export class NonRetryableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "NonRetryableError";
  }
}

/** What a handler receives: the message, its topic and a transaction to write its effect in. */
export interface ConsumedEvent {
  topic: string;
  partition: number;
  message: KafkaMessage;
  /** The event id: the `id` header Debezium's outbox router sets, or topic/partition/offset. */
  eventId: string;
  /** The parsed JSON value, or undefined for a tombstone. */
  value: unknown;
}

/** A consumer group, its topics and how it retries. */
export interface EventConsumerOptions {
  /** Consumer name: the Kafka group id (and the key of processed-event records, where kept). */
  name: string;
  brokers: string[];
  topics: string[];
  logger: Logger;
  /**
   * Applies an event's effect. It must be idempotent: an event can be delivered more than once.
   * A NonRetryableError dead-letters the event; any other error is retried.
   */
  process: (event: ConsumedEvent) => Promise<void>;
  /** Read topics from the beginning when the group has no committed offset; default true. */
  fromBeginning?: boolean;
  /** Attempts for a retryable failure before the message is dead-lettered; default 5. */
  maxAttempts?: number;
  /**
   * Partitions processed at once (order is kept within a partition); default 8, so that a message
   * waiting to be retried on one partition does not hold up the others, or other topics.
   */
  partitionsConsumedConcurrently?: number;
}

/** A consumer whose events' effects land in the service's PostgreSQL database, exactly once. */
export interface IdempotentConsumerOptions extends Omit<EventConsumerOptions, "process"> {
  db: DatabasePool;
  /** Applies an event's effect inside the given transaction. */
  handle: (event: ConsumedEvent, tx: DatabaseTransactionConnection) => Promise<void>;
}

/** A running consumer. */
export interface IdempotentConsumer {
  stop(): Promise<void>;
}

function eventIdOf(topic: string, partition: number, message: KafkaMessage): string {
  const header = message.headers?.id;
  const id = Array.isArray(header) ? header[0] : header;
  return id ? id.toString() : `${topic}/${partition}/${message.offset}`;
}

function parseValue(message: KafkaMessage): unknown {
  if (!message.value) return undefined;
  try {
    return JSON.parse(message.value.toString("utf8"));
  } catch (cause) {
    throw new NonRetryableError("message value is not JSON", { cause });
  }
}

/** Starts a consumer group that applies each event exactly once to the service's database. */
export function startIdempotentConsumer(options: IdempotentConsumerOptions): Promise<IdempotentConsumer> {
  return startEventConsumer({
    ...options,
    process: (event) =>
      options.db.transaction(async (tx) => {
        const fresh = await tx.maybeOne(sql.unsafe`
          INSERT INTO processed_events (consumer, event_id, topic)
          VALUES (${options.name}, ${event.eventId}, ${event.topic})
          ON CONFLICT DO NOTHING
          RETURNING event_id
        `);
        if (fresh) await options.handle(event, tx);
      }),
  });
}

/**
 * Starts a consumer group that hands each event to `process`, retrying failures with backoff and
 * dead-lettering events that can never be processed.
 */
export async function startEventConsumer(options: EventConsumerOptions): Promise<IdempotentConsumer> {
  const kafka = new Kafka({
    clientId: options.name,
    brokers: options.brokers,
    logLevel: logLevel.WARN,
    retry: { retries: 8 },
  });
  const consumer: Consumer = kafka.consumer({ groupId: options.name });
  const producer: Producer = kafka.producer();
  await Promise.all([consumer.connect(), producer.connect()]);
  for (const topic of options.topics) {
    await consumer.subscribe({ topic, fromBeginning: options.fromBeginning ?? true });
  }
  const maxAttempts = options.maxAttempts ?? 5;

  const processMessage = async (topic: string, partition: number, message: KafkaMessage) => {
    const eventId = eventIdOf(topic, partition, message);
    await options.process({ topic, partition, message, eventId, value: parseValue(message) });
  };

  await consumer.run({
    partitionsConsumedConcurrently: options.partitionsConsumedConcurrently ?? 8,
    eachMessage: async ({ topic, partition, message }) => {
      for (let attempt = 1; ; attempt++) {
        try {
          await processMessage(topic, partition, message);
          return;
        } catch (error) {
          const retryable = !(error instanceof NonRetryableError) && attempt < maxAttempts;
          const fields = {
            consumer: options.name,
            topic,
            partition,
            offset: message.offset,
            attempt,
            err: error,
          };
          if (retryable) {
            options.logger.warn(fields, "event failed; retryable, will retry");
            await new Promise((resolve) => setTimeout(resolve, Math.min(200 * 2 ** attempt, 5_000)));
            continue;
          }
          options.logger.error(fields, "event failed; not retryable, sent to the dead-letter topic");
          await producer.send({
            topic: `${topic}.dlq`,
            messages: [
              {
                key: message.key,
                value: message.value,
                headers: { ...message.headers, "dlq-reason": String((error as Error).message ?? error) },
              },
            ],
          });
          return;
        }
      }
    },
  });

  return {
    async stop() {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}

/**
 * A consumer as a background worker of its service: started after the server listens (its topics
 * created first if they do not exist yet, since kafkajs cannot subscribe to a topic the broker does
 * not know), stopped with the service.
 */
export function consumerWorker(
  options: { brokers: string[]; topics: string[]; logger: Logger },
  startConsumer: () => Promise<IdempotentConsumer>,
): BackgroundWorker {
  let consumer: IdempotentConsumer | undefined;
  return {
    async start() {
      await ensureTopics(options.brokers, options.topics, options.logger);
      consumer = await startConsumer();
    },
    async stop() {
      await consumer?.stop();
    },
  };
}
