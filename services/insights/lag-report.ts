// The operator's view of the Insights loader (npm run insights:lag): per topic and partition, what
// the warehouse applied, what Kafka holds now, the backlog between them and the oldest change not
// applied yet, then the warehouse's as-of instant and the daily summary's freshness.
//
// It reads the warehouse (DATABASE_URL: cdc_offsets through the view warehouse_lag, migration 0008)
// and asks Kafka (KAFKA_BROKERS) for each partition's end offset, so the backlog is current even
// when the loader is down or stuck (warehouse_lag alone shows the ends as the loader last saw them,
// at checked_at). Without Kafka it prints the loader's last view and says so. A partition the loader
// never applied anything of has no row in the warehouse: it shows with its whole length as backlog.
// Read-only; exits 0 whatever the lag (it reports, it does not judge).
import { Kafka, logLevel } from "kafkajs";
import { createDatabasePool } from "../runtime/database.js";
import { findFreshness, findLoaderPositions } from "./freshness/freshness-repository.js";
import { loaderName } from "./loader/insights-loader.js";
import { loaderTopics } from "./loader/change-plan.js";

/** Each partition's end offset (the offset its next message gets), or undefined when Kafka is unreachable. */
async function kafkaEnds(brokers: string[]): Promise<Map<string, bigint> | undefined> {
  const kafka = new Kafka({
    clientId: "insights-lag",
    brokers,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 3_000,
    retry: { retries: 1 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const existing = new Set(await admin.listTopics());
    const ends = new Map<string, bigint>();
    for (const topic of loaderTopics.filter((t) => existing.has(t))) {
      for (const p of await admin.fetchTopicOffsets(topic))
        ends.set(`${topic}/${p.partition}`, BigInt(p.high));
    }
    return ends;
  } catch {
    return undefined;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

const ago = (now: Date, at: Date | null) =>
  at ? `${((now.getTime() - at.getTime()) / 1000).toFixed(1)} s ago` : "never";
const time = (at: Date | null) =>
  at
    ? at
        .toISOString()
        .replace("T", " ")
        .replace(/\.\d+Z$/, "Z")
    : "-";

/** Left-aligned columns, a header and one line per row. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL (the Insights warehouse) is not set");
  const brokers = (process.env.KAFKA_BROKERS ?? "").split(",").filter(Boolean);
  const db = await createDatabasePool(url, { maximumPoolSize: 1 });
  try {
    const [rows, summary, ends] = await Promise.all([
      findLoaderPositions(db),
      findFreshness(db),
      brokers.length > 0 ? kafkaEnds(brokers) : Promise.resolve(undefined),
    ]);
    const { now } = summary;
    const byKey = new Map(rows.map((r) => [`${r.topic}/${r.partition}`, r]));
    const keys = [...new Set([...byKey.keys(), ...(ends?.keys() ?? [])])];
    const lines = keys.map((k) => {
      const row = byKey.get(k);
      const end = ends?.get(k) ?? row?.high_watermark ?? null;
      const applied = row?.last_offset ?? -1n;
      const backlog = end === null ? null : end - applied - 1n > 0n ? end - applied - 1n : 0n;
      const [topic, partition] = [k.slice(0, k.lastIndexOf("/")), k.slice(k.lastIndexOf("/") + 1)];
      return {
        backlog: backlog ?? -1n,
        lag: row?.lag_seconds ?? Infinity,
        cells: [
          topic,
          partition,
          applied.toString(),
          end?.toString() ?? "?",
          backlog?.toString() ?? "?",
          backlog && backlog > 0n
            ? `#${applied + 1n}, committed at or after ${time(row?.oldest_unapplied_ts ?? row?.last_applied_ts ?? null)}`
            : "-",
          row?.lag_seconds == null ? "-" : `${row.lag_seconds.toFixed(1)} s`,
          row ? ago(now, row.last_applied_at) : "never",
        ],
      };
    });
    // The partitions with a backlog first, the largest first; then by lag; then by name.
    lines.sort(
      (a, b) =>
        Number(b.backlog - a.backlog) ||
        b.lag - a.lag ||
        a.cells[0]!.localeCompare(b.cells[0]!) ||
        Number(a.cells[1]) - Number(b.cells[1]),
    );
    console.log(
      `Insights loader (${loaderName}) at ${time(now)}; Kafka end offsets ` +
        (ends
          ? "read now"
          : `unavailable${brokers.length ? "" : " (no KAFKA_BROKERS)"}: as the loader last saw them`),
    );
    console.log(
      table(
        ["topic", "part", "applied", "end", "backlog", "oldest unapplied change", "lag", "last applied"],
        lines.map((l) => l.cells),
      ),
    );
    console.log(
      `warehouse as of ${time(summary.as_of)} (${ago(now, summary.as_of)}): every source change committed before it is applied`,
    );
    console.log(
      `daily summary as of ${time(summary.summary_as_of)}, refreshed ${ago(now, summary.refreshed_at)}; ` +
        `${summary.dirty_markers} day markers waiting; ${summary.failures} failed refreshes since` +
        (summary.last_error ? ` (last: ${summary.last_error})` : ""),
    );
  } finally {
    await db.end();
  }
}

await main();
