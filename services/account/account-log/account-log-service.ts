// Rules and the mapper for reading an account's audit trail (staff only).
import { create, type JsonObject } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { AccountLogSchema, type AccountLog } from "../../../gen/ts/fidalex/account/v1/account_pb.js";
import type { ListAccountLogsRequest } from "../../../gen/ts/fidalex/account/v1/account_service_pb.js";
import type { Principal } from "../../runtime/auth.js";
import type { CommonQueryMethods } from "../../runtime/database.js";
import { domainError } from "../../runtime/errors.js";
import { decodePageToken, encodePageToken, pageSize } from "../../runtime/pagination.js";
import { requireStaff } from "../access.js";
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

function decodeCursor(token: string): AccountLogCursor | undefined {
  const key = decodePageToken(token, ["ts", "id"]);
  if (!key) return undefined;
  if (!/^[0-9]{1,19}$/.test(key.id) || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(key.ts)) {
    throw domainError(
      Code.InvalidArgument,
      "INVALID_PAGE_TOKEN",
      "page_token is not a token this list issued",
    );
  }
  return { changeKey: key.ts, logId: BigInt(key.id) };
}

/** One page of an account's audit trail, newest first; staff only, checked before existence. */
export async function accountLogs(
  db: CommonQueryMethods,
  principal: Principal,
  req: ListAccountLogsRequest,
): Promise<{ rows: readonly AccountLogRow[]; nextPageToken: string }> {
  requireStaff(principal);
  const before = decodeCursor(req.pageToken);
  if (!(await findAccount(db, req.accountId))) {
    throw domainError(Code.NotFound, "ACCOUNT_NOT_FOUND", "no account has this id");
  }
  const size = pageSize(req.pageSize);
  const rows = await listAccountLogs(db, req.accountId, before, size + 1);
  if (rows.length <= size) return { rows, nextPageToken: "" };
  const page = rows.slice(0, size);
  const last = page[page.length - 1]!;
  return { rows: page, nextPageToken: encodePageToken({ ts: last.change_key, id: String(last.log_id) }) };
}
