// SQL of credit reports and computed scores: functions taking the connection first.
import type { JsonObject } from "@bufbuild/protobuf";
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";

export const creditReportRow = z.object({
  report_id: z.bigint(),
  customer_id: z.bigint(),
  report_source: z.string(),
  fetched_at: z.date(),
  report_data: z.record(z.string(), z.unknown()),
});
export type CreditReportRow = z.infer<typeof creditReportRow>;

const reportColumns = sql.fragment`report_id, customer_id, report_source, fetched_at, report_data`;

/**
 * The query that finds stored reports by the bureau's own reference, a containment test on the
 * raw report (report_data @> {"reference": …}) that the GIN index idx_cr_report_data_gin answers.
 * References carry the bureau's prefix (e.g. "SBX-…"), so they do not collide across bureaus.
 */
export function reportsByReferenceQuery(reference: string) {
  return sql.type(creditReportRow)`
    SELECT ${reportColumns} FROM credit_reports
    WHERE report_data @> ${sql.jsonb({ reference })}
    ORDER BY report_id
  `;
}

/** The stored report the bureau gave this reference, or null. */
export async function findReportByReference(db: CommonQueryMethods, source: string, reference: string) {
  const reports = await db.any(reportsByReferenceQuery(reference));
  return reports.find((report) => report.report_source === source) ?? null;
}

/** Stores a report as the bureau returned it. */
export function insertReport(
  db: CommonQueryMethods,
  report: { customerId: bigint; source: string; data: JsonObject; fetchedAt: Date },
) {
  return db.one(sql.type(creditReportRow)`
    INSERT INTO credit_reports (customer_id, report_source, fetched_at, report_data)
    VALUES (${report.customerId}, ${report.source}, ${report.fetchedAt.toISOString()}, ${sql.jsonb(report.data)})
    RETURNING ${reportColumns}
  `);
}

/** The customer's most recently fetched report, from one bureau or any. */
export function findLatestReport(db: CommonQueryMethods, customerId: bigint, source: string) {
  return db.maybeOne(sql.type(creditReportRow)`
    SELECT ${reportColumns} FROM credit_reports
    WHERE customer_id = ${customerId} ${source ? sql.fragment`AND report_source = ${source}` : sql.fragment``}
    ORDER BY fetched_at DESC, report_id DESC
    LIMIT 1
  `);
}

export const scoreFactorJson = z.object({
  code: z.string(),
  description: z.string(),
  points: z.number(),
  max_points: z.number(),
});

export const creditScoreRow = z.object({
  score_id: z.bigint(),
  customer_id: z.bigint(),
  application_id: z.bigint().nullable(),
  score: z.number(),
  model_version: z.string(),
  factors: z.array(scoreFactorJson),
  computed_at: z.date(),
});
export type CreditScoreRow = z.infer<typeof creditScoreRow>;

const scoreColumns = sql.fragment`score_id, customer_id, application_id, score, model_version, factors, computed_at`;

/** Records a computed score with its factors and the features it rested on. */
export function insertScore(
  db: CommonQueryMethods,
  score: {
    customerId: bigint;
    applicationId: bigint;
    reportId: bigint | null;
    score: number;
    modelVersion: string;
    factors: Array<z.infer<typeof scoreFactorJson>>;
    features: JsonObject;
  },
) {
  return db.one(sql.type(creditScoreRow)`
    INSERT INTO credit_scores (customer_id, application_id, report_id, score, model_version, factors, features)
    VALUES (${score.customerId}, ${score.applicationId}, ${score.reportId}, ${score.score}, ${score.modelVersion},
            ${sql.jsonb(score.factors)}, ${sql.jsonb(score.features)})
    RETURNING ${scoreColumns}
  `);
}

/** The customer's latest computed score, or null. */
export function findLatestScore(db: CommonQueryMethods, customerId: bigint) {
  return db.maybeOne(sql.type(creditScoreRow)`
    SELECT ${scoreColumns} FROM credit_scores
    WHERE customer_id = ${customerId}
    ORDER BY computed_at DESC, score_id DESC
    LIMIT 1
  `);
}
