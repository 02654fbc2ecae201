// Apache Kafka of the local stack, reached with kafkajs 2.2.4, the client the services use.
// Kafka 4 removed old protocol versions (KIP-896); these tests prove kafkajs still speaks to it.
import { createRequire } from "node:module";
import { Kafka, logLevel } from "kafkajs";
import type { Admin, Consumer, Producer } from "kafkajs";
import { stackVar } from "../support/stack.js";

process.env.KAFKAJS_NO_PARTITIONER_WARNING = "1";

let kafka: Kafka;
let brokers: string[];
const closers: Array<() => Promise<void>> = [];

beforeAll(async () => {
  brokers = stackVar("KAFKA_BROKERS").split(",");
  kafka = new Kafka({ clientId: "infra-test", brokers, logLevel: logLevel.NOTHING });
});

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
});

async function admin(): Promise<Admin> {
  const a = kafka.admin();
  await a.connect();
  closers.push(() => a.disconnect());
  return a;
}
async function producer(): Promise<Producer> {
  const p = kafka.producer({ idempotent: true });
  await p.connect();
  closers.push(() => p.disconnect());
  return p;
}

/** Consumes with `groupId` until `count` messages arrived (or the time is up), then leaves the group. */
async function consume(groupId: string, topic: string, count: number, timeoutMs: number): Promise<string[]> {
  const consumer: Consumer = kafka.consumer({ groupId, retry: { retries: 10 } });
  await consumer.connect();
  const values: string[] = [];
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      void consumer.run({
        eachMessage: async ({ message }) => {
          values.push(message.value?.toString() ?? "");
          if (values.length >= count) {
            clearTimeout(timer);
            resolve();
          }
        },
      });
    });
  } finally {
    await consumer.disconnect(); // commits the consumed offsets and leaves the group
  }
  return values;
}

test("kafkajs produces and a consumer group consumes, commits and resumes after its offsets", async () => {
  const topic = `infra.probe.${Date.now()}`;
  const groupId = `infra-group-${Date.now()}`;
  const a = await admin();
  await a.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  const p = await producer();
  await p.send({
    topic,
    messages: [
      { key: "acct-1", value: "m1", headers: { id: "e1" } },
      { key: "acct-1", value: "m2", headers: { id: "e2" } },
    ],
  });

  expect(await consume(groupId, topic, 2, 45_000)).toEqual(["m1", "m2"]);
  const offsets = await a.fetchOffsets({ groupId, topics: [topic] });
  expect(offsets[0]?.partitions).toEqual([{ partition: 0, offset: "2", metadata: null }]);

  // The same group, started again, sees only what came after its committed offset.
  await p.send({ topic, messages: [{ key: "acct-1", value: "m3" }] });
  expect(await consume(groupId, topic, 1, 45_000)).toEqual(["m3"]);
}, 120_000);

test("a transactional producer commits (exactly-once writes the services may use)", async () => {
  const topic = `infra.tx.${Date.now()}`;
  const a = await admin();
  await a.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  const tx = kafka.producer({
    transactionalId: `infra-tx-${Date.now()}`,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  await tx.connect();
  closers.push(() => tx.disconnect());
  const t = await tx.transaction();
  await t.send({ topic, messages: [{ key: "k", value: "committed" }] });
  await t.commit();
  expect(await consume(`infra-tx-group-${Date.now()}`, topic, 1, 45_000)).toEqual(["committed"]);
}, 120_000);

test("every API kafkajs implements shares a protocol version with the broker", async () => {
  // kafkajs has no public ApiVersions call: use its (pinned, 2.2.4) internals to ask the broker.
  const require = createRequire(import.meta.url);
  const { requests } = require("kafkajs/src/protocol/requests");
  const apiKeys = require("kafkajs/src/protocol/requests/apiKeys");
  const Broker = require("kafkajs/src/broker");
  const ConnectionPool = require("kafkajs/src/network/connectionPool");
  const socketFactory = require("kafkajs/src/network/socketFactory");
  const { createLogger, LEVELS } = require("kafkajs/src/loggers");
  const logger = createLogger({ level: LEVELS.NOTHING, logCreator: () => () => undefined });
  const [host, port] = (brokers[0] ?? "").split(":");
  const broker = new Broker({
    connectionPool: new ConnectionPool({
      host,
      port: Number(port),
      logger,
      socketFactory: socketFactory(),
      connectionTimeout: 5_000,
      requestTimeout: 10_000,
    }),
    logger,
  });
  await broker.connect();
  try {
    const offered: Record<number, { minVersion: number; maxVersion: number }> = broker.versions;
    const unusable: string[] = [];
    let checked = 0;
    for (const [name, def] of Object.entries(requests as Record<string, { versions: string[] }>)) {
      const key = (apiKeys as Record<string, number>)[name];
      const versions = def.versions.map(Number);
      // Skip APIs kafkajs does not implement, and the inter-broker ones Kafka 4 no longer offers.
      if (key === undefined || versions.length === 0 || !offered[key]) continue;
      const { minVersion, maxVersion } = offered[key];
      checked++;
      if (!versions.some((v) => v >= minVersion && v <= maxVersion)) {
        unusable.push(`${name}: kafkajs ${versions.join(",")}, broker ${minVersion}-${maxVersion}`);
      }
    }
    expect(unusable).toEqual([]);
    expect(checked).toBeGreaterThan(30);
  } finally {
    await broker.disconnect();
  }
});
