// The mapper and the listing of the bank's branches (any signed-in caller may list them).
import { create } from "@bufbuild/protobuf";
import { BranchSchema, type Branch } from "../../../gen/ts/fidalex/account/v1/branch_pb.js";
import type { ListBranchesRequest } from "../../../gen/ts/fidalex/account/v1/account_service_pb.js";
import type { CommonQueryMethods } from "../../runtime/database.js";
import { pageSize } from "../../runtime/pagination.js";
import { decodeIdToken, pageOf } from "../paging.js";
import { listBranches, type BranchRow } from "./branch-repository.js";

/** The Branch message of a stored branch. */
export function toBranch(row: BranchRow): Branch {
  return create(BranchSchema, { branchId: row.branch_id, branchName: row.branch_name, region: row.region });
}

/** One page of branches, ordered by id. */
export async function branches(
  db: CommonQueryMethods,
  req: ListBranchesRequest,
): Promise<{ rows: readonly BranchRow[]; nextPageToken: string }> {
  const after = decodeIdToken(req.pageToken);
  const size = pageSize(req.pageSize);
  return pageOf(await listBranches(db, after, size + 1), size, (row) => row.branch_id);
}
