// Runs once before the unit tests: generates the code they import (gen/ts, including its
// git-ignored third-party part, and Envoy's descriptor set) when a fresh clone lacks it. Needs
// the generators (npm ci, Go), not the running mesh.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export default function generateSetup() {
  const root = fileURLToPath(new URL("..", import.meta.url));
  if (existsSync(`${root}/build/fidalex.binpb`) && existsSync(`${root}/gen/ts/google`)) return;
  execFileSync("bash", ["scripts/generate.sh"], { cwd: root, stdio: ["ignore", "inherit", "inherit"] });
}
