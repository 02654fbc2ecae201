// SQL of loan applications and their decision logs: functions taking the connection first.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";
import { newestFirstQuery, type NewestFirstCursor } from "../../runtime/pagination.js";

export const applicationStatuses = ["SUBMITTED", "UNDER_REVIEW", "APPROVED", "REJECTED"] as const;
export type ApplicationStatus = (typeof applicationStatuses)[number];
export const decisionKinds = [
  "AUTO_APPROVED",
  "AUTO_REJECTED",
  "MANUAL_APPROVED",
  "MANUAL_REJECTED",
] as const;
export type DecisionKind = (typeof decisionKinds)[number];

export const applicationRow = z.object({
  application_id: z.bigint(),
  customer_id: z.bigint(),
  amount_requested: z.string(),
  currency: z.string(),
  term_months: z.number(),
  purpose: z.string().nullable(),
  disbursement_account_id: z.bigint(),
  status: z.enum(applicationStatuses),
  submitted_at: z.date(),
  /** submitted_at in microseconds since the epoch: exact, unlike a JavaScript Date (page keys). */
  submitted_us: z.bigint(),
  reviewed_at: z.date().nullable(),
  decision_by: z.string().nullable(),
  decision_score: z.string().nullable(),
  /** The loan opened for the application; null until it is approved. */
  loan_id: z.bigint().nullable(),
});
export type ApplicationRow = z.infer<typeof applicationRow>;

const applicationColumns = sql.fragment`
  a.application_id, a.customer_id, a.amount_requested, a.currency, a.term_months, a.purpose,
  a.disbursement_account_id, a.status, a.submitted_at,
  (EXTRACT(EPOCH FROM a.submitted_at) * 1000000)::BIGINT AS submitted_us,
  a.reviewed_at, a.decision_by, a.decision_score, l.loan_id
`;

/** Records a new SUBMITTED application. */
export async function insertApplication(
  db: CommonQueryMethods,
  application: {
    customerId: bigint;
    amount: string;
    currency: string;
    termMonths: number;
    purpose: string | null;
    disbursementAccountId: bigint;
  },
): Promise<ApplicationRow> {
  const { application_id: id } = await db.one(sql.type(z.object({ application_id: z.bigint() }))`
    INSERT INTO loan_applications
      (customer_id, amount_requested, currency, term_months, purpose, disbursement_account_id, assessment_attempted_at)
    VALUES (${application.customerId}, ${application.amount}::numeric, ${application.currency}, ${application.termMonths},
            ${application.purpose}, ${application.disbursementAccountId}, NOW())
    RETURNING application_id
  `);
  return (await findApplication(db, id))!;
}

/** The application with its loan id, or null; `lock` holds its row until the transaction ends. */
export function findApplication(
  db: CommonQueryMethods,
  applicationId: bigint,
  options: { lock?: boolean } = {},
): Promise<ApplicationRow | null> {
  return db.maybeOne(sql.type(applicationRow)`
    SELECT ${applicationColumns}
    FROM loan_applications a LEFT JOIN loan_accounts l ON l.application_id = a.application_id
    WHERE a.application_id = ${applicationId}
    ${options.lock ? sql.fragment`FOR UPDATE OF a` : sql.fragment``}
  `);
}

/** Records the outcome of an assessment or a decision on the application. */
export async function updateApplicationStatus(
  db: CommonQueryMethods,
  applicationId: bigint,
  change: { status: ApplicationStatus; decisionBy: string | null; decisionScore: string | null },
): Promise<void> {
  await db.query(sql.unsafe`
    UPDATE loan_applications
    SET status = ${change.status},
        decision_by = COALESCE(${change.decisionBy}, decision_by),
        decision_score = COALESCE(${change.decisionScore}::numeric, decision_score),
        reviewed_at = CASE WHEN ${change.status} IN ('APPROVED', 'REJECTED') THEN NOW() ELSE reviewed_at END
    WHERE application_id = ${applicationId}
  `);
}

/** One page of a customer's applications, newest first (submitted_at, then id). */
export function listCustomerApplications(
  db: CommonQueryMethods,
  customerId: bigint,
  status: ApplicationStatus | undefined,
  page: { after: NewestFirstCursor | undefined; limit: number },
): Promise<readonly ApplicationRow[]> {
  const where = [sql.fragment`a.customer_id = ${customerId}`];
  if (status) where.push(sql.fragment`a.status = ${status}`);
  const from = sql.fragment`loan_applications a LEFT JOIN loan_accounts l ON l.application_id = a.application_id`;
  const list = { select: applicationColumns, from, where, time: "a.submitted_at", id: "a.application_id" };
  return db.any(sql.type(applicationRow)`${newestFirstQuery({ ...list, ...page })}`);
}

export const decisionRow = z.object({
  log_id: z.bigint(),
  application_id: z.bigint(),
  decision: z.enum(decisionKinds),
  decision_by: z.string(),
  decision_score: z.string().nullable(),
  comments: z.string().nullable(),
  decision_ts: z.date(),
});
export type DecisionRow = z.infer<typeof decisionRow>;

const decisionColumns = sql.fragment`log_id, application_id, decision, decision_by, decision_score, comments, decision_ts`;

/** Appends a decision to the application's log. */
export function insertDecision(
  db: CommonQueryMethods,
  decision: {
    applicationId: bigint;
    decision: DecisionKind;
    decisionBy: string;
    decisionScore: string | null;
    comments: string | null;
  },
): Promise<DecisionRow> {
  return db.one(sql.type(decisionRow)`
    INSERT INTO loan_decision_logs (application_id, decision, decision_by, decision_score, comments)
    VALUES (${decision.applicationId}, ${decision.decision}, ${decision.decisionBy},
            ${decision.decisionScore}::numeric, ${decision.comments})
    RETURNING ${decisionColumns}
  `);
}

/** The application's decision log, oldest first. */
export function listDecisions(
  db: CommonQueryMethods,
  applicationId: bigint,
): Promise<readonly DecisionRow[]> {
  return db.any(sql.type(decisionRow)`
    SELECT ${decisionColumns} FROM loan_decision_logs
    WHERE application_id = ${applicationId}
    ORDER BY decision_ts, log_id
  `);
}
