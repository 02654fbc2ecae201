// Domain events leave a service only through its outbox table, written in the same database
// transaction as the change they report; Debezium publishes them to Kafka.
import { randomUUID } from "node:crypto";
import { toJsonString, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { timestampNow, type Timestamp } from "@bufbuild/protobuf/wkt";
import type { FragmentSqlToken } from "slonik";
import { sql, type CommonQueryMethods } from "./database.js";

/** The id and time every event carries. */
export interface EventHeader {
  eventId: string;
  eventTime: Timestamp;
}

/** A fresh event id and the current time, for building an event message. */
export function newEventHeader(): EventHeader {
  return { eventId: randomUUID(), eventTime: timestampNow() };
}

/** An event to publish: its topic, the aggregate it is about (the Kafka key) and its message. */
export interface OutboxEvent<Desc extends DescMessage> {
  /** The Kafka topic, e.g. "transaction.completed". */
  topic: string;
  /** The kind of aggregate, e.g. "transaction". */
  aggregateType: string;
  /** The aggregate's id; Debezium uses it as the record key, so one aggregate stays in order. */
  aggregateId: string | bigint;
  schema: Desc;
  /** The event message; its event_id becomes the outbox row id. */
  message: MessageShape<Desc> & { eventId: string };
}

/** Writes an event to the outbox within the caller's transaction. */
export async function appendOutboxEvent<Desc extends DescMessage>(
  tx: CommonQueryMethods,
  event: OutboxEvent<Desc>,
): Promise<void> {
  await tx.query(sql.unsafe`${outboxInsert(event)}`);
}

/**
 * The INSERT of an event's outbox row, as a statement of its own or as a step of a larger one (a
 * data-modifying WITH), where `when` makes it conditional, e.g. on another step's rows.
 */
export function outboxInsert<Desc extends DescMessage>(
  event: OutboxEvent<Desc>,
  when: FragmentSqlToken = sql.fragment`TRUE`,
): FragmentSqlToken {
  const payload = toJsonString(event.schema, event.message);
  return sql.fragment`
    INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload)
    SELECT ${event.message.eventId}::uuid, ${event.aggregateType}, ${String(event.aggregateId)},
           ${event.schema.typeName}, ${event.topic}, ${payload}::jsonb
    WHERE ${when}`;
}
