// Identity, sessions and duties through Envoy (issue 14, findings 1, 2 and the small ones of 6), as
// a bank's apps and staff see them over REST:
// - revocation in seconds: a teller whose role is revoked cannot deposit within 5 s, an access
//   token is refused after logout, and logout with a refresh token never issued is a 401;
// - segregation of duties: a customer who is also a teller cannot verify their own KYC, deposit
//   into their own account, or change its overdraft or status;
// - four eyes: a large cash deposit and a high overdraft limit wait for a second staff member, and
//   both names end up in the audit;
// - customers lower their limits but raise them no higher than the product's maximum, and settings
//   of a frozen account do not change.
import { randomBytes } from "node:crypto";
import { jest } from "@jest/globals";
import { rest, type RestResponse } from "../support/edge.js";
import { eventually } from "../support/eventually.js";
import {
  balanceOf,
  createCustomer,
  loginAdmin,
  onboard,
  registerAndLogin,
  type User,
} from "../support/onboarding.js";

jest.setTimeout(120_000);

const run = randomBytes(4).toString("hex");
let seq = 0;
const key = (tag: string) => `${tag}-${run}-${++seq}`;

/** What a user sees of a refusal: the HTTP status and the ErrorInfo reason. */
function refusalOf(res: RestResponse) {
  const details = (res.body?.details ?? []) as Array<{ "@type": string; reason?: string }>;
  const info = details.find((d) => d["@type"] === "type.googleapis.com/google.rpc.ErrorInfo");
  return { status: res.status, reason: info?.reason };
}

async function userIdOf(user: User): Promise<string> {
  const me = await rest("GET", "/auth/me", { token: user.token });
  expect(me.status).toBe(200);
  return me.body.user.userId as string;
}

async function refreshed(user: User): Promise<User> {
  const res = await rest("POST", "/auth/refresh", { body: { refreshToken: user.refreshToken } });
  expect(res.status).toBe(200);
  return { token: res.body.tokens.accessToken, refreshToken: res.body.tokens.refreshToken };
}

/** A new user given the TELLER role by the admin, with a token that carries it. */
async function newTeller(admin: User, name: string): Promise<User & { userId: string }> {
  const user = await registerAndLogin(`${name}_${run}`, `Correct-Horse-${run}-9`);
  const userId = await userIdOf(user);
  const granted = await rest("POST", `/auth/users/${userId}/roles`, {
    token: admin.token,
    body: { role: "ROLE_TELLER" },
  });
  expect(granted.status).toBe(200);
  return { ...(await refreshed(user)), userId };
}

const depositBy = (staff: User, accountId: string, amount: string, idempotencyKey = key("dep")) =>
  rest("POST", "/transactions/deposit", {
    token: staff.token,
    body: { accountId, amount, currency: "USD", idempotencyKey },
  });

const settings = (user: User, accountId: string, body: Record<string, unknown>) =>
  rest("PUT", `/accounts/${accountId}/settings`, { token: user.token, body });

describe("Identity, sessions and duties through Envoy", () => {
  let admin: User;
  let adminId: string;
  let customer: { user: User; customerId: string; accountIds: string[] };

  beforeAll(async () => {
    admin = await loginAdmin();
    adminId = await userIdOf(admin);
    customer = await onboard("duty_cust", run, admin, 1);
  });

  describe("revocation in seconds", () => {
    it("refuses a deposit by a teller whose TELLER role was revoked, within 5 s of the revocation", async () => {
      const teller = await newTeller(admin, "rev_teller");
      const account = customer.accountIds[0]!;
      expect((await depositBy(teller, account, "10.00")).status).toBe(200);

      const revoked = await rest("DELETE", `/auth/users/${teller.userId}/roles/ROLE_TELLER`, {
        token: admin.token,
      });
      expect([revoked.status, revoked.body.user.roles]).toEqual([200, ["ROLE_CUSTOMER"]]);
      const revokedAt = Date.now();
      const refused = await eventually(
        "the revoked teller's deposit to be refused",
        async () => {
          const res = await depositBy(teller, account, "10.00");
          return res.status === 200 ? undefined : res;
        },
        { timeoutMs: 5_000, intervalMs: 100 },
      );
      expect(Date.now() - revokedAt).toBeLessThan(5_000);
      expect(refusalOf(refused)).toEqual({ status: 401, reason: "TOKEN_REVOKED" });
      // Every service refuses the token alike, e.g. the staff-only customer list.
      expect(refusalOf(await rest("GET", "/customers", { token: teller.token }))).toEqual({
        status: 401,
        reason: "TOKEN_REVOKED",
      });
      // A refresh gives a token with the roles left: a customer's, who deposits nothing.
      const after = await refreshed(teller);
      expect(refusalOf(await depositBy(after, account, "10.00"))).toEqual({
        status: 403,
        reason: "PERMISSION_DENIED",
      });
    });

    it("refuses the access token after logout, and answers 401 to a logout with a refresh token never issued", async () => {
      const { customerId } = customer;
      const loggedIn = await rest("POST", "/auth/login", {
        body: { username: `duty_cust_${run}`, password: `Correct-Horse-${run}-9` },
      });
      const token: string = loggedIn.body.tokens.accessToken;
      expect((await rest("GET", `/customers/${customerId}`, { token })).status).toBe(200);

      const out = await rest("POST", "/auth/logout", {
        token,
        body: { refreshToken: loggedIn.body.tokens.refreshToken },
      });
      expect(out.status).toBe(200);
      const refused = await eventually(
        "the logged-out token to be refused",
        async () => {
          const res = await rest("GET", `/customers/${customerId}`, { token });
          return res.status === 200 ? undefined : res;
        },
        { timeoutMs: 5_000, intervalMs: 100 },
      );
      expect(refusalOf(refused)).toEqual({ status: 401, reason: "TOKEN_REVOKED" });

      const bogus = await rest("POST", "/auth/logout", {
        token: admin.token,
        body: { refreshToken: "bm90LWEtcmVhbC1yZWZyZXNoLXRva2VuLWF0LWFsbA" },
      });
      expect(refusalOf(bogus)).toEqual({ status: 401, reason: "REFRESH_TOKEN_INVALID" });

      // Access tokens carry no session: the customer's other session refreshes into a working one.
      customer.user = await refreshed(customer.user);
      expect((await rest("GET", `/customers/${customerId}`, { token: customer.user.token })).status).toBe(
        200,
      );
    });
  });

  describe("segregation of duties", () => {
    it("stops a customer who is also a teller from acting as staff on their own record and accounts", async () => {
      const user = await registerAndLogin(`duty_self_${run}`, `Correct-Horse-${run}-9`);
      const customerId = await createCustomer(user, `Self ${run}`);
      const userId = await userIdOf(user);
      expect(
        (
          await rest("POST", `/auth/users/${userId}/roles`, {
            token: admin.token,
            body: { role: "ROLE_TELLER" },
          })
        ).status,
      ).toBe(200);
      const teller = await refreshed(user);

      const kyc = { decision: "KYC_STATUS_VERIFIED", comment: "my own passport", documents: ["passport"] };
      const ownKyc = await rest("POST", `/customers/${customerId}/kyc`, { token: teller.token, body: kyc });
      expect(refusalOf(ownKyc)).toEqual({ status: 403, reason: "SEGREGATION_OF_DUTIES" });
      const record = await rest("GET", `/customers/${customerId}`, { token: teller.token });
      expect(record.body.customer.kycStatus).toBe("KYC_STATUS_PENDING");

      // Another staff member verifies; the teller opens an account as the customer they are.
      expect(
        (await rest("POST", `/customers/${customerId}/kyc`, { token: admin.token, body: kyc })).status,
      ).toBe(200);
      const linked = await refreshed(teller);
      const opened = await rest("POST", "/accounts", {
        token: linked.token,
        body: { customerId, accountType: "ACCOUNT_TYPE_CHECKING", currency: "USD", branchId: 1 },
      });
      expect(opened.status).toBe(200);
      const accountId: string = opened.body.account.accountId;

      expect(refusalOf(await depositBy(linked, accountId, "1000000.00"))).toEqual({
        status: 403,
        reason: "SEGREGATION_OF_DUTIES",
      });
      expect(refusalOf(await settings(linked, accountId, { overdraftLimit: "50000.00" }))).toEqual({
        status: 403,
        reason: "SEGREGATION_OF_DUTIES",
      });
      const status = await rest("PUT", `/accounts/${accountId}`, {
        token: linked.token,
        body: { status: "ACCOUNT_STATUS_FROZEN", reason: "my own account" },
      });
      expect(refusalOf(status)).toEqual({ status: 403, reason: "SEGREGATION_OF_DUTIES" });
      expect(await balanceOf(linked, accountId)).toBe("0.00");
      const current = await rest("GET", `/accounts/${accountId}/settings`, { token: linked.token });
      expect(current.body.settings.overdraftLimit).toBe("0.00");
      // The teller still serves other customers.
      expect((await depositBy(linked, customer.accountIds[0]!, "5.00")).status).toBe(200);
    });
  });

  describe("four eyes", () => {
    let checker: User & { userId: string };
    let accountId: string;

    beforeAll(async () => {
      checker = await newTeller(admin, "duty_checker");
      accountId = (await onboard("duty_big", run, admin, 1)).accountIds[0]!;
    });

    it("holds a cash deposit above the threshold until a second staff member approves it; both names are on the transaction", async () => {
      const idempotencyKey = key("big");
      const asked = await depositBy(admin, accountId, "20000.00", idempotencyKey);
      expect(asked.status).toBe(200);
      expect(asked.body.transaction).toBeUndefined();
      expect(asked.body.approval).toMatchObject({
        action: "APPROVAL_ACTION_DEPOSIT",
        status: "APPROVAL_STATUS_PENDING",
        accountId,
        amount: "20000.00",
        currency: "USD",
        requestedBy: `user:${adminId}`,
      });
      const approvalId: string = asked.body.approval.approvalId;
      expect(await balanceOf(admin, accountId)).toBe("0.00");
      // A replay is the same pending approval.
      expect((await depositBy(admin, accountId, "20000.00", idempotencyKey)).body.approval.approvalId).toBe(
        approvalId,
      );

      const own = await rest("POST", `/transactions/approvals/${approvalId}/approve`, {
        token: admin.token,
        body: {},
      });
      expect(refusalOf(own)).toEqual({ status: 403, reason: "SAME_APPROVER" });
      expect(await balanceOf(admin, accountId)).toBe("0.00");

      const approved = await rest("POST", `/transactions/approvals/${approvalId}/approve`, {
        token: checker.token,
        body: {},
      });
      expect(approved.status).toBe(200);
      expect(approved.body.transaction).toMatchObject({
        transactionType: "TRANSACTION_TYPE_DEPOSIT",
        status: "TRANSACTION_STATUS_SUCCESS",
        amount: "20000.00",
        metadata: {
          initiated_by: `user:${adminId}`,
          approved_by: `user:${checker.userId}`,
          approval_id: approvalId,
        },
      });
      expect(approved.body.approval).toMatchObject({
        status: "APPROVAL_STATUS_APPROVED",
        decidedBy: `user:${checker.userId}`,
      });
      expect(await balanceOf(admin, accountId)).toBe("20000.00");
      // The maker's replay and a second approval answer the same transaction; money moved once.
      const transactionId = approved.body.transaction.transactionId;
      const replay = await depositBy(admin, accountId, "20000.00", idempotencyKey);
      expect(replay.body.transaction.transactionId).toBe(transactionId);
      const again = await rest("POST", `/transactions/approvals/${approvalId}/approve`, {
        token: checker.token,
        body: {},
      });
      expect(again.body.transaction.transactionId).toBe(transactionId);
      expect(await balanceOf(admin, accountId)).toBe("20000.00");
      // Below the threshold, one staff member suffices.
      expect((await depositBy(admin, accountId, "10000.00")).body.transaction.status).toBe(
        "TRANSACTION_STATUS_SUCCESS",
      );
    });

    it("moves no money for a rejected withdrawal, which cannot be approved afterwards", async () => {
      const asked = await rest("POST", "/transactions/withdrawal", {
        token: checker.token,
        body: { accountId, amount: "15000.00", currency: "USD", idempotencyKey: key("wd") },
      });
      expect(asked.body.approval.status).toBe("APPROVAL_STATUS_PENDING");
      const approvalId: string = asked.body.approval.approvalId;
      const rejected = await rest("POST", `/transactions/approvals/${approvalId}/reject`, {
        token: admin.token,
        body: {},
      });
      expect([rejected.status, rejected.body.approval.status]).toEqual([200, "APPROVAL_STATUS_REJECTED"]);
      const late = await rest("POST", `/transactions/approvals/${approvalId}/approve`, {
        token: admin.token,
        body: {},
      });
      expect(refusalOf(late)).toEqual({ status: 400, reason: "APPROVAL_REJECTED" });
      expect(await balanceOf(admin, accountId)).toBe("30000.00");
    });

    it("holds an overdraft limit above the threshold for a second staff member; the audit trail names both", async () => {
      const asked = await settings(admin, accountId, { overdraftLimit: "5000.00" });
      expect(asked.status).toBe(200);
      expect(asked.body.settings.overdraftLimit).toBe("0.00");
      expect(asked.body.approval).toMatchObject({
        action: "APPROVAL_ACTION_SETTINGS_CHANGE",
        status: "APPROVAL_STATUS_PENDING",
        amount: "5000.00",
      });
      const approvalId: string = asked.body.approval.approvalId;
      const path = `/accounts/${accountId}/settings/approvals/${approvalId}/approve`;
      expect(refusalOf(await rest("POST", path, { token: admin.token, body: {} }))).toEqual({
        status: 403,
        reason: "SAME_APPROVER",
      });
      const approved = await rest("POST", path, { token: checker.token, body: {} });
      expect([approved.status, approved.body.settings.overdraftLimit]).toEqual([200, "5000.00"]);

      const logs = await rest("GET", `/accounts/${accountId}/logs?pageSize=5`, { token: admin.token });
      const entry = (logs.body.logs as Array<{ changeType: string; newValue: Record<string, unknown> }>).find(
        (log) => log.changeType === "SETTINGS_CHANGED",
      );
      expect(entry?.newValue).toMatchObject({
        overdraft_limit: "5000.00",
        requested_by: `user:${adminId}`,
        approved_by: `user:${checker.userId}`,
      });
      // A small overdraft needs no second staff member.
      const small = await settings(admin, customer.accountIds[0]!, { overdraftLimit: "500.00" });
      expect([small.body.settings.overdraftLimit, small.body.approval]).toEqual(["500.00", undefined]);
    });
  });

  describe("limits and frozen accounts", () => {
    it("lets a customer lower the daily withdrawal limit, not raise it past the product's maximum", async () => {
      const { user } = customer;
      const accountId = customer.accountIds[0]!;
      const raised = await settings(user, accountId, { dailyWithdrawalLimit: "9999999999999999.99" });
      expect(refusalOf(raised)).toEqual({ status: 400, reason: "LIMIT_ABOVE_MAXIMUM" });
      const lowered = await settings(user, accountId, { dailyWithdrawalLimit: "300.00" });
      expect([lowered.status, lowered.body.settings.dailyWithdrawalLimit]).toEqual([200, "300.00"]);
      const upToMaximum = await settings(user, accountId, { dailyWithdrawalLimit: "5000.00" });
      expect(upToMaximum.body.settings.dailyWithdrawalLimit).toBe("5000.00");
      expect(refusalOf(await settings(user, accountId, { dailyWithdrawalLimit: "5000.01" }))).toEqual({
        status: 400,
        reason: "LIMIT_ABOVE_MAXIMUM",
      });
      const current = await rest("GET", `/accounts/${accountId}/settings`, { token: user.token });
      expect(current.body.settings.dailyWithdrawalLimit).toBe("5000.00");
    });

    it("changes no setting of a frozen account, for the customer or staff", async () => {
      const { user, accountIds } = await onboard("duty_frozen", run, admin, 1);
      const accountId = accountIds[0]!;
      const frozen = await rest("PUT", `/accounts/${accountId}`, {
        token: admin.token,
        body: { status: "ACCOUNT_STATUS_FROZEN", reason: "suspicious activity" },
      });
      expect(frozen.status).toBe(200);
      for (const who of [user, admin]) {
        const res = await settings(who, accountId, {
          dailyWithdrawalLimit: "100.00",
          notificationsEnabled: false,
        });
        expect(refusalOf(res)).toEqual({ status: 400, reason: "ACCOUNT_FROZEN" });
      }
      const current = await rest("GET", `/accounts/${accountId}/settings`, { token: user.token });
      expect(current.body.settings).toMatchObject({
        dailyWithdrawalLimit: "1000.00",
        notificationsEnabled: true,
      });
    });
  });
});
