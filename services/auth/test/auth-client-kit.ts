// Client-side helpers for testing the Auth service through any Transport: directly (these tests)
// or through Envoy (the edge tests). Nothing here knows where the server runs.
import { randomBytes } from "node:crypto";
import {
  ConnectError,
  createClient,
  type CallOptions,
  type Client,
  type Interceptor,
  type Transport,
} from "@connectrpc/connect";
import { decodeJwt, decodeProtectedHeader } from "jose";
import { AuthService } from "../../../gen/ts/fidalex/auth/v1/auth_service_pb.js";
import { CustomerLinkService } from "../../../gen/ts/fidalex/auth/v1/customer_link_service_pb.js";
import { ServiceTokenService } from "../../../gen/ts/fidalex/auth/v1/service_token_service_pb.js";
import type { AuthTokens } from "../../../gen/ts/fidalex/auth/v1/token_pb.js";
import type { User } from "../../../gen/ts/fidalex/auth/v1/user_pb.js";
import { ErrorInfoSchema, RetryInfoSchema } from "../../../gen/ts/google/rpc/error_details_pb.js";
import type { AccessTokenClaims } from "../../runtime/auth.js";

/** Clients of the three Auth services over one transport. */
export interface AuthClients {
  auth: Client<typeof AuthService>;
  links: Client<typeof CustomerLinkService>;
  serviceTokens: Client<typeof ServiceTokenService>;
}

/** The Auth clients over a transport. */
export function authClients(transport: Transport): AuthClients {
  return {
    auth: createClient(AuthService, transport),
    links: createClient(CustomerLinkService, transport),
    serviceTokens: createClient(ServiceTokenService, transport),
  };
}

/** Call options that send an access token. */
export function bearer(accessToken: string): CallOptions {
  return { headers: { authorization: `Bearer ${accessToken}` } };
}

/** The edge secret the test servers are given (EDGE_SECRET), as Envoy would send it. */
export const testEdgeSecret = "test-edge-proof-secret-0123456789";

/**
 * A client interceptor that makes calls look as if Envoy forwarded them from the address
 * (x-forwarded-for with the edge's proof, x-fidalex-edge).
 */
export function fromAddress(address: string): Interceptor {
  return (next) => (req) => {
    req.header.set("x-forwarded-for", address);
    req.header.set("x-fidalex-edge", testEdgeSecret);
    return next(req);
  };
}

/** A random address in 198.18.0.0/15 (benchmarking range), so rate-limit counters do not collide. */
export function randomAddress(): string {
  const [a, b, c] = randomBytes(3);
  return `198.${18 + (a! % 2)}.${b}.${c}`;
}

/** A unique suffix for names in the shared database. */
export function uniqueSuffix(): string {
  return randomBytes(5).toString("hex");
}

/** Registration input for a new, unique user, with a password the policy accepts. */
export interface Registration {
  username: string;
  email: string;
  password: string;
  fullName: string;
}

/** A fresh registration (unique username and email; strong password). */
export function newRegistration(prefix = "user"): Registration {
  const suffix = uniqueSuffix();
  return {
    username: `${prefix}_${suffix}`,
    email: `${prefix}.${suffix}@example.test`,
    password: `Tr0ub4dor&3-${randomBytes(6).toString("base64url")}`,
    fullName: `Test ${prefix}`,
  };
}

/** A user that registered and logged in. */
export interface SignedInUser {
  registration: Registration;
  user: User;
  tokens: AuthTokens;
}

/** Registers a new user and logs it in. */
export async function registerAndLogin(
  auth: Client<typeof AuthService>,
  registration: Registration = newRegistration(),
): Promise<SignedInUser> {
  await auth.register(registration);
  const { tokens, user } = await auth.login({
    username: registration.username,
    password: registration.password,
  });
  if (!tokens || !user) throw new Error("login answered without tokens or user");
  return { registration, user, tokens };
}

/** Awaits a call that must fail and returns its ConnectError. */
export async function refusal(call: Promise<unknown>): Promise<ConnectError> {
  try {
    await call;
  } catch (error) {
    return ConnectError.from(error);
  }
  throw new Error("the call succeeded, but a refusal was expected");
}

/** The ErrorInfo reason of an error, or undefined. */
export function reasonOf(error: ConnectError): string | undefined {
  return error.findDetails(ErrorInfoSchema)[0]?.reason;
}

/** The RetryInfo delay of an error in seconds, or undefined. */
export function retryDelaySeconds(error: ConnectError): number | undefined {
  const delay = error.findDetails(RetryInfoSchema)[0]?.retryDelay;
  return delay ? Number(delay.seconds) : undefined;
}

/** Everything a client can observe of an error, to compare two refusals. */
export function observable(error: ConnectError) {
  return {
    code: error.code,
    message: error.rawMessage,
    details: error.findDetails(ErrorInfoSchema).map((d) => ({ ...d, $typeName: undefined })),
    metadata: [...error.metadata.entries()].filter(([name]) => !["date", "content-length"].includes(name)),
  };
}

/** The decoded header and claims of an access token (not verified). */
export function inspectAccessToken(token: string) {
  return { header: decodeProtectedHeader(token), claims: decodeJwt<AccessTokenClaims>(token) };
}
