// Change events shaped the way Debezium's Postgres connector sends them to the loader: the record
// key is the primary key as JSON; the value is the flattened row (ExtractNewRecordState) without a
// schema, NUMERIC as decimal strings, TIMESTAMPTZ as ISO-8601 strings, DATE as days since
// 1970-01-01, plus __op, __deleted, __source_ts_ms and __lsn.
import { Kafka, logLevel, Partitioners, type Producer } from "kafkajs";

export type Row = Record<string, unknown>;

/** Where a produced message landed. */
export interface Produced {
  topic: string;
  partition: number;
  offset: string;
}

/** Days since 1970-01-01 of a YYYY-MM-DD day, as Debezium sends DATE columns. */
export function epochDays(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / 86_400_000;
}

/** The change metadata Debezium adds to a flattened row. */
export function changeOf(row: Row, lsn: number, options: { op?: "c" | "u" | "d" | "r" } = {}): Row {
  const op = options.op ?? "u";
  return {
    ...row,
    __op: op,
    __deleted: op === "d" ? "true" : "false",
    __source_ts_ms: Date.now(),
    __lsn: lsn,
  };
}

export interface CdcProducer {
  /** Sends a change of the row with the key; value null sends a tombstone. */
  send(topic: string, key: Row, value: Row | null): Promise<Produced>;
  /** Sends raw bytes as the value, e.g. a poison message. */
  sendRaw(topic: string, key: Row, value: string): Promise<Produced>;
  disconnect(): Promise<void>;
}

export async function createCdcProducer(brokers: string[]): Promise<CdcProducer> {
  const kafka = new Kafka({ clientId: "insights-test-cdc", brokers, logLevel: logLevel.NOTHING });
  const producer: Producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const sendRaw = async (topic: string, key: Row, value: string | null) => {
    const [meta] = await producer.send({ topic, messages: [{ key: JSON.stringify(key), value }] });
    return { topic, partition: meta!.partition, offset: meta!.baseOffset! };
  };
  return {
    send: (topic, key, value) => sendRaw(topic, key, value === null ? null : JSON.stringify(value)),
    sendRaw,
    disconnect: () => producer.disconnect(),
  };
}

/** Reads a topic from its beginning until `found` says it has seen what it waits for. */
export async function readTopicUntil(
  brokers: string[],
  topic: string,
  found: (messages: { key: string; value: string; headers: Record<string, string> }[]) => boolean,
  timeoutMs = 45_000,
): Promise<{ key: string; value: string; headers: Record<string, string> }[]> {
  const kafka = new Kafka({ clientId: "insights-test-reader", brokers, logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `insights-test-reader-${Date.now()}-${Math.random()}` });
  const seen: { key: string; value: string; headers: Record<string, string> }[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    let done: () => void = () => {};
    const finished = new Promise<void>((resolve) => (done = resolve));
    await consumer.run({
      eachMessage: async ({ message }) => {
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(message.headers ?? {})) headers[name] = String(value);
        seen.push({ key: message.key?.toString() ?? "", value: message.value?.toString() ?? "", headers });
        if (found(seen)) done();
      },
    });
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref());
    await Promise.race([finished, timeout]);
    return seen;
  } finally {
    await consumer.disconnect();
  }
}
