// The mapper and the listing of the bank's branches (any signed-in caller may list them).
import { create } from "@bufbuild/protobuf";
import { BranchSchema, type Branch } from "../../../gen/ts/fidalex/account/v1/branch_pb.js";
import type { ListBranchesRequest } from "../../../gen/ts/fidalex/account/v1/account_service_pb.js";
import type { CommonQueryMethods } from "../../runtime/database.js";
import { fetchIdPage, type Page } from "../../runtime/pagination.js";
import { listBranches, type BranchRow } from "./branch-repository.js";

/** The Branch message of a stored branch. */
export function toBranch(row: BranchRow): Branch {
  return create(BranchSchema, { branchId: row.branch_id, branchName: row.branch_name, region: row.region });
}

/** One page of branches, ordered by id. */
export async function branches(db: CommonQueryMethods, req: ListBranchesRequest): Promise<Page<BranchRow>> {
  return fetchIdPage(
    req,
    (after, limit) => listBranches(db, after, limit),
    (row) => row.branch_id,
  );
}
