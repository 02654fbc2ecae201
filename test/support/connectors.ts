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

/**
 * A request to Kafka Connect's REST API with the stack's Basic credentials (the API answers 401
 * without them; docs/security.md).
 */
export function connectFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const credentials = `${stackVar("FIDALEX_CONNECT_USER")}:${stackVar("FIDALEX_CONNECT_PASSWORD")}`;
  return fetch(`${stackVar("KAFKA_CONNECT_URL")}${path}`, {
    signal: AbortSignal.timeout(30_000),
    ...init,
    headers: { ...(init.headers as Record<string, string>), authorization: `Basic ${btoa(credentials)}` },
  });
}

/** Registers debezium/connectors/<name>.json unless Connect has it, then waits until it runs. */
export async function ensureConnector(name: string): Promise<void> {
  const existing = await connectFetch(`/connectors/${name}`);
  if (existing.status === 404) {
    const file = JSON.parse(
      readFileSync(join(repoDir, "debezium", "connectors", `${name}.json`), "utf8"),
    ) as {
      config: Record<string, string>;
    };
    const put = await connectFetch(`/connectors/${name}/config`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(file.config),
    });
    if (!put.ok) throw new Error(`registering connector ${name}: HTTP ${put.status} ${await put.text()}`);
  }
  await eventually(
    `connector ${name} RUNNING`,
    async () => {
      const res = await connectFetch(`/connectors/${name}/status`);
      const status = (await res.json()) as ConnectorStatus;
      const running = status.connector?.state === "RUNNING" && status.tasks?.[0]?.state === "RUNNING";
      return running ? true : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
}
