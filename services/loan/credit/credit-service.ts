// Credit scores and reports as customers and staff read them, and the one mapper from stored
// scores and reports to the contract's CreditScore and CreditReport messages.
import { create, type JsonObject } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import {
  CreditReportSchema,
  CreditScoreBand,
  CreditScoreSchema,
  type CreditReport,
  type CreditScore,
} from "../../../gen/ts/fidalex/loan/v1/credit_pb.js";
import { requireCustomerAccess } from "../../runtime/access.js";
import type { Principal } from "../../runtime/auth.js";
import type { CommonQueryMethods } from "../../runtime/database.js";
import { domainError } from "../../runtime/errors.js";
import {
  findLatestReport,
  findLatestScore,
  type CreditReportRow,
  type CreditScoreRow,
} from "./credit-repository.js";
import { scoreBand } from "./scorecard.js";

/** The CreditScore message of a stored score: the score, its band, the model and its factors. */
export function toCreditScore(row: CreditScoreRow): CreditScore {
  return create(CreditScoreSchema, {
    customerId: row.customer_id,
    score: row.score,
    band: CreditScoreBand[scoreBand(row.score)],
    source: row.model_version,
    computedAt: timestampFromDate(row.computed_at),
    factors: row.factors.map((f) => ({
      code: f.code,
      description: f.description,
      points: f.points,
      maxPoints: f.max_points,
    })),
  });
}

/** The CreditReport message of a stored report: the bureau's JSON as it came. */
export function toCreditReport(row: CreditReportRow): CreditReport {
  return create(CreditReportSchema, {
    reportId: row.report_id,
    customerId: row.customer_id,
    reportSource: row.report_source,
    fetchedAt: timestampFromDate(row.fetched_at),
    reportData: row.report_data as JsonObject,
  });
}

/** GetCreditScore: the customer's latest score, for the customer themselves or the bank. */
export async function latestCreditScore(db: CommonQueryMethods, principal: Principal, customerId: bigint) {
  requireCustomerAccess(principal, customerId);
  const row = await findLatestScore(db, customerId);
  if (!row)
    throw domainError(Code.NotFound, "CREDIT_SCORE_NOT_FOUND", "the customer has no credit score yet");
  return row;
}

/** GetCreditReport: the customer's latest report (from one bureau, or any). */
export async function latestCreditReport(
  db: CommonQueryMethods,
  principal: Principal,
  customerId: bigint,
  source: string,
) {
  requireCustomerAccess(principal, customerId);
  const row = await findLatestReport(db, customerId, source);
  if (!row) throw domainError(Code.NotFound, "CREDIT_REPORT_NOT_FOUND", "the customer has no credit report");
  return row;
}
