// Domain events leave a service only through its outbox table, written in the same database
// transaction as the change they report; Debezium publishes them to Kafka.
import { randomUUID } from "node:crypto";
import { toJsonString, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { timestampNow, type Timestamp } from "@bufbuild/protobuf/wkt";
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
  const payload = toJsonString(event.schema, event.message);
  await tx.query(sql.unsafe`
    INSERT INTO outbox (id, aggregatetype, aggregateid, type, topic, payload)
    VALUES (${event.message.eventId}, ${event.aggregateType}, ${String(event.aggregateId)},
            ${event.schema.typeName}, ${event.topic}, ${payload}::jsonb)
  `);
}
