// The edge's input hygiene and browser rules, through Envoy as a client sees them (issue 14,
// findings 4, 5 and 6): forbidden code points refused with 400 on every route that once answered
// 500, a query that repeats a path id refused, JSON required for bodies, no token in a URL (nor in
// the access log), CORS from the configured origins only on REST and gRPC-Web alike, Envoy's own
// errors as JSON google.rpc.Status, and the OpenAPI document at /openapi.json.
import { readFileSync } from "node:fs";
import { jest } from "@jest/globals";
import { rest } from "../support/edge.js";
import { eventually } from "../support/eventually.js";
import { loginAdmin, onboard, deposit, type User } from "../support/onboarding.js";
import { stackVar } from "../support/stack.js";

jest.setTimeout(120_000);

const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
let admin: User;
let customer: { user: User; customerId: string; accountIds: string[] };
let transactionId: string;

beforeAll(async () => {
  admin = await loginAdmin();
  customer = await onboard("nul", run, admin, 2);
  await deposit(admin, customer.accountIds[0]!, "100.00", `hyg-dep-${run}`);
  const transfer = await transferOne("", `hyg-tr-${run}`);
  expect(transfer.status).toBe(200);
  transactionId = transfer.body.transaction.transactionId as string;
});

/** What a client sees of a refusal: HTTP status, gRPC code, reason and the fields named. */
function refusal(res: { status: number; body: any }) {
  const details: any[] = res.body?.details ?? [];
  return {
    status: res.status,
    code: res.body?.code,
    reason: details.find((d) => d["@type"]?.endsWith("google.rpc.ErrorInfo"))?.reason,
    fields: details
      .find((d) => d["@type"]?.endsWith("google.rpc.BadRequest"))
      ?.fieldViolations?.map((v: { field: string }) => v.field),
  };
}

/** The customer transfers 1.00 from their first account to their second. */
function transferOne(description: string, idempotencyKey: string) {
  return rest("POST", "/transactions/transfer", {
    token: customer.user.token,
    body: {
      fromAccountId: customer.accountIds[0],
      toAccountId: customer.accountIds[1],
      amount: "1.00",
      currency: "USD",
      description,
      idempotencyKey,
    },
  });
}

/** Staff deposit or withdraw 1.00 with the description given. */
function cash(kind: "deposit" | "withdrawal", description: string) {
  return rest("POST", `/transactions/${kind}`, {
    token: admin.token,
    body: {
      accountId: customer.accountIds[0],
      amount: "1.00",
      currency: "USD",
      description,
      idempotencyKey: `nul-${kind}-${run}`,
    },
  });
}

describe("finding 4: a NUL byte in free text is INVALID_ARGUMENT (400), never 500", () => {
  const nul = "bad\u0000text";
  const routes: Array<[string, () => Promise<{ status: number; body: any }>, string]> = [
    [
      "POST /auth/register",
      () =>
        rest("POST", "/auth/register", {
          body: {
            username: `nul_reg_${run}`,
            email: `nul_reg_${run}@example.com`,
            password: "Correct-Horse-Battery-9",
            fullName: nul,
          },
        }),
      "full_name",
    ],
    [
      "PUT /customers/{id}",
      () =>
        rest("PUT", `/customers/${customer.customerId}`, {
          token: customer.user.token,
          body: {
            firstName: nul,
            lastName: "Lovelace",
            dateOfBirth: "1990-12-10",
            address: { line1: "1 Analytical Way", city: "London", country: "GB" },
          },
        }),
      "first_name",
    ],
    [
      "GET /customers?email=",
      () => rest("GET", `/customers?email=${encodeURIComponent(nul)}`, { token: admin.token }),
      "email",
    ],
    [
      "GET /customers?city=",
      () => rest("GET", `/customers?city=${encodeURIComponent(nul)}`, { token: admin.token }),
      "city",
    ],
    [
      "POST /customers/{id}/kyc",
      () =>
        rest("POST", `/customers/${customer.customerId}/kyc`, {
          token: admin.token,
          body: { decision: "KYC_STATUS_VERIFIED", comment: nul, documents: ["passport"] },
        }),
      "comment",
    ],
    [
      "PUT /accounts/{id} (status)",
      () =>
        rest("PUT", `/accounts/${customer.accountIds[1]}`, {
          token: admin.token,
          body: { status: "ACCOUNT_STATUS_FROZEN", reason: nul },
        }),
      "reason",
    ],
    ["POST /transactions/transfer", () => transferOne(nul, `nul-tr-${run}`), "description"],
    ["POST /transactions/deposit", () => cash("deposit", nul), "description"],
    ["POST /transactions/withdrawal", () => cash("withdrawal", nul), "description"],
    [
      "POST /transactions/{id}/reverse",
      () =>
        rest("POST", `/transactions/${transactionId}/reverse`, {
          token: admin.token,
          body: { reason: nul, idempotencyKey: `nul-rev-${run}` },
        }),
      "reason",
    ],
  ];

  test.each(routes)("%s", async (_name, call, field) => {
    expect(refusal(await call())).toEqual({
      status: 400,
      code: 3,
      reason: "INVALID_ARGUMENT",
      fields: [field],
    });
  });

  test("other forbidden code points are refused too; tab, line feed and non-ASCII text are not", async () => {
    for (const bad of ["\u0007bell", "esc\u001b", "del\u007f", "c1\u0085", "\ufffe", "\uffff", "\ufdd0"]) {
      const res = await rest("GET", `/customers?city=${encodeURIComponent(bad)}`, { token: admin.token });
      expect({ bad, ...refusal(res) }).toEqual({
        bad,
        status: 400,
        code: 3,
        reason: "INVALID_ARGUMENT",
        fields: ["city"],
      });
    }
    const fine = await rest("GET", `/customers?city=${encodeURIComponent("Zürich\tOst 東京")}`, {
      token: admin.token,
    });
    expect(fine.status).toBe(200);
  });

  test("an unpaired surrogate (possible in a JSON string) is refused over the Connect protocol too", async () => {
    // JSON may escape a lone surrogate; UTF-8 cannot carry one, so this reaches a service only
    // through a JSON protocol (the JSON decoder refuses it before the interceptor would). The body
    // is written by hand: JSON.stringify would keep it escaped.
    const res = await fetch(`${stackVar("ENVOY_URL")}/fidalex.account.v1.CustomerService/ListCustomers`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${admin.token}` },
      body: '{"city":"x\\ud800y"}',
    });
    expect({ status: res.status, body: await res.json() }).toEqual({
      status: 400,
      body: expect.objectContaining({ code: "invalid_argument", message: expect.stringMatching(/city/) }),
    });
  });
});

describe("finding 6: the path names the resource; bodies are JSON; tokens never in the URL", () => {
  test("a query parameter that repeats the path id is refused instead of overriding it", async () => {
    const [mine] = customer.accountIds;
    const other = customer.accountIds[1];
    for (const name of ["accountId", "account_id"]) {
      const res = await rest("GET", `/accounts/${mine}/balance?${name}=${other}`, {
        token: customer.user.token,
      });
      expect(refusal(res)).toEqual({
        status: 400,
        code: 3,
        reason: "INVALID_ARGUMENT",
        fields: ["account_id"],
      });
    }
    const plain = await rest("GET", `/accounts/${mine}/balance`, { token: customer.user.token });
    expect({ status: plain.status, account: plain.body.accountBalance.accountId }).toEqual({
      status: 200,
      account: mine,
    });
  });

  test("a body that is not declared JSON is refused with 415 and a JSON status", async () => {
    const body = JSON.stringify({ username: "admin", password: "whatever-password" });
    for (const contentType of ["text/plain", "application/x-www-form-urlencoded", "application/xml"]) {
      const res = await fetch(`${stackVar("ENVOY_URL")}/auth/login`, {
        method: "POST",
        headers: { "content-type": contentType },
        body,
      });
      expect({
        contentType,
        status: res.status,
        type: res.headers.get("content-type"),
        body: await res.json(),
      }).toEqual({
        contentType,
        status: 415,
        type: "application/json",
        body: expect.objectContaining({ code: 3, message: expect.stringMatching(/JSON/) }),
      });
    }
    const json = await fetch(`${stackVar("ENVOY_URL")}/auth/me`, {
      headers: { "content-type": "application/json; charset=utf-8", authorization: `Bearer ${admin.token}` },
    });
    expect(json.status).toBe(200);
  });

  test("?access_token= is refused and never written to Envoy's access log", async () => {
    const secret = `${admin.token}`;
    const res = await rest("GET", `/auth/me?access_token=${secret}`);
    expect({ status: res.status, body: res.body }).toEqual({
      status: 400,
      body: expect.objectContaining({ code: 3, message: expect.stringMatching(/Authorization/) }),
    });
    // Even with a valid header beside it, the URL's token is refused.
    const both = await rest("GET", `/auth/me?access_token=${secret}`, { token: admin.token });
    expect(both.status).toBe(400);
    const log = `${stackVar("FIDALEX_STACK_DIR")}/logs/envoy-access.log`;
    const lines = await eventually("the refused calls in the access log", async () => {
      const text = readFileSync(log, "utf8");
      const found = text.split("\n").filter((l) => l.includes('"GET /auth/me ') && l.includes(" 400 "));
      return found.length >= 2 ? found : undefined;
    });
    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(readFileSync(log, "utf8")).not.toContain(secret.slice(-40));
  });
});

describe("errors the edge answers itself on REST are JSON google.rpc.Status", () => {
  test.each([
    ["no token", "/auth/me", false, {}, 401, 16],
    ["a forged token", "/auth/me", false, { authorization: "Bearer not.a.jwt" }, 401, 16],
    ["no such route", "/no/such/route", true, {}, 404, 5],
    ["malformed JSON", "/auth/login", false, { "content-type": "application/json" }, 400, 3],
    ["an unknown query parameter", "/auth/me?nosuch=1", true, {}, 400, 3],
  ] as const)("%s", async (what, path, withToken, headers, status, code) => {
    const res = await fetch(`${stackVar("ENVOY_URL")}${path}`, {
      method: what === "malformed JSON" ? "POST" : "GET",
      body: what === "malformed JSON" ? "{not json" : undefined,
      headers: { ...headers, ...(withToken ? { authorization: `Bearer ${admin.token}` } : {}) },
    });
    expect({ status: res.status, type: res.headers.get("content-type"), body: await res.json() }).toEqual({
      status,
      type: "application/json",
      body: { code, message: expect.any(String), details: [] },
    });
  });
});

describe("finding 5: CORS from the configured origins, the same on every protocol", () => {
  const allowed = stackVar("FIDALEX_CORS_ALLOWED_ORIGINS").split(/\s+/)[0]!;
  const preflight = (path: string, origin: string, headers: string) =>
    fetch(`${stackVar("ENVOY_URL")}${path}`, {
      method: "OPTIONS",
      headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": headers },
    });

  test("a REST preflight from an allowed origin is answered without a token, with CORS headers", async () => {
    for (const path of ["/auth/login", "/transactions/transfer"]) {
      const res = await preflight(path, allowed, "content-type, authorization");
      expect({
        path,
        status: res.status,
        origin: res.headers.get("access-control-allow-origin"),
        methods: res.headers.get("access-control-allow-methods"),
        headers: res.headers.get("access-control-allow-headers"),
      }).toEqual({
        path,
        status: 200,
        origin: allowed,
        methods: expect.stringContaining("POST"),
        headers: expect.stringContaining("authorization"),
      });
    }
    // The call itself carries the allow-origin header.
    const login = await fetch(`${stackVar("ENVOY_URL")}/auth/login`, {
      method: "POST",
      headers: { origin: allowed, "content-type": "application/json" },
      body: JSON.stringify({
        username: stackVar("BOOTSTRAP_ADMIN_USERNAME"),
        password: stackVar("BOOTSTRAP_ADMIN_PASSWORD"),
      }),
    });
    expect({ status: login.status, origin: login.headers.get("access-control-allow-origin") }).toEqual({
      status: 200,
      origin: allowed,
    });
  });

  test("another origin gets no CORS headers, on REST and on gRPC-Web alike", async () => {
    const evil = "https://evil.example";
    for (const [path, headers] of [
      ["/auth/login", "content-type"],
      ["/fidalex.auth.v1.AuthService/Login", "content-type, x-grpc-web, x-user-agent"],
    ] as const) {
      const res = await preflight(path, evil, headers);
      expect({ path, status: res.status, origin: res.headers.get("access-control-allow-origin") }).toEqual({
        path,
        status: 200,
        origin: null,
      });
    }
    const call = await fetch(`${stackVar("ENVOY_URL")}/auth/me`, {
      headers: { origin: evil, authorization: `Bearer ${admin.token}` },
    });
    expect(call.headers.get("access-control-allow-origin")).toBeNull();
  });

  test("a gRPC-Web preflight from an allowed origin is answered as the REST one", async () => {
    const res = await preflight("/fidalex.auth.v1.AuthService/Login", allowed, "content-type, x-grpc-web");
    expect({ status: res.status, origin: res.headers.get("access-control-allow-origin") }).toEqual({
      status: 200,
      origin: allowed,
    });
  });
});

test("finding 7: the OpenAPI document is served at /openapi.json without a token", async () => {
  const res = await fetch(`${stackVar("ENVOY_URL")}/openapi.json`);
  const served = (await res.json()) as any;
  const committed = JSON.parse(
    readFileSync(new URL("../../gen/openapi/fidalex.swagger.json", import.meta.url), "utf8"),
  );
  expect({ status: res.status, type: res.headers.get("content-type") }).toEqual({
    status: 200,
    type: "application/json",
  });
  expect(served).toEqual(committed);
  // Public routes are marked public, the others need the bearer token.
  expect(served.paths["/auth/register"].post.security).toEqual([]);
  expect(served.paths["/auth/login"].post.security).toEqual([]);
  expect(served.paths["/auth/me"].get.security).toBeUndefined();
  expect(served.security).toEqual([{ bearer: [] }]);
  // The contracts' rules are in the document.
  expect(served.definitions.v1DepositRequest.properties.currency.pattern).toBe("^[A-Z]{3}$");
  expect(served.definitions.v1DepositRequest.required).toEqual(
    expect.arrayContaining(["accountId", "amount", "currency", "idempotencyKey"]),
  );
});
