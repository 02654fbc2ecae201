// Kafka Connect + Debezium of the local stack: the connector in debezium/connectors/ is registered
// and running, and a row committed in PostgreSQL arrives on its Kafka topic (read with kafkajs).
import { readFileSync } from "node:fs";
import { Kafka, logLevel } from "kafkajs";
import { createPool, sql } from "slonik";
import { z } from "zod";
import { eventually } from "../support/eventually.js";
import { repoDir, stackVar } from "../support/stack.js";

process.env.KAFKAJS_NO_PARTITIONER_WARNING = "1";

const CONNECTOR = "account-smoke";
const TOPIC = "cdc.account.public.stack_smoke";

let connectUrl: string;

beforeAll(async () => {
  connectUrl = stackVar("KAFKA_CONNECT_URL");
});

async function getJson(path: string): Promise<unknown> {
  const res = await fetch(`${connectUrl}${path}`);
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

test("the Debezium PostgreSQL connector is registered and RUNNING", async () => {
  const status = z
    .object({
      name: z.string(),
      connector: z.object({ state: z.string() }),
      tasks: z.array(z.object({ id: z.number(), state: z.string() })),
    })
    .parse(await getJson(`/connectors/${CONNECTOR}/status`));
  expect(status.name).toBe(CONNECTOR);
  expect(status.connector.state).toBe("RUNNING");
  expect(status.tasks.map((t) => t.state)).toEqual(["RUNNING"]);

  // The registered config is the file in debezium/connectors/, secrets still as ${env:...} references.
  const config = z.record(z.string()).parse(await getJson(`/connectors/${CONNECTOR}/config`));
  expect(config["plugin.name"]).toBe("pgoutput");
  expect(config["database.password"]).toBe("${env:FIDALEX_DEBEZIUM_PASSWORD}");
});

test("an INSERT into public.stack_smoke arrives on its Kafka topic", async () => {
  const note = `infra-${process.pid}-${Date.now()}`;
  const pool = await createPool(stackVar("ACCOUNT_DATABASE_URL"), { maximumPoolSize: 1 });
  let id: number;
  try {
    id = await pool.oneFirst(
      sql.type(
        z.object({ id: z.number() }),
      )`INSERT INTO public.stack_smoke (note) VALUES (${note}) RETURNING id::int AS id`,
    );
  } finally {
    await pool.end();
  }

  const kafka = new Kafka({
    clientId: "infra-cdc",
    brokers: stackVar("KAFKA_BROKERS").split(","),
    logLevel: logLevel.NOTHING,
  });
  // The topic appears with the connector's first event for the table.
  const admin = kafka.admin();
  await admin.connect();
  try {
    await eventually(
      `topic ${TOPIC}`,
      async () => ((await admin.listTopics()).includes(TOPIC) ? true : undefined),
      { timeoutMs: 60_000, intervalMs: 500 },
    );
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({ groupId: `infra-cdc-${Date.now()}`, retry: { retries: 10 } });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    const event = await new Promise<{ key: unknown; value: Record<string, unknown> }>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no CDC event for ${note} on ${TOPIC} within 60 s`)),
        60_000,
      );
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (!message.value) return;
          const value = JSON.parse(message.value.toString()) as Record<string, unknown>;
          const after = value.after as { note?: string } | null;
          if (after?.note === note) {
            clearTimeout(timer);
            resolve({ key: JSON.parse(message.key?.toString() ?? "null"), value });
          }
        },
      });
    });
    expect(event.key).toEqual({ id });
    expect(event.value.op).toBe("c");
    expect(event.value.after).toMatchObject({ id, note });
    expect(event.value.source).toMatchObject({
      connector: "postgresql",
      db: "account",
      table: "stack_smoke",
    });
  } finally {
    await consumer.disconnect();
  }
}, 120_000);

test.each(["account", "transaction"])(
  "the %s service's connector captures its outbox and tables, and is RUNNING",
  async (name) => {
    const status = await eventually(`connector ${name} RUNNING`, async () => {
      const r = await fetch(`${connectUrl}/connectors/${name}/status`);
      if (!r.ok) return undefined;
      const body = (await r.json()) as { connector: { state: string }; tasks: Array<{ state: string }> };
      return body.connector.state === "RUNNING" && body.tasks.every((t) => t.state === "RUNNING")
        ? body
        : undefined;
    });
    expect(status.tasks).toHaveLength(1);
    const { config } = JSON.parse(readFileSync(`${repoDir}/debezium/connectors/${name}.json`, "utf8")) as {
      config: Record<string, string>;
    };
    // Outbox rows become domain events on the topic each row names; table rows stay flat CDC.
    expect(config["table.include.list"]).toContain("public.outbox");
    expect(config["transforms.outbox.route.by.field"]).toBe("topic");
    expect(config["transforms.unwrap.negate"]).toBe("true");
  },
  120_000,
);
