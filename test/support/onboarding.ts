// How an end-to-end test becomes a bank customer through Envoy, as an app does: register and log
// in, create the customer record, have staff verify it (KYC), refresh the token so it carries the
// customer link, and open accounts.
import { sandboxProfileOf } from "../../services/loan/credit/sandbox-bureau.js";
import { rest } from "./edge.js";
import { stackVar } from "./stack.js";

/** A logged-in user's tokens. */
export interface User {
  token: string;
  refreshToken: string;
}

/** Logs a user in (POST /auth/login). */
export async function login(username: string, password: string): Promise<User> {
  const res = await rest("POST", "/auth/login", { body: { username, password } });
  expect(res.status).toBe(200);
  return { token: res.body.tokens.accessToken, refreshToken: res.body.tokens.refreshToken };
}

/** Registers a new user (the name must be unique to the run) and logs them in. */
export async function registerAndLogin(username: string, password: string): Promise<User> {
  const registered = await rest("POST", "/auth/register", {
    body: { username, email: `${username}@example.com`, password, fullName: username },
  });
  expect(registered.status).toBe(200);
  return login(username, password);
}

/** Creates the user's customer record (POST /customers) and returns its id. */
export async function createCustomer(user: User, lastName: string): Promise<string> {
  const customer = await rest("POST", "/customers", {
    token: user.token,
    body: {
      firstName: "Ada",
      lastName,
      dateOfBirth: "1990-12-10",
      address: { line1: "1 Analytical Way", city: "London", country: "GB" },
    },
  });
  expect(customer.status).toBe(200);
  return customer.body.customer.customerId as string;
}

/** Staff verify the customer's KYC; the user's next token carries the link to the record. */
export async function verifyAndLink(user: User, admin: User, customerId: string): Promise<User> {
  const kyc = await rest("POST", `/customers/${customerId}/kyc`, {
    token: admin.token,
    body: { decision: "KYC_STATUS_VERIFIED", comment: "passport checked", documents: ["passport"] },
  });
  expect(kyc.status).toBe(200);
  const refreshed = await rest("POST", "/auth/refresh", { body: { refreshToken: user.refreshToken } });
  expect(refreshed.status).toBe(200);
  return { token: refreshed.body.tokens.accessToken, refreshToken: refreshed.body.tokens.refreshToken };
}

/** Opens a USD account (a current account unless told) for the customer and returns its id. */
export async function openAccount(
  user: User,
  customerId: string,
  accountType = "ACCOUNT_TYPE_CHECKING",
): Promise<string> {
  const opened = await rest("POST", "/accounts", {
    token: user.token,
    body: { customerId, accountType, currency: "USD", branchId: 1 },
  });
  expect(opened.status).toBe(200);
  return opened.body.account.accountId as string;
}

/** The bootstrap administrator of the stack, logged in. */
export function loginAdmin(): Promise<User> {
  return login(stackVar("BOOTSTRAP_ADMIN_USERNAME"), stackVar("BOOTSTRAP_ADMIN_PASSWORD"));
}

/**
 * A user named after `name` and the run, registered and logged in, made a KYC-verified customer
 * with `accounts` accounts, as the README's walk-through does; the user's token carries the link.
 */
export async function onboard(
  name: string,
  run: string,
  admin: User,
  accounts: number,
): Promise<{ user: User; customerId: string; accountIds: string[] }> {
  const user = await registerAndLogin(`${name}_${run}`, `Correct-Horse-${run}-9`);
  const customerId = await createCustomer(user, `Lovelace ${run}`);
  const linked = await verifyAndLink(user, admin, customerId);
  const accountIds: string[] = [];
  for (let i = 0; i < accounts; i++) accountIds.push(await openAccount(linked, customerId));
  return { user: linked, customerId, accountIds };
}

/** Deposits cash into an account as staff (POST /transactions/deposit). */
export async function deposit(staff: User, accountId: string, amount: string, key: string): Promise<void> {
  const res = await rest("POST", "/transactions/deposit", {
    token: staff.token,
    body: { accountId, amount, currency: "USD", idempotencyKey: key },
  });
  expect(res.status).toBe(200);
}

/** An account's balance (GET /accounts/{id}/balance). */
export async function balanceOf(user: Pick<User, "token">, accountId: string): Promise<string> {
  const res = await rest("GET", `/accounts/${accountId}/balance`, { token: user.token });
  expect(res.status).toBe(200);
  return res.body.accountBalance.balance as string;
}

/** A customer a loan can be paid out to: the customer, a current account and the user's token. */
export interface Borrower {
  customerId: string;
  accountId: string;
  token: string;
}

/**
 * A KYC-verified customer whose sandbox credit file is GOOD (the sandbox bureau gives customer ids
 * divisible by 3 a good file), with a current account that received a 3,000.00 USD salary. New
 * users are registered until the customer id fits.
 */
export async function creditworthyCustomer(admin: User, run: string): Promise<Borrower> {
  for (let attempt = 0; ; attempt++) {
    const user = await registerAndLogin(`lena_${run}_${attempt}`, `Correct-Horse-${run}-9`);
    const customerId = await createCustomer(user, `Borrower ${run}`);
    if (sandboxProfileOf(BigInt(customerId)) !== "GOOD") continue;
    const linked = await verifyAndLink(user, admin, customerId);
    const accountId = await openAccount(linked, customerId);
    await deposit(admin, accountId, "3000.00", `salary-${run}`);
    return { customerId, accountId, token: linked.token };
  }
}
