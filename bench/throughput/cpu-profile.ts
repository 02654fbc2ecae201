// CPU profiles of the stack's services under a benchmark's load: the service is restarted with
// `node --cpu-prof` (same environment and code as the stack runs it), the load runs, the service
// is stopped so Node writes its profile, and the profile is summarized by where the busy time went
// (by package and by function). `stack.sh up` afterwards starts the service as usual again.
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

/** A service of the stack running under the profiler. */
export interface ProfiledService {
  /** Stops it (SIGTERM), waits for the profile and returns its summary, printable. */
  stop(): Promise<string>;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(what: string, check: () => boolean | Promise<boolean>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });

/** Restarts the stack's service `name` (listening on `port`) under `node --cpu-prof`. */
export async function profileService(
  repoDir: string,
  stackDir: string,
  name: string,
  port: number,
): Promise<ProfiledService> {
  const run = join(stackDir, "run");
  const pidFile = join(run, `${name}.pid`);
  const old = Number(readFileSync(pidFile, "utf8").trim());
  if (alive(old)) process.kill(old, "SIGTERM");
  await until(`${name} to stop`, () => !alive(old), 15_000);
  const dir = join(stackDir, "profiles", `${name}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    "node",
    [
      "--enable-source-maps",
      "--cpu-prof",
      `--cpu-prof-dir=${dir}`,
      `--env-file=${join(run, `${name}.env`)}`,
      join(repoDir, `dist/services/${name}/main.js`),
    ],
    {
      cwd: repoDir,
      detached: true,
      stdio: "ignore",
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
    },
  );
  child.unref();
  writeFileSync(pidFile, `${child.pid}\n`);
  await until(`${name} to listen on ${port}`, () => listening(port), 30_000);
  return {
    async stop() {
      process.kill(child.pid!, "SIGTERM");
      await until(`${name}'s profile`, () => !alive(child.pid!), 30_000);
      const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
      if (!file) return `  (no profile was written in ${dir})`;
      return summarize(join(dir, file), name);
    },
  };
}

/** Where a function lives: a package, Node's internals, the service's code, or the engine. */
function placeOf(url: string): string {
  if (url === "") return "(native / engine)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith("node:")) return "node internals";
  const own = /\/(services\/[^/]+|gen\/ts)\//.exec(url);
  return own ? own[1]! : url;
}

/** The busy time of a profile by place and by function (idle and GC shown apart). */
export function summarize(file: string, name: string): string {
  const profile = JSON.parse(readFileSync(file, "utf8")) as { nodes: ProfileNode[] };
  // Node's internals and the engine's natives are charged to the nearest caller in a package or
  // in our code, so that e.g. socket writes show under the library that wrote.
  const parent = new Map<number, ProfileNode>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node);
  const owner = (node: ProfileNode): string => {
    for (let n: ProfileNode | undefined = node; n; n = parent.get(n.id)) {
      const place = placeOf(n.callFrame.url);
      if (place !== "node internals" && place !== "(native / engine)") return place;
    }
    return "node internals";
  };
  const byOwner = new Map<string, number>();
  const byPlace = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let idle = 0;
  let busy = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const fn = node.callFrame.functionName;
    if (fn === "(idle)") {
      idle += hits;
      continue;
    }
    busy += hits;
    const place = fn === "(garbage collector)" || fn === "(program)" ? fn : placeOf(node.callFrame.url);
    byPlace.set(place, (byPlace.get(place) ?? 0) + hits);
    const charged = fn === "(garbage collector)" || fn === "(program)" ? fn : owner(node);
    byOwner.set(charged, (byOwner.get(charged) ?? 0) + hits);
    const key = `${fn || "(anonymous)"}  ${placeOf(node.callFrame.url)}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + hits);
  }
  const top = (m: Map<string, number>, n: number) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(([k, v]) => `      ${((100 * v) / busy).toFixed(1).padStart(5)} %  ${k}`)
      .join("\n");
  const size = statSync(file).size;
  return [
    `  profile of the ${name} service (${file}, ${(size / 1e6).toFixed(1)} MB): busy ${((100 * busy) / (busy + idle)).toFixed(0)} % of the samples`,
    "    busy time by place:",
    top(byPlace, 14),
    "    busy time by the package or code that caused it (Node's internals charged to their caller):",
    top(byOwner, 14),
    "    busy time by function (self):",
    top(byFunction, 20),
  ].join("\n");
}
