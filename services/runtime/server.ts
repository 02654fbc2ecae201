// The server every service runs: Connect (gRPC, gRPC-Web and Connect protocols) on an HTTP/2
// cleartext server, with health checks, reflection, error translation, authentication and
// validation, and a graceful shutdown that drains in-flight calls.
import type { ServerResponse } from "node:http";
import * as http2 from "node:http2";
import type { AddressInfo } from "node:net";
import type { DescService } from "@bufbuild/protobuf";
import { Code, type ConnectRouter, type Interceptor } from "@connectrpc/connect";
import { connectNodeAdapter, type ConnectNodeAdapterOptions } from "@connectrpc/connect-node";
import type { JWTVerifyGetKey } from "jose";
import { createAuthInterceptor } from "./auth.js";
import { recordPeerAddresses } from "./client-address.js";
import { restVerbsOf } from "./edge-catalogue.js";
import { createHealthStatus, registerHealth, ServingStatus, type HealthStatus } from "./health.js";
import {
  createErrorInterceptor,
  createPathQueryInterceptor,
  createTextHygieneInterceptor,
  createValidationInterceptor,
} from "./interceptors.js";
import type { Logger } from "./logger.js";
import { registerReflection } from "./reflection.js";
import type { TokenRevocationCheck } from "./token-revocation.js";

/** What a service hands to createServiceServer. */
export interface ServiceServerOptions {
  /** The service's name in logs, e.g. "account". */
  name: string;
  logger: Logger;
  /** The services this server implements, for health checks and reflection. */
  services: DescService[];
  /** Registers the service implementations: `(router) => router.service(Desc, impl)`. */
  routes: (router: ConnectRouter) => void;
  /** Resolves the Auth service's signing keys for verifying access tokens. */
  keys: JWTVerifyGetKey;
  /** Refuses revoked user tokens (token-revocation.ts); without it only the signature and expiry count. */
  revocation?: TokenRevocationCheck;
  /** Procedures callable without a token, as "package.Service/Method". */
  publicProcedures?: ReadonlySet<string>;
  /** Serves requests that are not RPCs (e.g. a JWKS document); 404 when absent. */
  fallback?: ConnectNodeAdapterOptions["fallback"];
  /** Extra interceptors, inside authentication and validation. */
  interceptors?: Interceptor[];
}

/**
 * Answers a request that is no RPC of the server with a JSON google.rpc.Status, the body every
 * error of the mesh has: 405 with an Allow header when an edge REST rule knows the path with other
 * verbs, else 404. Envoy sends the REST calls no rule matches here (docs/security.md).
 */
export function answerNoSuchRoute(req: { method?: string; url?: string }, res: ServerResponse): void {
  const allowed = restVerbsOf(req.url ?? "");
  const [status, code, message] =
    allowed.length > 0
      ? [405, Code.Unimplemented, `${req.method ?? ""} is not allowed here; allowed: ${allowed.join(", ")}`]
      : [404, Code.NotFound, "no such route"];
  const body = JSON.stringify({ code, message, details: [] });
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body)),
    ...(allowed.length > 0 ? { allow: allowed.join(", ") } : {}),
  });
  res.end(body);
}

/** A running (or ready to run) service server. */
export interface ServiceServer {
  readonly server: http2.Http2Server;
  readonly health: HealthStatus;
  /** Listens on the port and host (port 0 picks a free port) and marks the server SERVING. */
  listen(port: number, host?: string): Promise<AddressInfo>;
  /**
   * Marks the server NOT_SERVING, stops accepting connections, lets in-flight calls finish for up
   * to graceMs, then closes every HTTP/2 session.
   */
  close(graceMs?: number): Promise<void>;
}

/** Creates the HTTP/2 server of a service; it listens only when `listen` is called. */
export function createServiceServer(options: ServiceServerOptions): ServiceServer {
  const serviceNames = options.services.map((s) => s.typeName);
  const health = createHealthStatus(serviceNames);
  const handler = connectNodeAdapter({
    routes(router) {
      registerHealth(router, health);
      registerReflection(router, options.services);
      options.routes(router);
    },
    interceptors: [
      createErrorInterceptor(options.logger),
      createAuthInterceptor(options.keys, options.publicProcedures ?? new Set(), options.revocation),
      createTextHygieneInterceptor(),
      createPathQueryInterceptor(),
      createValidationInterceptor(),
      ...(options.interceptors ?? []),
    ],
    fallback: options.fallback ?? ((req, res) => answerNoSuchRoute(req, res as ServerResponse)),
  });

  const server = http2.createServer(handler);
  recordPeerAddresses(server);
  const sessions = new Set<http2.Http2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });

  return {
    server,
    health,
    listen(port, host = "127.0.0.1") {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          health.setAll(ServingStatus.SERVING);
          const address = server.address() as AddressInfo;
          options.logger.info({ port: address.port, host }, `${options.name} listening`);
          resolve(address);
        });
      });
    },
    async close(graceMs = 5_000) {
      health.setAll(ServingStatus.NOT_SERVING);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // A graceful GOAWAY lets in-flight streams finish; sessions still open after the grace
      // period are destroyed, or server.close() would wait for idle clients forever.
      for (const session of sessions) session.close();
      const timer = setTimeout(() => sessions.forEach((s) => s.destroy()), graceMs);
      if (!server.listening) {
        clearTimeout(timer);
        return;
      }
      await closed;
      clearTimeout(timer);
    },
  };
}
