// grpc.health.v1.Health for every server: Check, Watch and List over a status map that the
// server flips to NOT_SERVING when it starts shutting down.
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type ConnectRouter } from "@connectrpc/connect";
import {
  Health,
  HealthCheckResponse_ServingStatus as ServingStatus,
  HealthCheckResponseSchema,
  HealthListResponseSchema,
} from "../../gen/ts/grpc/health/v1/health_pb.js";

export { ServingStatus };

/** The serving status of a server ("" is the server as a whole) and of each of its services. */
export interface HealthStatus {
  /** Sets the status of a service, or of the whole server with "". */
  set(service: string, status: ServingStatus): void;
  /** Sets every known service, and the server, to the status. */
  setAll(status: ServingStatus): void;
  /** The status of a service, or undefined for a service the server does not know. */
  get(service: string): ServingStatus | undefined;
}

/** Creates the status map, with the server and each named service NOT_SERVING until started. */
export function createHealthStatus(services: string[]): HealthStatus & {
  subscribe(listener: () => void): () => void;
  names(): string[];
} {
  const statuses = new Map<string, ServingStatus>([["", ServingStatus.NOT_SERVING]]);
  for (const service of services) statuses.set(service, ServingStatus.NOT_SERVING);
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((listener) => listener());
  return {
    set(service, status) {
      statuses.set(service, status);
      notify();
    },
    setAll(status) {
      for (const key of statuses.keys()) statuses.set(key, status);
      notify();
    },
    get: (service) => statuses.get(service),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    names: () => [...statuses.keys()],
  };
}

/** Registers grpc.health.v1.Health on the router, answering from the status map. */
export function registerHealth(router: ConnectRouter, health: ReturnType<typeof createHealthStatus>): void {
  router.service(Health, {
    check(req) {
      const status = health.get(req.service);
      if (status === undefined) throw new ConnectError(`unknown service ${req.service}`, Code.NotFound);
      return create(HealthCheckResponseSchema, { status });
    },
    async *watch(req, ctx) {
      let changed: () => void = () => {};
      const unsubscribe = health.subscribe(() => changed());
      try {
        let last: ServingStatus | undefined;
        while (!ctx.signal.aborted) {
          const status = health.get(req.service) ?? ServingStatus.SERVICE_UNKNOWN;
          if (status !== last) {
            last = status;
            yield create(HealthCheckResponseSchema, { status });
          }
          await new Promise<void>((resolve) => {
            changed = resolve;
            ctx.signal.addEventListener("abort", () => resolve(), { once: true });
          });
        }
      } finally {
        unsubscribe();
      }
    },
    list() {
      return create(HealthListResponseSchema, {
        statuses: Object.fromEntries(
          health
            .names()
            .map((name) => [name, create(HealthCheckResponseSchema, { status: health.get(name) })]),
        ),
      });
    },
  });
}
