// Clients of the edge (Envoy) as a user's app would use them: REST/JSON with fetch, gRPC with
// @grpc/grpc-js generic clients built from the generated descriptors, and gRPC-Web.
import * as grpc from "@grpc/grpc-js";
import {
  fromBinary,
  toBinary,
  type DescMethodUnary,
  type MessageInitShape,
  type MessageShape,
} from "@bufbuild/protobuf";
import { create } from "@bufbuild/protobuf";
import { stackVar } from "./stack.js";

/** A REST response: the HTTP status and the parsed JSON body (undefined when not JSON). */
export interface RestResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
  text: string;
}

/** Calls the REST API through Envoy. */
export async function rest<T = Record<string, any>>(
  method: "GET" | "POST" | "PUT" | "DELETE",
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<RestResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(stackVar("ENVOY_URL") + path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: res.status, body: body as T, text };
}

/** A gRPC error as grpc-js reports it. */
export type GrpcError = grpc.ServiceError;

/** Calls a unary RPC through Envoy over gRPC with a grpc-js generic client. */
export function grpcUnary<M extends DescMethodUnary>(
  method: M,
  request: MessageInitShape<M["input"]>,
  token?: string,
): Promise<MessageShape<M["output"]>> {
  const url = new URL(stackVar("ENVOY_URL"));
  const client = new grpc.Client(url.host, grpc.credentials.createInsecure());
  const metadata = new grpc.Metadata();
  if (token) metadata.set("authorization", `Bearer ${token}`);
  return new Promise((resolve, reject) => {
    client.makeUnaryRequest(
      `/${method.parent.typeName}/${method.name}`,
      (message: MessageShape<M["input"]>) => Buffer.from(toBinary(method.input, message)),
      (bytes: Buffer) => fromBinary(method.output, bytes),
      create(method.input, request) as MessageShape<M["input"]>,
      metadata,
      { deadline: Date.now() + 30_000 },
      (error, response) => {
        client.close();
        if (error) reject(error);
        else resolve(response as MessageShape<M["output"]>);
      },
    );
  });
}

/** A signed-in user of the edge: an access token and the refresh token that renews it. */
export interface EdgeUser {
  token: string;
  refreshToken: string;
}

/** Logs in through the edge (POST /auth/login). */
export async function loginAtEdge(username: string, password: string): Promise<EdgeUser> {
  const res = await rest("POST", "/auth/login", { body: { username, password } });
  expect(res.status).toBe(200);
  return { token: res.body.tokens.accessToken, refreshToken: res.body.tokens.refreshToken };
}

/** The bootstrap administrator of the stack, signed in. */
export function adminAtEdge(): Promise<EdgeUser> {
  return loginAtEdge(stackVar("BOOTSTRAP_ADMIN_USERNAME"), stackVar("BOOTSTRAP_ADMIN_PASSWORD"));
}

/** Registers a user named after `name` and the run, and logs it in. */
export async function registerAtEdge(name: string, run: string): Promise<EdgeUser> {
  const username = `${name}_${run}`;
  const password = `Correct-Horse-${run}-9`;
  const registered = await rest("POST", "/auth/register", {
    body: { username, email: `${username}@example.com`, password, fullName: `${name} ${run}` },
  });
  expect(registered.status).toBe(200);
  return loginAtEdge(username, password);
}

/**
 * Creates the customer record of a user, has staff verify its KYC and opens accounts, as the
 * README's walk-through does; returns the user with a token that carries the customer link.
 */
export async function onboardAtEdge(
  user: EdgeUser,
  admin: EdgeUser,
  accounts: number,
  run: string,
): Promise<{ user: EdgeUser; customerId: string; accountIds: string[] }> {
  const customer = await rest("POST", "/customers", {
    token: user.token,
    body: {
      firstName: "Ada",
      lastName: `Lovelace ${run}`,
      dateOfBirth: "1990-12-10",
      address: { line1: "1 Analytical Way", city: "London", country: "GB" },
    },
  });
  expect(customer.status).toBe(200);
  const customerId: string = customer.body.customer.customerId;
  const kyc = await rest("POST", `/customers/${customerId}/kyc`, {
    token: admin.token,
    body: { decision: "KYC_STATUS_VERIFIED", comment: "passport checked", documents: ["passport"] },
  });
  expect(kyc.status).toBe(200);
  // The user's next token carries the link to the customer record.
  const refreshed = await rest("POST", "/auth/refresh", { body: { refreshToken: user.refreshToken } });
  expect(refreshed.status).toBe(200);
  const linked = {
    token: refreshed.body.tokens.accessToken,
    refreshToken: refreshed.body.tokens.refreshToken,
  };
  const accountIds: string[] = [];
  for (let i = 0; i < accounts; i++) {
    const opened = await rest("POST", "/accounts", {
      token: linked.token,
      body: { customerId, accountType: "ACCOUNT_TYPE_CHECKING", currency: "USD", branchId: 1 },
    });
    expect(opened.status).toBe(200);
    accountIds.push(opened.body.account.accountId);
  }
  return { user: linked, customerId, accountIds };
}

/** Deposits cash into an account as staff (POST /transactions/deposit). */
export async function depositAtEdge(staff: EdgeUser, accountId: string, amount: string, key: string) {
  const res = await rest("POST", "/transactions/deposit", {
    token: staff.token,
    body: { accountId, amount, currency: "USD", idempotencyKey: key },
  });
  expect(res.status).toBe(200);
}

/** An account's balance through the edge. */
export async function balanceAtEdge(token: string, accountId: string): Promise<string> {
  const res = await rest("GET", `/accounts/${accountId}/balance`, { token });
  expect(res.status).toBe(200);
  return res.body.accountBalance.balance as string;
}
