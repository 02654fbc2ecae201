// The Insights server: InsightsService over the warehouse, with the runtime's health, reflection,
// authentication and validation. Building it does no I/O; listen() starts it.
import type { JWTVerifyGetKey } from "jose";
import type { DatabasePool } from "../runtime/database.js";
import type { Logger } from "../runtime/logger.js";
import { createServiceServer, type ServiceServer } from "../runtime/server.js";
import { InsightsService } from "../../gen/ts/fidalex/insights/v1/insights_service_pb.js";
import { insightsRoutes } from "./routes.js";

/** What the Insights server needs. */
export interface InsightsServerDeps {
  db: DatabasePool;
  logger: Logger;
  /** Resolves the Auth service's signing keys for verifying access tokens. */
  keys: JWTVerifyGetKey;
}

export function build(deps: InsightsServerDeps): ServiceServer {
  return createServiceServer({
    name: "insights",
    logger: deps.logger,
    services: [InsightsService],
    routes: insightsRoutes({ db: deps.db }),
    keys: deps.keys,
  });
}
