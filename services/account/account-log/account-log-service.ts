// Rules and the mapper for reading an account's audit trail (staff only).
import { create, type JsonObject } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { AccountLogSchema, type AccountLog } from "../../../gen/ts/fidalex/account/v1/account_pb.js";
import type { ListAccountLogsRequest } from "../../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { requireStaff } from "../../runtime/access.js";
import type { Principal } from "../../runtime/auth.js";
import type { CommonQueryMethods } from "../../runtime/database.js";
import { domainError } from "../../runtime/errors.js";
import { fetchPage, tokenPatterns, type Page } from "../../runtime/pagination.js";
import { findAccount } from "../account/account-repository.js";
import { listAccountLogs, type AccountLogCursor, type AccountLogRow } from "./account-log-repository.js";

/** The AccountLog message of a stored audit entry. */
export function toAccountLog(row: AccountLogRow): AccountLog {
  return create(AccountLogSchema, {
    logId: row.log_id,
    accountId: row.account_id,
    changeType: row.change_type,
    oldValue: (row.old_value ?? undefined) as JsonObject | undefined,
    newValue: (row.new_value ?? undefined) as JsonObject | undefined,
    changedBy: row.changed_by,
    changeTs: timestampFromDate(row.change_ts),
  });
}

/** The fields of a page token of the audit trail: the change time (µs) and the log id. */
const cursorFields = { ts: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/, id: tokenPatterns.id };

/** One page of an account's audit trail, newest first; staff only, checked before existence. */
export async function accountLogs(
  db: CommonQueryMethods,
  principal: Principal,
  req: ListAccountLogsRequest,
): Promise<Page<AccountLogRow>> {
  requireStaff(principal);
  return fetchPage(
    req,
    cursorFields,
    async (before, limit) => {
      if (!(await findAccount(db, req.accountId))) {
        throw domainError(Code.NotFound, "ACCOUNT_NOT_FOUND", "no account has this id");
      }
      const cursor: AccountLogCursor | undefined = before && {
        changeKey: before.ts,
        logId: BigInt(before.id),
      };
      return listAccountLogs(db, req.accountId, cursor, limit);
    },
    (row) => ({ ts: row.change_key, id: String(row.log_id) }),
  );
}
