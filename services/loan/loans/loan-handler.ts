// Transport of LoanService's loan RPCs: reads the principal, hands the request to the loan reads
// and the repayments with the call's abort signal, and shapes the responses.
import type { ServiceImpl } from "@connectrpc/connect";
import { LoanService } from "../../../gen/ts/fidalex/loan/v1/loan_service_pb.js";
import { requirePrincipal } from "../../runtime/auth.js";
import type { DatabasePool } from "../../runtime/database.js";
import { loanFor, loanSchedulePage, toInstallment, toLoan } from "./loan-service.js";
import type { Repayments } from "./repayment-service.js";

/** The loan RPCs of LoanService. */
export function createLoanHandlers(deps: {
  db: DatabasePool;
  repayments: Repayments;
}): Pick<ServiceImpl<typeof LoanService>, "getLoan" | "listLoanPayments" | "payLoanInstallment"> {
  const { db, repayments } = deps;
  return {
    async getLoan(req, ctx) {
      return { loan: toLoan(await loanFor(db, requirePrincipal(ctx), req.loanId)) };
    },
    async listLoanPayments(req, ctx) {
      const page = await loanSchedulePage(db, requirePrincipal(ctx), req);
      return { installments: page.items.map(toInstallment), nextPageToken: page.nextPageToken };
    },
    async payLoanInstallment(req, ctx) {
      const paid = await repayments.pay(requirePrincipal(ctx), req, ctx.signal);
      return { loan: toLoan(paid.loan), installments: paid.installments.map(toInstallment) };
    },
  };
}
