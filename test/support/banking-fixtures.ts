// The customers and accounts tests open, as bank staff do: one way to make them for every
// service's tests (test/support/core-banking.ts, the Account service's harness).
import type { Client } from "@connectrpc/connect";
import { AccountType } from "../../gen/ts/fidalex/account/v1/account_pb.js";
import type { AccountService } from "../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { KycStatus } from "../../gen/ts/fidalex/account/v1/customer_pb.js";
import type { CustomerService } from "../../gen/ts/fidalex/account/v1/customer_service_pb.js";

/** The Account service's clients of a staff member. */
export interface StaffClients {
  customers: Client<typeof CustomerService>;
  accounts: Client<typeof AccountService>;
}

/** A new customer's request data; `unique` makes the email unique to the run and tag. */
export function customerData(unique: string, tag: string, city = "Springfield") {
  return {
    firstName: "Ada",
    lastName: `Lovelace-${tag}`,
    dateOfBirth: "1985-12-10",
    email: `ada.${tag}.${unique}@example.com`,
    phoneNumber: "+15550100",
    address: { line1: "12 Analytical Row", line2: "", city, state: "IL", postalCode: "62701", country: "US" },
  };
}

/** Creates a customer as staff (no user linked), KYC-verified unless told otherwise. */
export async function createCustomer(
  staff: StaffClients,
  data: ReturnType<typeof customerData>,
  options: { verified?: boolean; tag?: string } = {},
): Promise<bigint> {
  const { customer } = await staff.customers.createCustomer(data);
  if (options.verified ?? true) {
    await staff.customers.verifyCustomerKyc({
      customerId: customer!.customerId,
      decision: KycStatus.VERIFIED,
      comment: "passport checked",
      documents: [`doc-${options.tag ?? "test"}`],
    });
  }
  return customer!.customerId;
}

/** What an opened test account may have besides its owner. */
export interface AccountOptions {
  currency?: string;
  overdraftLimit?: string;
  dailyWithdrawalLimit?: string;
}

/** Opens an ACTIVE checking account as staff and returns its id. */
export async function openAccount(staff: StaffClients, customerId: bigint, options: AccountOptions = {}) {
  const { account } = await staff.accounts.openAccount({
    customerId,
    accountType: AccountType.CHECKING,
    currency: options.currency ?? "USD",
    branchId: 1,
    overdraftLimit: options.overdraftLimit,
    dailyWithdrawalLimit: options.dailyWithdrawalLimit,
  });
  return account!.accountId;
}
