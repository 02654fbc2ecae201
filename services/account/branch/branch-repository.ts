// SQL for the bank's branches.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";

export const branchRow = z.object({ branch_id: z.number(), branch_name: z.string(), region: z.string() });
export type BranchRow = z.infer<typeof branchRow>;

/** The branch with this id, or null. */
export async function findBranch(db: CommonQueryMethods, branchId: number): Promise<BranchRow | null> {
  return db.maybeOne(sql.type(branchRow)`
    SELECT branch_id, branch_name, region FROM branches WHERE branch_id = ${branchId}
  `);
}

/** One page of branches after a branch id, ordered by id. */
export async function listBranches(
  db: CommonQueryMethods,
  afterId: bigint,
  limit: number,
): Promise<readonly BranchRow[]> {
  return db.any(sql.type(branchRow)`
    SELECT branch_id, branch_name, region FROM branches
    WHERE branch_id > ${afterId}
    ORDER BY branch_id
    LIMIT ${limit}
  `);
}
