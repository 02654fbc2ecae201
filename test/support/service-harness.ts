// How every service's tests run it: the service's own declaration (services/<name>/main.ts),
// started in process on port 0 through the same runtime the entry point uses, over the stack's
// stores, verifying tokens against a test signing key and sending a SERVICE token signed with it
// to the other services it calls.
import { createClient, type Client, type Interceptor, type Transport } from "@connectrpc/connect";
import type { DescService } from "@bufbuild/protobuf";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { createLogger } from "../../services/runtime/logger.js";
import {
  runService,
  type RunningService,
  type ServiceConfig,
  type ServiceDefinition,
} from "../../services/runtime/service.js";
import type { TestClaims, TestSigner } from "./test-tokens.js";

/** How a test starts a service. */
export interface TestServiceOptions<Deps> {
  /** The service's variables (DATABASE_URL, …); AUTH_URL defaults to an address nothing serves. */
  env: Record<string, string | undefined>;
  /** Tokens are verified with this signer's key, so the Auth service is never asked. */
  signer: TestSigner;
  /** The claims of the token the service sends to others; by default svc:<name> with SERVICE. */
  serviceClaims?: TestClaims;
  /** Fakes for dependencies the test is not about. */
  overrides?: Partial<Deps>;
  /** The port; 0 (any free one) by default, or a fixed one to restart a service in place. */
  port?: number;
}

/** Starts a service's declaration in process for a test. */
export function startTestService<Config extends ServiceConfig, Deps>(
  definition: ServiceDefinition<Config, Deps>,
  options: TestServiceOptions<Deps>,
): Promise<RunningService<Config, Deps>> {
  const claims = options.serviceClaims ?? { sub: `svc:${definition.name}`, roles: ["SERVICE"] };
  let token: { value: Promise<string>; renewAt: number } | undefined;
  return runService(definition, {
    env: { AUTH_URL: "http://127.0.0.1:9", ...options.env },
    port: options.port ?? 0,
    logger: createLogger(`${definition.name}-test`, process.env.LOG_LEVEL ?? "silent"),
    keys: options.signer.keys,
    serviceToken() {
      if (!token || Date.now() > token.renewAt) {
        token = {
          value: options.signer.sign(claims, { expiresIn: "30m" }),
          renewAt: Date.now() + 20 * 60_000,
        };
      }
      return token.value;
    },
    overrides: options.overrides,
  });
}

/** A gRPC transport that sends the authorization header (when given) with every call. */
export function callerTransport(baseUrl: string, bearer?: string): Transport {
  const interceptors: Interceptor[] = bearer
    ? [
        (next) => (req) => {
          req.header.set("authorization", bearer);
          return next(req);
        },
      ]
    : [];
  return createGrpcTransport({ baseUrl, interceptors });
}

/** Clients of the given services over one transport, keyed as the caller names them. */
export function clientsOf<Services extends Record<string, DescService>>(
  transport: Transport,
  services: Services,
): { [K in keyof Services]: Client<Services[K]> } {
  return Object.fromEntries(
    Object.entries(services).map(([key, service]) => [key, createClient(service, transport)]),
  ) as { [K in keyof Services]: Client<Services[K]> };
}
