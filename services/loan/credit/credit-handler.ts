// Transport of CreditService: reads the principal and shapes the responses.
import type { ServiceImpl } from "@connectrpc/connect";
import { CreditService } from "../../../gen/ts/fidalex/loan/v1/credit_service_pb.js";
import { requirePrincipal } from "../../runtime/auth.js";
import type { DatabasePool } from "../../runtime/database.js";
import { latestCreditReport, latestCreditScore, toCreditReport, toCreditScore } from "./credit-service.js";

/** The implementation of every RPC of CreditService. */
export function createCreditHandlers(deps: { db: DatabasePool }): ServiceImpl<typeof CreditService> {
  const { db } = deps;
  return {
    async getCreditScore(req, ctx) {
      return {
        creditScore: toCreditScore(await latestCreditScore(db, requirePrincipal(ctx), req.customerId)),
      };
    },
    async getCreditReport(req, ctx) {
      const row = await latestCreditReport(db, requirePrincipal(ctx), req.customerId, req.reportSource);
      return { creditReport: toCreditReport(row) };
    },
  };
}
