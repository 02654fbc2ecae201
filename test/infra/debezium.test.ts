// Kafka Connect + Debezium of the local stack: the worker runs exactly the connectors of
// debezium/connectors/, and a change committed to a service's table arrives on its Kafka topic
// (read with kafkajs) within seconds, also on a freshly started stack.
import { readdirSync, readFileSync } from "node:fs";
import { Kafka, logLevel } from "kafkajs";
import { createPool, sql } from "slonik";
import { z } from "zod";
import { connectFetch } from "../support/connectors.js";
import { eventually } from "../support/eventually.js";
import { repoDir, stackVar } from "../support/stack.js";

process.env.KAFKAJS_NO_PARTITIONER_WARNING = "1";

const ACCOUNTS_TOPIC = "cdc.account.public.accounts";
/** The longest a committed change may take to reach its topic; CI runs this right after a fresh start. */
const CDC_DELAY_LIMIT_MS = 10_000;

let connectUrl: string;

beforeAll(async () => {
  connectUrl = stackVar("KAFKA_CONNECT_URL");
});

test("Connect's REST API refuses a client without the credentials, reads and writes alike", async () => {
  for (const [method, path] of [
    ["GET", "/connectors"],
    ["POST", "/connectors"],
    ["DELETE", "/connectors/no-such-connector"],
  ] as const) {
    const res = await fetch(`${connectUrl}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: method === "POST" ? JSON.stringify({ name: "intruder", config: {} }) : undefined,
    });
    expect({ method, path, status: res.status }).toEqual({ method, path, status: 401 });
  }
  const wrong = await fetch(`${connectUrl}/connectors`, {
    headers: { authorization: `Basic ${btoa("fidalex_connect:guess")}` },
  });
  expect(wrong.status).toBe(401);
  expect((await connectFetch("/connectors")).status).toBe(200);
});

async function getJson(path: string): Promise<unknown> {
  const res = await connectFetch(path);
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

const connectorFile = z.object({ name: z.string(), config: z.record(z.string()) });
/** The connector configs of debezium/connectors/, by name. */
function connectorFiles(): Map<string, Record<string, string>> {
  const dir = `${repoDir}/debezium/connectors`;
  const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  return new Map(
    files.map((f) => {
      const { name, config } = connectorFile.parse(JSON.parse(readFileSync(`${dir}/${f}`, "utf8")));
      return [name, config];
    }),
  );
}

interface AccountChange {
  accountId: number;
  /** updated_at as written, in epoch milliseconds (Debezium sends it as an ISO string). */
  updatedMs: number;
  committedAt: number;
}

/**
 * Commits a change to an account as the Account service's own role: the bank's GBP settlement
 * account (every stack's migration creates it) gets a new updated_at, as every posting does.
 */
async function changeAnAccount(): Promise<AccountChange> {
  const pool = await createPool(stackVar("ACCOUNT_DATABASE_URL"), { maximumPoolSize: 1 });
  try {
    const row = await pool.one(
      sql.type(z.object({ id: z.number(), updated_ms: z.number() }))`
        UPDATE accounts SET updated_at = clock_timestamp()
        WHERE is_settlement AND currency = 'GBP'
        RETURNING account_id::int AS id, floor(extract(epoch FROM updated_at) * 1000)::float8 AS updated_ms`,
    );
    return { accountId: row.id, updatedMs: row.updated_ms, committedAt: Date.now() };
  } finally {
    await pool.end();
  }
}

interface CdcMessage {
  key: unknown;
  value: Record<string, unknown>;
  /** When Kafka Connect wrote it to the topic (the record's CreateTime), in epoch milliseconds. */
  writtenAt: number;
}

/** Reads the accounts topic from its start until the change's own message, for at most `timeoutMs`. */
async function awaitOnTopic(change: AccountChange, timeoutMs: number): Promise<CdcMessage> {
  const deadline = Date.now() + timeoutMs;
  const kafka = new Kafka({
    clientId: "infra-cdc",
    brokers: stackVar("KAFKA_BROKERS").split(","),
    logLevel: logLevel.NOTHING,
  });
  // The topic appears with the connector's first event for the table (its initial snapshot).
  const admin = kafka.admin();
  await admin.connect();
  try {
    await eventually(
      `topic ${ACCOUNTS_TOPIC}`,
      async () => ((await admin.listTopics()).includes(ACCOUNTS_TOPIC) ? true : undefined),
      { timeoutMs, intervalMs: 200 },
    );
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({
    groupId: `infra-cdc-${process.pid}-${Date.now()}`,
    retry: { retries: 10 },
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: ACCOUNTS_TOPIC, fromBeginning: true });
    return await new Promise<CdcMessage>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no change of account ${change.accountId} on ${ACCOUNTS_TOPIC} in time`)),
        Math.max(deadline - Date.now(), 1),
      );
      void consumer.run({
        eachMessage: async ({ message }) => {
          if (!message.value) return;
          const value = JSON.parse(message.value.toString()) as Record<string, unknown>;
          if (value.account_id !== change.accountId) return;
          if (Date.parse(String(value.updated_at)) !== change.updatedMs) return;
          clearTimeout(timer);
          resolve({
            key: JSON.parse(message.key?.toString() ?? "null"),
            value,
            writtenAt: Number(message.timestamp),
          });
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
}

test(`a change to an account reaches its Kafka topic within ${CDC_DELAY_LIMIT_MS / 1000} s of its commit`, async () => {
  const change = await changeAnAccount();
  const message = await awaitOnTopic(change, 60_000);
  // Measured from the commit to when Kafka Connect wrote it to the topic, not to when we read it.
  expect(message.writtenAt - change.committedAt).toBeLessThanOrEqual(CDC_DELAY_LIMIT_MS);
}, 90_000);

test("an account's change arrives on cdc.account.public.accounts as the flat row, keyed by its id", async () => {
  const change = await changeAnAccount();
  const { key, value } = await awaitOnTopic(change, 60_000);
  expect(key).toEqual({ account_id: change.accountId });
  // ExtractNewRecordState: the row's columns, plus the operation and where in the WAL it came from.
  expect(value).toMatchObject({
    account_id: change.accountId,
    customer_id: 1,
    currency: "GBP",
    is_settlement: true,
    __op: "u",
    __deleted: "false",
  });
  expect(value.account_number).toMatch(/^FB-\d{8,}$/);
  // NUMERIC travels as a decimal string, never a float.
  expect(value.balance).toMatch(/^-?\d+\.\d{2}$/);
  expect(value.__lsn).toEqual(expect.any(Number));
}, 90_000);

test("the worker runs exactly the connectors of debezium/connectors/, each RUNNING", async () => {
  const files = connectorFiles();
  const registered = z.array(z.string()).parse(await getJson("/connectors"));
  expect([...registered].sort()).toEqual([...files.keys()].sort());
  for (const [name, file] of files) {
    const status = await eventually(`connector ${name} RUNNING`, async () => {
      const s = z
        .object({
          connector: z.object({ state: z.string() }),
          tasks: z.array(z.object({ state: z.string() })),
        })
        .parse(await getJson(`/connectors/${name}/status`));
      return s.connector.state === "RUNNING" && s.tasks.every((t) => t.state === "RUNNING") ? s : undefined;
    });
    expect(status.tasks.map((t) => t.state)).toEqual(["RUNNING"]);
    // The registered config is the file, secrets still as ${env:...} references.
    const config = z.record(z.string()).parse(await getJson(`/connectors/${name}/config`));
    expect(config).toEqual({ ...file, name });
    expect(config["database.password"]).toBe("${env:FIDALEX_DEBEZIUM_PASSWORD}");
    expect(config["plugin.name"]).toBe("pgoutput");
  }
}, 120_000);

test.each(["account", "transaction"])(
  "the %s service's connector captures its outbox as domain events and its tables as flat CDC",
  (name) => {
    const config = connectorFiles().get(name);
    // Outbox rows become domain events on the topic each row names; table rows stay flat CDC.
    expect(config?.["table.include.list"]).toContain("public.outbox");
    expect(config?.["transforms.outbox.route.by.field"]).toBe("topic");
    expect(config?.["transforms.unwrap.negate"]).toBe("true");
  },
);

test("every connector's slot is confirmed past the server's WAL position within 30 s, idle databases' too (the heartbeat)", async () => {
  // All databases share the server's WAL; a slot that is never confirmed further keeps all of it.
  const pool = await createPool(stackVar("ACCOUNT_DATABASE_URL"), { maximumPoolSize: 1 });
  try {
    const slots = [...connectorFiles().values()].map((config) => config["slot.name"] ?? "");
    const target = await pool.oneFirst(
      sql.type(z.object({ lsn: z.string() }))`SELECT pg_current_wal_lsn()::text AS lsn`,
    );
    const behind = z.object({ slot_name: z.string() });
    const stuck = await eventually(
      "every slot confirmed past the WAL position",
      async () => {
        const rows = await pool.any(sql.type(behind)`
          SELECT slot_name FROM pg_replication_slots
           WHERE slot_name = ANY (${sql.array(slots, "text")})
             AND (confirmed_flush_lsn IS NULL OR confirmed_flush_lsn < ${target}::pg_lsn)`);
        return rows.length === 0 ? rows : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(stuck).toEqual([]);
    expect(slots).toEqual(
      expect.arrayContaining(["dbz_account", "dbz_transaction", "dbz_loan", "dbz_payment"]),
    );
  } finally {
    await pool.end();
  }
}, 60_000);
