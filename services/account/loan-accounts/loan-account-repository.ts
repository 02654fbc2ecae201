// SQL of the links between the Loan service's loans and the LOAN accounts opened for them.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";

/** The LOAN account opened for a loan, or null. */
export function findLoanAccountId(db: CommonQueryMethods, loanId: bigint): Promise<bigint | null> {
  return db.maybeOneFirst(sql.type(z.object({ account_id: z.bigint() }))`
    SELECT account_id FROM loan_account_links WHERE loan_id = ${loanId}
  `);
}

/** Records the LOAN account of a loan; a second link for the same loan violates the primary key. */
export async function insertLoanAccountLink(
  db: CommonQueryMethods,
  link: { loanId: bigint; applicationId: bigint; accountId: bigint },
): Promise<void> {
  await db.query(sql.unsafe`
    INSERT INTO loan_account_links (loan_id, application_id, account_id)
    VALUES (${link.loanId}, ${link.applicationId}, ${link.accountId})
  `);
}
