// SQL for the accounts' audit trail. Every change of an account writes one entry, in the same
// database transaction as the change.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";

/** A JSON object as an audit entry stores it (old or new values of the changed fields). */
export type AuditValues = { [key: string]: string | number | boolean | null | AuditValues | string[] };

export const accountLogRow = z.object({
  log_id: z.bigint(),
  account_id: z.bigint(),
  change_type: z.string(),
  old_value: z.record(z.unknown()).nullable(),
  new_value: z.record(z.unknown()).nullable(),
  changed_by: z.string(),
  change_ts: z.date(),
  /** change_ts with microseconds, in UTC: the keyset position of the entry. */
  change_key: z.string(),
});
export type AccountLogRow = z.infer<typeof accountLogRow>;

/** Writes one audit entry. */
export async function insertAccountLog(
  db: CommonQueryMethods,
  entry: {
    accountId: bigint;
    changeType: string;
    oldValue: AuditValues | null;
    newValue: AuditValues | null;
    changedBy: string;
  },
): Promise<void> {
  await db.query(sql.unsafe`
    INSERT INTO account_logs (account_id, change_type, old_value, new_value, changed_by)
    VALUES (${entry.accountId}, ${entry.changeType},
            ${entry.oldValue === null ? null : sql.jsonb(entry.oldValue)},
            ${entry.newValue === null ? null : sql.jsonb(entry.newValue)},
            ${entry.changedBy.slice(0, 100)})
  `);
}

/** A position in an account's audit trail: entries older than it come next. */
export interface AccountLogCursor {
  changeKey: string;
  logId: bigint;
}

/** One page of an account's audit trail, newest first (change_ts, then log_id). */
export async function listAccountLogs(
  db: CommonQueryMethods,
  accountId: bigint,
  before: AccountLogCursor | undefined,
  limit: number,
): Promise<readonly AccountLogRow[]> {
  return db.any(sql.type(accountLogRow)`
    SELECT log_id, account_id, change_type, old_value, new_value, changed_by, change_ts,
           to_char(change_ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS change_key
    FROM account_logs
    WHERE account_id = ${accountId}
      ${
        before
          ? sql.fragment`AND (change_ts, log_id) < (${before.changeKey}::timestamptz, ${before.logId})`
          : sql.fragment``
      }
    ORDER BY change_ts DESC, log_id DESC
    LIMIT ${limit}
  `);
}
