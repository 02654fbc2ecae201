// Runs once before any test file is loaded: brings the mesh up (a no-op when it already runs),
// which also generates the code the tests import (gen/ts, the descriptor set) on a fresh clone.
// FIDALEX_SKIP_STACK=1 skips it (the mesh is already up, e.g. on other ports). The unit project
// does not use it: `npm run test:unit` needs no running infrastructure.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default function globalSetup() {
  if (process.env.FIDALEX_SKIP_STACK === "1") return;
  execFileSync("bash", ["stack/stack.sh", "up"], {
    cwd: fileURLToPath(new URL("..", import.meta.url)),
    stdio: ["ignore", "inherit", "inherit"],
    // A fresh machine installs packages and downloads jars first.
    timeout: 20 * 60_000,
  });
}
