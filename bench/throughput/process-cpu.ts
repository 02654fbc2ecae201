// CPU time of the stack's processes, read from /proc, so a benchmark phase can say how many
// milliseconds of CPU each component spent per operation. A process belongs to the stack when its
// command line names the stack's folder (the services, Envoy, Kafka, Kafka Connect, FerretDB) or,
// for Redis, the stack's Redis port; PostgreSQL counts the postmaster of the stack's data folder
// with all its backends, including those that ended during the phase (their time is added to the
// postmaster's "children" time when it reaps them).
import { readdirSync, readFileSync } from "node:fs";

/** CPU seconds per component at one instant. */
export type CpuSample = Map<string, number>;

const ticksPerSecond = 100;

interface ProcessInfo {
  pid: number;
  ppid: number;
  comm: string;
  cmdline: string;
  /** utime + stime, in ticks. */
  own: number;
  /** cutime + cstime: reaped children, in ticks. */
  children: number;
}

function readProcesses(): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // The command name is in parentheses and may hold spaces; the fields follow the last ")".
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const fields = stat.slice(close + 2).split(" ");
      // fields[0] is field 3 (state): ppid is field 4, utime..cstime are fields 14..17.
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, "utf8").replaceAll("\0", " ");
      found.push({
        pid: Number(entry),
        ppid: Number(fields[1]),
        comm,
        cmdline,
        own: Number(fields[11]) + Number(fields[12]),
        children: Number(fields[13]) + Number(fields[14]),
      });
    } catch {
      // The process ended while it was read.
    }
  }
  return found;
}

/** Which component of the stack a process is, or undefined when it is not the stack's. */
function componentOf(p: ProcessInfo, stackDir: string, redisPort: string): string | undefined {
  if (p.comm.startsWith("redis") && p.cmdline.endsWith(`:${redisPort} `)) return "redis";
  if (!p.cmdline.includes(stackDir)) return undefined;
  const service = /dist\/services\/([a-z]+)\/(?:main|processor\/sandbox-main)\.js/.exec(p.cmdline);
  if (service) return p.cmdline.includes("sandbox-main") ? "sandbox processor" : `${service[1]} service`;
  if (p.cmdline.includes("ConnectDistributed")) return "kafka connect";
  if (p.cmdline.includes("kafka.Kafka")) return "kafka";
  if (p.comm === "envoy") return "envoy";
  if (p.comm === "ferretdb") return "ferretdb";
  return undefined;
}

/**
 * Which part of PostgreSQL a process is: the backends of one database ("postgres: <user> <db> …"),
 * the WAL senders that feed Debezium, or the server's own processes (postmaster, WAL writer,
 * checkpointer, reaped backends).
 */
function postgresPart(p: ProcessInfo, postmasterPid: number): string {
  if (p.pid === postmasterPid) return "postgresql (server)";
  if (p.cmdline.startsWith("postgres: walsender")) return "postgresql walsenders";
  const backend = /^postgres: \S+ (\S+) \d/.exec(p.cmdline);
  return backend ? `postgresql ${backend[1]} db` : "postgresql (server)";
}

/** The CPU seconds each component of the stack (its folder, its Redis port) has used so far. */
export function sampleStackCpu(stackDir: string, redisPort: string): CpuSample {
  const processes = readProcesses();
  const sample: CpuSample = new Map();
  const add = (name: string, ticks: number) =>
    sample.set(name, (sample.get(name) ?? 0) + ticks / ticksPerSecond);
  const postmaster = processes.find(
    (p) => p.comm === "postgres" && p.cmdline.includes(stackDir) && p.cmdline.includes("-D"),
  );
  for (const p of processes) {
    if (postmaster && (p.pid === postmaster.pid || p.ppid === postmaster.pid)) {
      add(postgresPart(p, postmaster.pid), p.own + (p.pid === postmaster.pid ? p.children : 0));
      continue;
    }
    const name = componentOf(p, stackDir, redisPort);
    if (name) add(name, p.own);
  }
  return sample;
}

/**
 * The CPU seconds of this process's children that have ended: the load tools (ghz, wrk, pgbench)
 * the benchmark ran and waited for.
 */
export function sampleEndedChildrenCpu(): number {
  const stat = readFileSync("/proc/self/stat", "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
}

/**
 * CPU milliseconds per operation of each component between two samples `seconds` apart, largest
 * first, less what the component spends when the stack is idle (`idle`: CPU seconds per second).
 */
export function cpuPerOperation(
  before: CpuSample,
  after: CpuSample,
  operations: number,
  idle: CpuSample = new Map(),
  seconds = 0,
): Array<{ component: string; msPerOp: number }> {
  return [...after.entries()]
    .map(([component, used]) => {
      const busy = used - (before.get(component) ?? 0) - (idle.get(component) ?? 0) * seconds;
      return { component, msPerOp: operations > 0 ? (Math.max(busy, 0) * 1000) / operations : 0 };
    })
    .filter((row) => row.msPerOp > 0.005)
    .sort((a, b) => b.msPerOp - a.msPerOp);
}

/** What each component of the stack spends per second while nothing is asked of it. */
export async function idleCpu(stackDir: string, redisPort: string, seconds: number): Promise<CpuSample> {
  const before = sampleStackCpu(stackDir, redisPort);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = sampleStackCpu(stackDir, redisPort);
  return new Map([...after.entries()].map(([c, v]) => [c, (v - (before.get(c) ?? 0)) / seconds]));
}
