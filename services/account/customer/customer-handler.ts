// CustomerService over the transport: reads the caller, owns the database transaction, maps
// errors, and makes the Auth link of a new customer once its row has committed.
import type { ServiceImpl } from "@connectrpc/connect";
import { CustomerService } from "../../../gen/ts/fidalex/account/v1/customer_service_pb.js";
import { actorName } from "../../runtime/access.js";
import { requirePrincipal } from "../../runtime/auth.js";
import { withConstraintErrors } from "../../runtime/database-errors.js";
import { accountConstraints } from "../account-constraints.js";
import { linkCustomerUser, type CustomerLinkDeps } from "./customer-link.js";
import {
  createCustomer,
  decideKyc,
  getCustomer,
  listCustomers,
  toCustomer,
  updateCustomer,
} from "./customer-service.js";

/** The CustomerService implementation over the given dependencies. */
export function createCustomerHandlers(deps: CustomerLinkDeps): ServiceImpl<typeof CustomerService> {
  const { db } = deps;
  return {
    async listCustomers(req, ctx) {
      const principal = requirePrincipal(ctx);
      const page = await listCustomers(db, principal, req);
      return { customers: page.items.map(toCustomer), nextPageToken: page.nextPageToken };
    },

    async getCustomer(req, ctx) {
      const principal = requirePrincipal(ctx);
      return { customer: toCustomer(await getCustomer(db, principal, req.customerId)) };
    },

    async createCustomer(req, ctx) {
      const principal = requirePrincipal(ctx);
      let row = await withConstraintErrors(accountConstraints, () =>
        db.transaction((tx) => createCustomer(tx, principal, req, actorName(principal))),
      );
      if (row.user_id !== null) {
        const link = await linkCustomerUser(deps, row.customer_id, row.user_id, { signal: ctx.signal });
        if (link.state === "REFUSED" && link.customer) row = link.customer;
      }
      return { customer: toCustomer(row) };
    },

    async updateCustomer(req, ctx) {
      const principal = requirePrincipal(ctx);
      const row = await withConstraintErrors(accountConstraints, () =>
        db.transaction((tx) => updateCustomer(tx, principal, req, actorName(principal))),
      );
      return { customer: toCustomer(row) };
    },

    async verifyCustomerKyc(req, ctx) {
      const principal = requirePrincipal(ctx);
      const row = await db.transaction((tx) => decideKyc(tx, principal, req, actorName(principal)));
      return { customer: toCustomer(row) };
    },
  };
}
