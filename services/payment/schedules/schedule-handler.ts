// Transport of the scheduled-payment RPCs of PaymentService.
import type { ServiceImpl } from "@connectrpc/connect";
import type { PaymentService as PaymentServiceDesc } from "../../../gen/ts/fidalex/payment/v1/payment_service_pb.js";
import { requirePrincipal } from "../../runtime/auth.js";
import { toScheduledPayment, type ScheduleService } from "./schedule-service.js";

/** SchedulePayment, GetScheduledPayment and CancelScheduledPayment. */
export function createScheduleHandlers(
  schedules: ScheduleService,
): Pick<
  ServiceImpl<typeof PaymentServiceDesc>,
  "schedulePayment" | "getScheduledPayment" | "cancelScheduledPayment"
> {
  return {
    async schedulePayment(req, ctx) {
      const row = await schedules.schedule(requirePrincipal(ctx), req, ctx.signal);
      return { scheduledPayment: toScheduledPayment(row) };
    },
    async getScheduledPayment(req, ctx) {
      const row = await schedules.get(requirePrincipal(ctx), req.scheduleId, ctx.signal);
      return { scheduledPayment: toScheduledPayment(row) };
    },
    async cancelScheduledPayment(req, ctx) {
      const row = await schedules.cancel(requirePrincipal(ctx), req.scheduleId, ctx.signal);
      return { scheduledPayment: toScheduledPayment(row) };
    },
  };
}
