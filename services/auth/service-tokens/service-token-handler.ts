// Transport for ServiceTokenService.IssueServiceToken (public: the credentials are the proof).
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code, type ServiceImpl } from "@connectrpc/connect";
import { ServiceTokenService as ServiceTokenServiceDesc } from "../../../gen/ts/fidalex/auth/v1/service_token_service_pb.js";
import { domainError } from "../../runtime/errors.js";
import type { Logger } from "../../runtime/logger.js";
import type { ServiceTokenService } from "./service-token-service.js";

/** ServiceTokenService. */
export function createServiceTokenHandlers(deps: {
  serviceTokens: ServiceTokenService;
  logger: Logger;
}): ServiceImpl<typeof ServiceTokenServiceDesc> {
  const { serviceTokens, logger } = deps;
  return {
    async issueServiceToken(req) {
      const issued = await serviceTokens.issue(req.clientId, req.clientSecret);
      if (!issued) {
        logger.warn({ clientId: req.clientId }, "service token refused: unknown client or wrong secret");
        throw domainError(Code.Unauthenticated, "INVALID_CLIENT", "the client credentials are not valid");
      }
      return { accessToken: issued.token, expiresAt: timestampFromDate(issued.expiresAt) };
    },
  };
}
