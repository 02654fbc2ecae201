// Transport of LoanService's application RPCs: reads the principal, hands the request to the
// application rules with the call's abort signal and shapes the responses. The loan RPCs have
// their own handler (loans/loan-handler.ts); server.ts joins them into one LoanService.
import type { ServiceImpl } from "@connectrpc/connect";
import { LoanService } from "../../../gen/ts/fidalex/loan/v1/loan_service_pb.js";
import { requirePrincipal } from "../../runtime/auth.js";
import { toLoan } from "../loans/loan-service.js";
import { toLoanApplication, toLoanDecision, type ApplicationService } from "./application-service.js";

/** The application RPCs of LoanService. */
export function createApplicationHandlers(
  applications: ApplicationService,
): Pick<
  ServiceImpl<typeof LoanService>,
  "applyForLoan" | "getLoanApplication" | "listCustomerLoanApplications" | "decideLoanApplication"
> {
  return {
    async applyForLoan(req, ctx) {
      const row = await applications.apply(requirePrincipal(ctx), req, ctx.signal);
      return { loanApplication: toLoanApplication(row) };
    },
    async getLoanApplication(req, ctx) {
      const { application, decisions } = await applications.get(requirePrincipal(ctx), req.applicationId);
      return { loanApplication: toLoanApplication(application), decisions: decisions.map(toLoanDecision) };
    },
    async listCustomerLoanApplications(req, ctx) {
      const page = await applications.list(requirePrincipal(ctx), req);
      return { loanApplications: page.items.map(toLoanApplication), nextPageToken: page.nextPageToken };
    },
    async decideLoanApplication(req, ctx) {
      const decided = await applications.decide(requirePrincipal(ctx), req, ctx.signal);
      return {
        loanApplication: toLoanApplication(decided.application),
        decision: toLoanDecision(decided.log),
        loan: decided.loan ? toLoan(decided.loan) : undefined,
      };
    },
  };
}
