// The embedding model for the Chatbot's tests, at the path the stack installs it to: fetched with
// scripts/fetch-embedding-model.sh when it is missing (the script waits for a parallel fetch).
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { hasModelFiles } from "../../embeddings/sentence-embedder.js";
import { repoDir } from "../../../../test/support/stack.js";

/** The folder of the model, fetched first when it is not there yet. */
export function ensureEmbeddingModel(): string {
  const dir = join(process.env.FIDALEX_STACK_DIR ?? join(repoDir, ".stack"), "models", "all-minilm-l6-v2-q");
  if (!hasModelFiles(dir)) {
    execFileSync("bash", [join(repoDir, "scripts/fetch-embedding-model.sh"), dir], {
      stdio: ["ignore", "inherit", "inherit"],
      timeout: 10 * 60_000,
    });
  }
  return dir;
}
