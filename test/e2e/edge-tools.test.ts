// The field's generic gRPC tools at the edge, without the descriptor file (issue 14, finding 8):
// the real grpcurl binary (go install, pinned by scripts/edge-tools.sh) and buf curl list, describe
// and call the public services through Envoy by server reflection. Reflection is public; the calls
// it describes still need a token.
import { execFile, execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { promisify } from "node:util";
import { jest } from "@jest/globals";
import { edgeServices } from "../../services/runtime/edge-catalogue.js";
import { loginAdmin, onboard, type User } from "../support/onboarding.js";
import { repoDir, stackVar } from "../support/stack.js";

jest.setTimeout(600_000);

const run = promisify(execFile);
let grpcurl: string;
let edge: string;
let customer: { user: User; accountIds: string[] };

beforeAll(async () => {
  const out = execFileSync("bash", ["scripts/edge-tools.sh"], { cwd: repoDir, timeout: 540_000 }).toString();
  grpcurl = /^GRPCURL=(.+)$/m.exec(out)![1]!;
  edge = new URL(stackVar("ENVOY_URL")).host;
  const admin = await loginAdmin();
  customer = await onboard(
    "grpcurl",
    `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`,
    admin,
    1,
  );
});

/** Runs grpcurl; resolves with its exit code and output (it exits non-zero on an RPC error). */
async function grpcurlRun(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(grpcurl, args, { timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === "number" ? e.code : -1, stdout: e.stdout ?? "", stderr: e.stderr ?? "" };
  }
}

test("`grpcurl -plaintext <edge> list` lists every public service and no internal one, without a token", async () => {
  const { code, stdout, stderr } = await grpcurlRun("-plaintext", edge, "list");
  expect({ code, stderr }).toEqual({ code: 0, stderr: "" });
  const listed = stdout.trim().split("\n").sort();
  expect(listed).toEqual(edgeServices.map((s) => s.typeName).sort());
  for (const internal of ["PostingService", "CustomerLinkService", "ServiceTokenService"]) {
    expect(stdout).not.toContain(internal);
  }
});

test("grpcurl describes a service and a message from reflection", async () => {
  const service = await grpcurlRun("-plaintext", edge, "describe", "fidalex.account.v1.AccountService");
  expect(service.code).toBe(0);
  expect(service.stdout).toMatch(
    /rpc GetAccountBalance \( \.fidalex\.account\.v1\.GetAccountBalanceRequest \)/,
  );
  const message = await grpcurlRun("-plaintext", edge, "describe", "fidalex.transaction.v1.TransferRequest");
  expect(message.code).toBe(0);
  expect(message.stdout).toMatch(/string idempotency_key = /);
});

test("grpcurl calls a method with the user's token, and is refused without one", async () => {
  const [accountId] = customer.accountIds;
  const request = JSON.stringify({ accountId });
  const method = "fidalex.account.v1.AccountService/GetAccountBalance";
  const ok = await grpcurlRun(
    "-plaintext",
    "-H",
    `authorization: Bearer ${customer.user.token}`,
    "-d",
    request,
    edge,
    method,
  );
  expect(ok.code).toBe(0);
  expect(JSON.parse(ok.stdout)).toEqual({
    accountBalance: expect.objectContaining({ accountId, balance: "0.00", currency: "USD" }),
  });
  const refused = await grpcurlRun("-plaintext", "-d", request, edge, method);
  expect(refused.code).not.toBe(0);
  expect(refused.stderr).toMatch(/Code: Unauthenticated/);
});

test("buf curl calls a public method through the edge by reflection", async () => {
  const { stdout } = await run(
    "npx",
    [
      "buf",
      "curl",
      "--protocol",
      "grpc",
      "--http2-prior-knowledge",
      "-d",
      "{}",
      `${stackVar("ENVOY_URL")}/fidalex.auth.v1.AuthService/GetJwks`,
    ],
    { cwd: repoDir, timeout: 60_000 },
  );
  expect(JSON.parse(stdout)).toEqual({
    keys: expect.arrayContaining([expect.objectContaining({ kty: "EC" })]),
  });
});

test("the reflection catalogue is exactly the services Envoy transcodes, plus health", () => {
  const envoy = readFileSync(new URL("../../envoy/envoy.yaml", import.meta.url), "utf8");
  const block = /services:\n((?:\s+- fidalex\.[A-Za-z0-9.]+\n)+)/.exec(envoy)![1]!;
  const transcoded = block
    .trim()
    .split("\n")
    .map((l) => l.trim().replace(/^- /, ""));
  expect(edgeServices.map((s) => s.typeName).sort()).toEqual([...transcoded, "grpc.health.v1.Health"].sort());
});
