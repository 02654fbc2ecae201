// Transport of the payment RPCs of PaymentService: reads the principal, hands the request to the
// rules with the call's abort signal, and shapes the responses.
import type { ServiceImpl } from "@connectrpc/connect";
import type { PaymentService as PaymentServiceDesc } from "../../../gen/ts/fidalex/payment/v1/payment_service_pb.js";
import { requirePrincipal } from "../../runtime/auth.js";
import { toPaymentMessage } from "./payment-mapper.js";
import type { PaymentService } from "./payment-service.js";

/** CreatePayment, GetPayment and ListAccountPayments. */
export function createPaymentHandlers(
  payments: PaymentService,
): Pick<ServiceImpl<typeof PaymentServiceDesc>, "createPayment" | "getPayment" | "listAccountPayments"> {
  return {
    async createPayment(req, ctx) {
      return { payment: toPaymentMessage(await payments.create(requirePrincipal(ctx), req, ctx.signal)) };
    },
    async getPayment(req, ctx) {
      const { row, attempts } = await payments.get(requirePrincipal(ctx), req.paymentId, ctx.signal);
      return { payment: toPaymentMessage(row, attempts) };
    },
    async listAccountPayments(req, ctx) {
      const page = await payments.listForAccount(requirePrincipal(ctx), req, ctx.signal);
      return { payments: page.items.map((row) => toPaymentMessage(row)), nextPageToken: page.nextPageToken };
    },
  };
}
