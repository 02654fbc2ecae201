// PostgreSQL of the local stack, reached from TypeScript the way the services will reach it:
// slonik (typed `sql` with zod row schemas) over `pg`, each service with its own role and database.
import { createPool, SchemaValidationError, sql } from "slonik";
import type { DatabasePool, Interceptor } from "slonik";
import { z } from "zod";
import { stackVar } from "../support/stack.js";

/** Validates every row of a `sql.type(...)` query against its zod schema (slonik's documented pattern). */
const resultParser: Interceptor = {
  name: "zod-result-parser",
  transformRow: (context, query, row) => {
    if (!context.resultParser) return row;
    const parsed = context.resultParser.safeParse(row);
    if (!parsed.success) throw new SchemaValidationError(query, row, parsed.error.issues);
    return parsed.data as typeof row;
  },
};

const pools: DatabasePool[] = [];
async function pool(url: string): Promise<DatabasePool> {
  const p = await createPool(url, { interceptors: [resultParser], maximumPoolSize: 2 });
  pools.push(p);
  return p;
}

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end()));
});

test("a row written through slonik is read back with its exact values", async () => {
  const db = await pool(stackVar("ACCOUNT_DATABASE_URL"));
  const row = await db.transaction(async (tx) => {
    await tx.query(sql.unsafe`
      CREATE TEMPORARY TABLE infra_probe (id int PRIMARY KEY, owner text NOT NULL, amount numeric(18,2) NOT NULL)
      ON COMMIT DROP`);
    await tx.query(sql.unsafe`INSERT INTO infra_probe VALUES (1, 'ada', '1250.05')`);
    return tx.one(
      sql.type(
        z.object({ id: z.number(), owner: z.string(), amount: z.string(), who: z.string(), db: z.string() }),
      )`
        SELECT id, owner, amount::text AS amount, current_user::text AS who, current_database()::text AS db
        FROM infra_probe WHERE id = ${1}`,
    );
  });
  expect(row).toEqual({ id: 1, owner: "ada", amount: "1250.05", who: "account_svc", db: "account" });
});

test("each service role owns its own database and cannot connect to another's", async () => {
  const databases = ["AUTH", "ACCOUNT", "TRANSACTION", "PAYMENT", "LOAN", "INSIGHTS"];
  for (const name of databases) {
    const db = await pool(stackVar(`${name}_DATABASE_URL`));
    const owner = await db.oneFirst(
      sql.type(z.object({ owner: z.string() }))`
        SELECT pg_get_userbyid(datdba)::text AS owner FROM pg_database WHERE datname = current_database()`,
    );
    expect(owner).toBe(`${name.toLowerCase()}_svc`);
  }
  // auth_svc pointed at the account database: refused by PostgreSQL (CONNECT revoked from PUBLIC).
  const foreign = stackVar("AUTH_DATABASE_URL").replace(/\/auth$/, "/account");
  await expect(
    (async () => {
      const db = await pool(foreign);
      await db.query(sql.unsafe`SELECT 1`);
    })(),
  ).rejects.toThrow(/permission denied for database "account"/);
});

test("the server is set up for Debezium and the Insights warehouse", async () => {
  const insights = await pool(stackVar("INSIGHTS_DATABASE_URL"));
  const settings = await insights.one(
    sql.type(z.object({ wal_level: z.string(), slots: z.string() }))`
      SELECT current_setting('wal_level') AS wal_level, current_setting('max_replication_slots') AS slots`,
  );
  expect(settings).toEqual({ wal_level: "logical", slots: "20" });
  const extensions = await insights.manyFirst(
    sql.type(z.object({ extname: z.string() }))`
      SELECT extname::text FROM pg_extension WHERE extname IN ('pg_cron', 'pg_partman') ORDER BY extname`,
  );
  expect(extensions).toEqual(["pg_cron", "pg_partman"]);
  // insights_svc may schedule its own pg_cron jobs (pg_cron only works when preloaded).
  const jobId = await insights.oneFirst(
    sql.type(
      z.object({ id: z.coerce.number() }),
    )`SELECT cron.schedule('infra-probe', '0 3 * * *', 'SELECT 1') AS id`,
  );
  expect(jobId).toBeGreaterThan(0);
  await insights.query(sql.unsafe`SELECT cron.unschedule('infra-probe')`);
});
