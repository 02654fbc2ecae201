// Every google.api.http rule of the contracts, called through Envoy (issue 14): the rules come from
// the descriptor set Envoy's transcoder loads (build/fidalex.binpb), and each must have a call in
// `calls` below, or the first test fails naming it; a call for a rule that no longer exists fails
// too. Each call is what an app would send, with real ids of this run where the route needs one,
// and asserts the status the user sees and that the answer came from the service behind the route
// (a success, or a google.rpc.Status with the service's ErrorInfo), never from the edge itself.
import { jest } from "@jest/globals";
import {
  fidalexServices,
  httpBindings,
  loadRegistry,
  type HttpBinding,
} from "../contracts/descriptor-set.js";
import { rest, type RestResponse } from "../support/edge.js";
import { deposit, loginAdmin, onboard, registerAndLogin, type User } from "../support/onboarding.js";

jest.setTimeout(180_000);

/** The ids and tokens of this run the calls use. */
interface Fixture {
  run: string;
  admin: User;
  customer: User;
  customerId: string;
  /** A user of its own for logout and role changes, which may revoke a user's tokens. */
  throwaway: User;
  throwawayUserId: string;
  accountId: string;
  otherAccountId: string;
  transactionId: string;
  conversationId: string;
}

/** One call of a rule: path with ids filled in, body, who calls, and the status expected. */
interface Call {
  path: string;
  body?: unknown;
  as?: "admin" | "customer" | "throwaway" | "anonymous";
  status: number;
}

/**
 * An id that names nothing. A customer asking for it is refused PERMISSION_DENIED, as for anyone
 * else's resource, so that a refusal does not tell which ids exist; staff get NOT_FOUND.
 */
const missing = "987654321";
/** A read that staff may make and that succeeds. */
const staffRead = (path: string) => (): Call => ({ path, as: "admin", status: 200 });
const calls: Record<string, (f: Fixture) => Call> = {
  "GET /.well-known/jwks.json": () => ({ path: "/.well-known/jwks.json", as: "anonymous", status: 200 }),
  "POST /auth/register": (f) => ({
    path: "/auth/register",
    as: "anonymous",
    body: {
      username: `rules_new_${f.run}`,
      email: `rules_new_${f.run}@example.com`,
      password: "Correct-Horse-Battery-9",
      fullName: "Rule Runner",
    },
    status: 200,
  }),
  "POST /auth/login": (f) => ({
    path: "/auth/login",
    as: "anonymous",
    body: { username: `rules_new_${f.run}`, password: "Correct-Horse-Battery-9" },
    status: 200,
  }),
  "POST /auth/refresh": () => ({
    path: "/auth/refresh",
    as: "anonymous",
    body: { refreshToken: "not-a-refresh-token" },
    status: 401,
  }),
  "POST /auth/logout": (f) => ({
    path: "/auth/logout",
    as: "throwaway",
    body: { refreshToken: f.throwaway.refreshToken },
    status: 200,
  }),
  "GET /auth/me": () => ({ path: "/auth/me", status: 200 }),
  "POST /auth/password-reset/request": (f) => ({
    path: "/auth/password-reset/request",
    as: "anonymous",
    body: { email: `rules_new_${f.run}@example.com` },
    status: 200,
  }),
  "POST /auth/password-reset/confirm": () => ({
    path: "/auth/password-reset/confirm",
    as: "anonymous",
    body: { resetToken: "not-a-reset-token", newPassword: "Correct-Horse-Battery-10" },
    status: 400,
  }),
  "POST /auth/users/{user_id}/roles": (f) => ({
    path: `/auth/users/${f.throwawayUserId}/roles`,
    as: "admin",
    body: { role: "ROLE_CUSTOMER" },
    status: 200,
  }),
  "DELETE /auth/users/{user_id}/roles/{role}": (f) => ({
    path: `/auth/users/${f.throwawayUserId}/roles/ROLE_TELLER`,
    as: "admin",
    status: 200,
  }),
  "GET /customers": () => ({ path: "/customers?city=London&pageSize=5", as: "admin", status: 200 }),
  "POST /customers": () => ({
    path: "/customers",
    body: {
      firstName: "Ada",
      lastName: "Again",
      dateOfBirth: "1990-12-10",
      address: { line1: "1 Analytical Way", city: "London", country: "GB" },
    },
    status: 409,
  }),
  "GET /customers/{customer_id}": (f) => ({ path: `/customers/${f.customerId}`, status: 200 }),
  "PUT /customers/{customer_id}": (f) => ({
    path: `/customers/${f.customerId}`,
    body: {
      firstName: "Ada",
      lastName: `Lovelace ${f.run}`,
      dateOfBirth: "1990-12-10",
      address: { line1: "2 Analytical Way", city: "London", country: "GB" },
    },
    status: 200,
  }),
  "GET /customers/{customer_id}/accounts": (f) => ({
    path: `/customers/${f.customerId}/accounts`,
    status: 200,
  }),
  "POST /customers/{customer_id}/kyc": () => ({
    path: `/customers/${missing}/kyc`,
    as: "admin",
    body: { decision: "KYC_STATUS_VERIFIED", comment: "checked", documents: ["passport"] },
    status: 404,
  }),
  "GET /branches": () => ({ path: "/branches", status: 200 }),
  "POST /accounts": (f) => ({
    path: "/accounts",
    body: { customerId: f.customerId, accountType: "ACCOUNT_TYPE_SAVINGS", currency: "USD", branchId: 1 },
    status: 200,
  }),
  "GET /accounts/{account_id}": (f) => ({ path: `/accounts/${f.accountId}`, status: 200 }),
  "PUT /accounts/{account_id}": (f) => ({
    path: `/accounts/${f.otherAccountId}`,
    as: "admin",
    body: { status: "ACCOUNT_STATUS_FROZEN", reason: "rules run" },
    status: 200,
  }),
  "GET /accounts/{account_id}/balance": (f) => ({ path: `/accounts/${f.accountId}/balance`, status: 200 }),
  "GET /accounts/{account_id}/settings": (f) => ({ path: `/accounts/${f.accountId}/settings`, status: 200 }),
  "PUT /accounts/{account_id}/settings": (f) => ({
    path: `/accounts/${f.accountId}/settings`,
    body: { notificationsEnabled: false },
    status: 200,
  }),
  // The checker's side of four eyes (docs/security.md): an approval that does not exist.
  "POST /accounts/{account_id}/settings/approvals/{approval_id}/approve": (f) => ({
    path: `/accounts/${f.accountId}/settings/approvals/${missing}/approve`,
    as: "admin",
    body: {},
    status: 404,
  }),
  "POST /accounts/{account_id}/settings/approvals/{approval_id}/reject": (f) => ({
    path: `/accounts/${f.accountId}/settings/approvals/${missing}/reject`,
    as: "admin",
    body: {},
    status: 404,
  }),
  "GET /accounts/{account_id}/logs": (f) => ({
    path: `/accounts/${f.accountId}/logs`,
    as: "admin",
    status: 200,
  }),
  "GET /accounts/{account_id}/transactions": (f) => ({
    path: `/accounts/${f.accountId}/transactions?pageSize=5`,
    status: 200,
  }),
  "GET /accounts/{account_id}/payments": (f) => ({ path: `/accounts/${f.accountId}/payments`, status: 200 }),
  "POST /transactions/transfer": (f) => ({
    path: "/transactions/transfer",
    body: {
      fromAccountId: f.accountId,
      toAccountId: f.otherAccountId,
      amount: "999999.00",
      currency: "USD",
      idempotencyKey: `rules-big-${f.run}`,
    },
    status: 400,
  }),
  "POST /transactions/deposit": (f) => ({
    path: "/transactions/deposit",
    as: "admin",
    body: { accountId: f.accountId, amount: "5.00", currency: "USD", idempotencyKey: `rules-dep-${f.run}` },
    status: 200,
  }),
  "POST /transactions/withdrawal": (f) => ({
    path: "/transactions/withdrawal",
    as: "admin",
    body: { accountId: f.accountId, amount: "1.00", currency: "USD", idempotencyKey: `rules-wd-${f.run}` },
    status: 200,
  }),
  "GET /transactions": (f) => ({ path: `/transactions?accountId=${f.accountId}`, status: 200 }),
  "GET /transactions/{transaction_id}": (f) => ({ path: `/transactions/${f.transactionId}`, status: 200 }),
  "POST /transactions/approvals/{approval_id}/approve": () => ({
    path: `/transactions/approvals/${missing}/approve`,
    as: "admin",
    body: {},
    status: 404,
  }),
  "POST /transactions/approvals/{approval_id}/reject": () => ({
    path: `/transactions/approvals/${missing}/reject`,
    as: "admin",
    body: {},
    status: 404,
  }),
  "POST /transactions/{transaction_id}/reverse": () => ({
    path: `/transactions/${missing}/reverse`,
    as: "admin",
    body: { reason: "rules run", idempotencyKey: "rules-rev" },
    status: 404,
  }),
  "POST /payments": (f) => ({
    path: "/payments",
    body: {
      accountId: missing,
      externalReference: `rules-${f.run}`,
      paymentMethod: "PAYMENT_METHOD_ACH",
      amount: "1.00",
      currency: "USD",
      beneficiary: { name: "Grace Hopper", accountNumber: "12345678", bankCode: "021000021" },
    },
    status: 403,
  }),
  "GET /payments/{payment_id}": () => ({ path: `/payments/${missing}`, status: 403 }),
  "POST /payments/schedule": (f) => ({
    path: "/payments/schedule",
    body: {
      accountId: missing,
      amount: "1.00",
      currency: "USD",
      frequency: "PAYMENT_FREQUENCY_MONTHLY",
      nextRunDate: "2099-01-01",
      paymentMethod: "PAYMENT_METHOD_ACH",
      beneficiary: { name: "Grace Hopper", accountNumber: "12345678", bankCode: "021000021" },
      idempotencyKey: `rules-sched-${f.run}`,
    },
    status: 403,
  }),
  "GET /payments/scheduled/{schedule_id}": () => ({ path: `/payments/scheduled/${missing}`, status: 403 }),
  "DELETE /payments/schedule/{schedule_id}": () => ({ path: `/payments/schedule/${missing}`, status: 403 }),
  "POST /loans/apply": (f) => ({
    path: "/loans/apply",
    body: {
      customerId: f.customerId,
      amountRequested: "1000.00",
      currency: "USD",
      termMonths: 12,
      purpose: "rules run",
      disbursementAccountId: missing,
    },
    status: 404,
  }),
  "GET /loans/applications/{application_id}": () => ({ path: `/loans/applications/${missing}`, status: 403 }),
  "POST /loans/applications/{application_id}/decision": () => ({
    path: `/loans/applications/${missing}/decision`,
    as: "admin",
    body: { decision: "LOAN_APPLICATION_STATUS_REJECTED", comments: "rules run" },
    status: 404,
  }),
  "GET /loans/customers/{customer_id}/applications": (f) => ({
    path: `/loans/customers/${f.customerId}/applications`,
    status: 200,
  }),
  "GET /loans/{loan_id}": () => ({ path: `/loans/${missing}`, status: 403 }),
  "GET /loans/{loan_id}/payments": () => ({ path: `/loans/${missing}/payments`, status: 403 }),
  "POST /loans/{loan_id}/pay": (f) => ({
    path: `/loans/${missing}/pay`,
    body: {
      fromAccountId: f.accountId,
      amount: "1.00",
      currency: "USD",
      idempotencyKey: `rules-pay-${f.run}`,
    },
    status: 403,
  }),
  // No application yet, so no score or report: NOT_FOUND with its reason.
  "GET /creditscore/{customer_id}": (f) => ({ path: `/creditscore/${f.customerId}`, status: 404 }),
  "GET /creditreports/{customer_id}": (f) => ({ path: `/creditreports/${f.customerId}`, status: 404 }),
  "POST /chat/start": () => ({ path: "/chat/start", body: { metadata: { device: "rules" } }, status: 200 }),
  "POST /chat/message": (f) => ({
    path: "/chat/message",
    body: { conversationId: f.conversationId, messageText: "hello" },
    status: 200,
  }),
  "GET /chat/{conversation_id}/messages": (f) => ({
    path: `/chat/${f.conversationId}/messages`,
    status: 200,
  }),
  "GET /intents": () => ({ path: "/intents", as: "admin", status: 200 }),
  "POST /intents": () => ({
    path: "/intents",
    as: "customer",
    body: { name: "rules_run", trainingPhrases: ["rules run"], responseTemplates: ["ok"] },
    status: 403,
  }),
  "GET /embeddings/{text}": () => ({ path: "/embeddings/hello", status: 200 }),
  "GET /analytics/daily-summary": staffRead("/analytics/daily-summary?date=2026-01-01"),
  "GET /analytics/transactions": staffRead("/analytics/transactions?start=2026-01-01&end=2026-01-02"),
  "GET /analytics/accounts-report": staffRead("/analytics/accounts-report?date=2026-01-01"),
  "GET /analytics/loans-report": staffRead("/analytics/loans-report?start=2026-01-01&end=2026-01-31"),
  "GET /analytics/customers-growth": staffRead("/analytics/customers-growth?start=2026-01-01&end=2026-01-31"),
};

/** "VERB /template" of every HTTP rule in the descriptor set, the key of `calls`. */
const rules: HttpBinding[] = fidalexServices(loadRegistry()).flatMap((s) => s.methods.flatMap(httpBindings));
const key = (b: HttpBinding) => `${b.verb} ${b.path}`;

let fixture: Fixture;

beforeAll(async () => {
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
  const admin = await loginAdmin();
  const onboarded = await onboard("rules", run, admin, 2);
  const [accountId, otherAccountId] = onboarded.accountIds as [string, string];
  await deposit(admin, accountId, "50.00", `rules-seed-${run}`);
  const transfer = await rest("POST", "/transactions/transfer", {
    token: onboarded.user.token,
    body: {
      fromAccountId: accountId,
      toAccountId: otherAccountId,
      amount: "1.00",
      currency: "USD",
      idempotencyKey: `rules-tr-${run}`,
    },
  });
  const throwaway = await registerAndLogin(`rules_x_${run}`, `Correct-Horse-${run}-9`);
  const me = await rest("GET", "/auth/me", { token: throwaway.token });
  const chat = await rest("POST", "/chat/start", { token: onboarded.user.token, body: {} });
  fixture = {
    run,
    admin,
    customer: onboarded.user,
    customerId: onboarded.customerId,
    throwaway,
    throwawayUserId: me.body.user.userId as string,
    accountId,
    otherAccountId,
    transactionId: transfer.body.transaction.transactionId as string,
    conversationId: chat.body.conversation.conversationId as string,
  };
});

test("every HTTP rule of the descriptor set has a call here, and every call a rule", () => {
  const fromDescriptors = rules.map(key).sort();
  expect({ untested: fromDescriptors.filter((k) => !(k in calls)) }).toEqual({ untested: [] });
  expect({ stale: Object.keys(calls).filter((k) => !fromDescriptors.includes(k)) }).toEqual({ stale: [] });
});

/** Whether the service behind the route answered (the edge's own errors carry no ErrorInfo). */
function fromService(res: RestResponse<any>): boolean {
  if (res.status === 200) return res.body !== undefined;
  return (res.body?.details ?? []).some((d: { domain?: string }) => d.domain === "fidalex.bank");
}

test.each(rules.map((b) => [key(b), b] as const))("%s", async (name, binding) => {
  const make = calls[name];
  if (!make) throw new Error(`no call for ${name}`);
  const call = make(fixture);
  const tokens = {
    admin: fixture.admin.token,
    customer: fixture.customer.token,
    throwaway: fixture.throwaway.token,
  };
  const token = call.as === "anonymous" ? undefined : tokens[call.as ?? "customer"];
  const res = await rest(binding.verb as "GET", call.path, { token, body: call.body });
  expect({
    status: res.status,
    fromService: fromService(res),
    body: res.status === call.status ? "" : res.text,
  }).toEqual({
    status: call.status,
    fromService: true,
    body: "",
  });
});
