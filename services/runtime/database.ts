// PostgreSQL access for every service: a slonik pool whose type parsers keep money exact, and
// plain-SQL migrations applied in order, each once, recorded and checksummed.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { createPool, type DatabasePool } from "slonik";
import type { Logger } from "./logger.js";

export type { DatabasePool, DatabaseTransactionConnection, CommonQueryMethods } from "slonik";
export { sql } from "slonik";

/**
 * Creates the pool of a service's database. NUMERIC stays a decimal string (never a float),
 * BIGINT becomes a bigint, DATE stays "YYYY-MM-DD" and timestamps become Date objects.
 *
 * A connection goes back to the pool as it is: slonik's default runs `DISCARD ALL` on every
 * release, a round trip per query or transaction outside a transaction, to drop session state. The
 * services keep none (no SET, LISTEN, prepared statements by name, temporary tables or session
 * advisory locks: migrations take theirs on a client of their own), so there is nothing to drop.
 */
export async function createDatabasePool(
  url: string,
  options: { maximumPoolSize?: number; statementTimeoutMs?: number } = {},
): Promise<DatabasePool> {
  const pool = await createPool(url, {
    maximumPoolSize: options.maximumPoolSize ?? 10,
    statementTimeout: options.statementTimeoutMs ?? 10_000,
    // A no-op, not undefined: slonik's driver marks a released client free only after an await.
    resetConnection: async () => {},
    typeParsers: [
      { name: "int8", parse: (value) => BigInt(value) },
      { name: "numeric", parse: (value) => value },
      { name: "date", parse: (value) => value },
      { name: "timestamptz", parse: (value) => new Date(value) },
      { name: "timestamp", parse: (value) => new Date(value + "Z") },
    ],
  });
  // slonik also emits every failed query as an "error" event on the pool (an EventEmitter). With no
  // listener, Node throws ERR_UNHANDLED_ERROR in place of the typed error (unique violation, …), so
  // toConnectError could not map it. The error still rejects the query; this only acknowledges it.
  pool.on("error", () => {});
  return pool;
}

/** The migrations the runtime itself needs in every service database (outbox, processed events). */
export const runtimeMigrationsDir = fileURLToPath(new URL("./migrations/", import.meta.url));

interface Migration {
  version: string;
  sql: string;
  checksum: string;
}

function readMigrations(dir: string, prefix: string): Migration[] {
  return readdirSync(dir)
    .filter((name) => /^\d{4}_[a-z0-9_]+\.sql$/.test(name))
    .sort()
    .map((name) => {
      const text = readFileSync(join(dir, name), "utf8");
      return {
        version: `${prefix}${name.replace(/\.sql$/, "")}`,
        sql: text,
        checksum: createHash("sha256").update(text).digest("hex"),
      };
    });
}

/**
 * Applies the runtime's migrations, then the service's (files `NNNN_name.sql` in `dir`), each in
 * its own transaction and each once, under an advisory lock so that two instances starting
 * together do not race. A landed migration whose file changed stops the start: migrations are
 * never edited once landed.
 */
export async function runMigrations(databaseUrl: string, dir: string, logger: Logger): Promise<string[]> {
  const migrations = [...readMigrations(runtimeMigrationsDir, "runtime/"), ...readMigrations(dir, "")];
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const applied: string[] = [];
  try {
    await client.query("SELECT pg_advisory_lock(hashtext('schema_migrations'))");
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version    TEXT PRIMARY KEY,
      checksum   TEXT NOT NULL,
      applied_at TIMESTAMPTZ NOT NULL DEFAULT NOW()
    )`);
    const { rows } = await client.query<{ version: string; checksum: string }>(
      "SELECT version, checksum FROM schema_migrations",
    );
    const done = new Map(rows.map((row) => [row.version, row.checksum]));
    for (const migration of migrations) {
      const checksum = done.get(migration.version);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new Error(
            `migration ${migration.version} changed after it was applied; add a new one instead`,
          );
        }
        continue;
      }
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query("INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)", [
          migration.version,
          migration.checksum,
        ]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${migration.version} failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
      applied.push(migration.version);
      logger.info({ migration: migration.version }, "migration applied");
    }
  } finally {
    await client.query("SELECT pg_advisory_unlock(hashtext('schema_migrations'))").catch(() => {});
    await client.end();
  }
  return applied;
}
