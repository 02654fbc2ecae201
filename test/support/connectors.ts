// The Debezium connector a test relies on, registered with the stack's Kafka Connect if it is not
// there yet (a stack brought up from a checkout without the connector's file retires it), from its
// file in debezium/connectors/, and running. A connector that is registered is left alone: every
// PUT restarts it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { eventually } from "./eventually.js";
import { repoDir, stackVar } from "./stack.js";

interface ConnectorStatus {
  connector?: { state?: string };
  tasks?: Array<{ state?: string }>;
}

/** Registers debezium/connectors/<name>.json unless Connect has it, then waits until it runs. */
export async function ensureConnector(name: string): Promise<void> {
  const connect = stackVar("KAFKA_CONNECT_URL");
  const existing = await fetch(`${connect}/connectors/${name}`, { signal: AbortSignal.timeout(10_000) });
  if (existing.status === 404) {
    const file = JSON.parse(
      readFileSync(join(repoDir, "debezium", "connectors", `${name}.json`), "utf8"),
    ) as {
      config: Record<string, string>;
    };
    const put = await fetch(`${connect}/connectors/${name}/config`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(file.config),
      signal: AbortSignal.timeout(30_000),
    });
    if (!put.ok) throw new Error(`registering connector ${name}: HTTP ${put.status} ${await put.text()}`);
  }
  await eventually(
    `connector ${name} RUNNING`,
    async () => {
      const res = await fetch(`${connect}/connectors/${name}/status`, {
        signal: AbortSignal.timeout(10_000),
      });
      const status = (await res.json()) as ConnectorStatus;
      const running = status.connector?.state === "RUNNING" && status.tasks?.[0]?.state === "RUNNING";
      return running ? true : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
}
