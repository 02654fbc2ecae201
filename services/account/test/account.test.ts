// AccountService against the real server and database: opening accounts, reading them, the status
// lifecycle, balances, settings, listings, the audit trail and branches, with who may do what.
import { Code } from "@connectrpc/connect";
import { AccountStatus, AccountType } from "../../../gen/ts/fidalex/account/v1/account_pb.js";
import { KycStatus } from "../../../gen/ts/fidalex/account/v1/customer_pb.js";
import { PostingKind } from "../../../gen/ts/fidalex/account/v1/posting_pb.js";
import { ApprovalAction, ApprovalStatus } from "../../../gen/ts/fidalex/type/v1/approval_pb.js";
import { sql } from "../../runtime/database.js";
import {
  customerData,
  deposit,
  expectRefusal,
  newAccount,
  newCustomer,
  settlementAccount,
  startHarness,
  transfer,
  type Clients,
  type Harness,
} from "./harness.js";

let h: Harness;
let teller: Clients;
let service: Clients;
let usdSettlement: bigint;

beforeAll(async () => {
  h = await startHarness();
  teller = await h.teller();
  service = await h.service();
  usdSettlement = await settlementAccount(teller, "USD");
});

afterAll(async () => {
  await h?.close();
});

/** A verified customer and clients carrying that customer's token. */
async function customerWithToken(tag: string): Promise<{ id: bigint; me: Clients }> {
  const id = await newCustomer(h, teller, tag);
  return { id, me: await h.as({ sub: String(h.newUserId()), roles: ["CUSTOMER"], cid: id }) };
}

async function logsOf(accountId: bigint) {
  return h.db.any(sql.unsafe`
    SELECT change_type, old_value, new_value, changed_by FROM account_logs
    WHERE account_id = ${accountId} ORDER BY log_id
  `);
}

describe("opening accounts", () => {
  it("opens an ACTIVE account with a zero balance, a fresh number and default settings", async () => {
    const customerId = await newCustomer(h, teller, "open");
    const opened = await teller.accounts.openAccount({
      customerId,
      accountType: AccountType.SAVINGS,
      currency: "EUR",
      branchId: 2,
    });
    expect(opened.account).toMatchObject({
      customerId,
      accountType: AccountType.SAVINGS,
      currency: "EUR",
      balance: "0.00",
      status: AccountStatus.ACTIVE,
      branchId: 2,
    });
    expect(opened.account!.accountNumber).toMatch(/^FB-\d{8,}$/);
    expect(opened.account!.closedAt).toBeUndefined();
    expect(opened.settings).toMatchObject({
      overdraftLimit: "0.00",
      dailyWithdrawalLimit: "1000.00",
      notificationsEnabled: true,
    });
    const logs = await logsOf(opened.account!.accountId);
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({
      change_type: "CREATED",
      old_value: null,
      new_value: {
        account_number: opened.account!.accountNumber,
        currency: "EUR",
        status: "ACTIVE",
        balance: "0.00",
      },
      changed_by: expect.stringMatching(/^\d+$/),
    });

    const second = await newAccount(teller, customerId);
    const { account } = await teller.accounts.getAccount({ accountId: second });
    expect(account!.accountNumber).not.toBe(opened.account!.accountNumber);
  });

  it("lets a customer open their own account, but without an overdraft and not for others", async () => {
    const { id, me } = await customerWithToken("open-self");
    const other = await newCustomer(h, teller, "open-other");
    const request = { customerId: id, accountType: AccountType.CHECKING, currency: "USD", branchId: 1 };
    const { account, settings } = await me.accounts.openAccount({ ...request, dailyWithdrawalLimit: "250" });
    expect(account!.customerId).toBe(id);
    expect(settings!.dailyWithdrawalLimit).toBe("250.00");
    await expectRefusal(
      me.accounts.openAccount({ ...request, overdraftLimit: "100" }),
      Code.PermissionDenied,
    );
    await expectRefusal(me.accounts.openAccount({ ...request, customerId: other }), Code.PermissionDenied);
  });

  it("lets staff set an initial overdraft limit", async () => {
    const customerId = await newCustomer(h, teller, "open-od");
    const { settings } = await teller.accounts.openAccount({
      customerId,
      accountType: AccountType.CREDIT,
      currency: "USD",
      branchId: 1,
      overdraftLimit: "500.5",
      notificationsEnabled: false,
    });
    expect(settings).toMatchObject({ overdraftLimit: "500.50", notificationsEnabled: false });
  });

  it("refuses an unverified customer, unknown customers and branches, and unknown currencies", async () => {
    const pending = await newCustomer(h, teller, "open-pending", { verified: false });
    const verified = await newCustomer(h, teller, "open-checks");
    const request = { customerId: verified, accountType: AccountType.CHECKING, currency: "USD", branchId: 1 };
    await expectRefusal(
      teller.accounts.openAccount({ ...request, customerId: pending }),
      Code.FailedPrecondition,
      "KYC_NOT_VERIFIED",
    );
    await expectRefusal(
      teller.accounts.openAccount({ ...request, customerId: 9_000_000_000_000n }),
      Code.NotFound,
      "CUSTOMER_NOT_FOUND",
    );
    await expectRefusal(
      teller.accounts.openAccount({ ...request, branchId: 9999 }),
      Code.NotFound,
      "BRANCH_NOT_FOUND",
    );
    const unknown = await expectRefusal(
      teller.accounts.openAccount({ ...request, currency: "ABC" }),
      Code.InvalidArgument,
    );
    expect(unknown.rawMessage).toContain("currency");
    await expectRefusal(teller.accounts.openAccount({ ...request, currency: "usd" }), Code.InvalidArgument);
    await expectRefusal(
      teller.accounts.openAccount({ ...request, accountType: AccountType.UNSPECIFIED }),
      Code.InvalidArgument,
    );
  });
});

describe("reading accounts", () => {
  it("shows a customer their own accounts only, without telling which ids exist", async () => {
    const { id, me } = await customerWithToken("read");
    const mine = await newAccount(teller, id);
    const theirs = await newAccount(teller, await newCustomer(h, teller, "read-other"));

    expect((await me.accounts.getAccount({ accountId: mine })).account!.accountId).toBe(mine);
    for (const call of [
      me.accounts.getAccount({ accountId: theirs }),
      me.accounts.getAccount({ accountId: 9_000_000_000_000n }),
      me.accounts.getAccountBalance({ accountId: theirs }),
      me.accounts.getAccountSettings({ accountId: theirs }),
      me.accounts.getAccountBalance({ accountId: 9_000_000_000_000n }),
    ]) {
      await expectRefusal(call, Code.PermissionDenied, "PERMISSION_DENIED");
    }
    await expectRefusal(
      teller.accounts.getAccount({ accountId: 9_000_000_000_000n }),
      Code.NotFound,
      "ACCOUNT_NOT_FOUND",
    );
    await expectRefusal(
      teller.accounts.getAccountBalance({ accountId: 9_000_000_000_000n }),
      Code.NotFound,
      "ACCOUNT_NOT_FOUND",
    );
  });

  it("reports the balance and what is available with the overdraft", async () => {
    const { id, me } = await customerWithToken("balance");
    const accountId = await newAccount(teller, id, { overdraftLimit: "50" });
    await deposit(h, service, usdSettlement, accountId, "100.25");
    const { accountBalance } = await me.accounts.getAccountBalance({ accountId });
    expect(accountBalance).toMatchObject({
      accountId,
      balance: "100.25",
      availableBalance: "150.25",
      currency: "USD",
    });
    expect(accountBalance!.asOf).toBeDefined();
    expect((await me.accounts.getAccount({ accountId })).account!.balance).toBe("100.25");
  });

  it("lists a customer's accounts page by page, optionally by status", async () => {
    const { id, me } = await customerWithToken("list");
    const ids = [await newAccount(teller, id), await newAccount(teller, id), await newAccount(teller, id)];
    await teller.accounts.updateAccountStatus({
      accountId: ids[1]!,
      status: AccountStatus.FROZEN,
      reason: "check",
    });

    const first = await me.accounts.listCustomerAccounts({ customerId: id, pageSize: 2 });
    expect(first.accounts.map((a) => a.accountId)).toEqual(ids.slice(0, 2));
    const second = await me.accounts.listCustomerAccounts({
      customerId: id,
      pageSize: 2,
      pageToken: first.nextPageToken,
    });
    expect(second.accounts.map((a) => a.accountId)).toEqual(ids.slice(2));
    expect(second.nextPageToken).toBe("");

    const frozen = await me.accounts.listCustomerAccounts({ customerId: id, status: AccountStatus.FROZEN });
    expect(frozen.accounts.map((a) => a.accountId)).toEqual([ids[1]]);

    const other = await newCustomer(h, teller, "list-other");
    await expectRefusal(me.accounts.listCustomerAccounts({ customerId: other }), Code.PermissionDenied);
    await expectRefusal(
      teller.accounts.listCustomerAccounts({ customerId: 9_000_000_000_000n }),
      Code.NotFound,
      "CUSTOMER_NOT_FOUND",
    );
    await expectRefusal(
      me.accounts.listCustomerAccounts({ customerId: id, pageToken: "%%%" }),
      Code.InvalidArgument,
      "INVALID_PAGE_TOKEN",
    );
  });

  it("lists the seeded branches to any signed-in caller", async () => {
    const { me } = await customerWithToken("branches");
    const first = await me.accounts.listBranches({ pageSize: 3 });
    expect(first.branches).toHaveLength(3);
    expect(first.branches[0]).toMatchObject({
      branchId: 1,
      branchName: "Downtown Main Street",
      region: "North-East",
    });
    const rest = await me.accounts.listBranches({ pageToken: first.nextPageToken });
    expect(rest.branches.length).toBeGreaterThanOrEqual(2);
    expect(rest.branches[0]!.branchId).toBe(4);
    await expectRefusal(h.anonymous().accounts.listBranches({}), Code.Unauthenticated);
  });
});

describe("the status lifecycle", () => {
  it("freezes and reactivates an account, recording the reason", async () => {
    const accountId = await newAccount(teller, await newCustomer(h, teller, "freeze"));
    const { account } = await teller.accounts.updateAccountStatus({
      accountId,
      status: AccountStatus.FROZEN,
      reason: "suspected card fraud",
    });
    expect(account!.status).toBe(AccountStatus.FROZEN);
    // Setting the status it already has changes nothing.
    await teller.accounts.updateAccountStatus({ accountId, status: AccountStatus.FROZEN, reason: "again" });
    await teller.accounts.updateAccountStatus({ accountId, status: AccountStatus.ACTIVE, reason: "cleared" });
    const logs = (await logsOf(accountId)).slice(1);
    expect(logs).toEqual([
      expect.objectContaining({
        change_type: "STATUS_CHANGED",
        old_value: { status: "ACTIVE" },
        new_value: { status: "FROZEN", reason: "suspected card fraud" },
      }),
      expect.objectContaining({
        change_type: "STATUS_CHANGED",
        old_value: { status: "FROZEN" },
        new_value: { status: "ACTIVE", reason: "cleared" },
      }),
    ]);
  });

  it("closes only an account with a zero balance, and for good", async () => {
    const accountId = await newAccount(teller, await newCustomer(h, teller, "close"));
    await deposit(h, service, usdSettlement, accountId, "10.00");
    await expectRefusal(
      teller.accounts.updateAccountStatus({
        accountId,
        status: AccountStatus.CLOSED,
        reason: "customer left",
      }),
      Code.FailedPrecondition,
      "BALANCE_NOT_ZERO",
    );
    await service.postings.applyPostings(
      transfer(h.newTransactionId(), accountId, usdSettlement, "10.00", { kind: PostingKind.WITHDRAWAL }),
    );
    const { account } = await teller.accounts.updateAccountStatus({
      accountId,
      status: AccountStatus.CLOSED,
      reason: "customer left",
    });
    expect(account).toMatchObject({ status: AccountStatus.CLOSED, balance: "0.00" });
    expect(account!.closedAt).toBeDefined();
    const logs = await logsOf(accountId);
    expect(logs[logs.length - 1]).toMatchObject({ change_type: "CLOSED", new_value: { status: "CLOSED" } });

    await teller.accounts.updateAccountStatus({ accountId, status: AccountStatus.CLOSED, reason: "retry" });
    await expectRefusal(
      teller.accounts.updateAccountStatus({ accountId, status: AccountStatus.ACTIVE, reason: "reopen" }),
      Code.FailedPrecondition,
      "ACCOUNT_CLOSED",
    );
  });

  it("is for staff only, and refuses PENDING as a new status", async () => {
    const { id, me } = await customerWithToken("status-self");
    const accountId = await newAccount(teller, id);
    await expectRefusal(
      me.accounts.updateAccountStatus({ accountId, status: AccountStatus.FROZEN, reason: "me" }),
      Code.PermissionDenied,
    );
    await expectRefusal(
      service.accounts.updateAccountStatus({ accountId, status: AccountStatus.FROZEN, reason: "svc" }),
      Code.PermissionDenied,
    );
    await expectRefusal(
      teller.accounts.updateAccountStatus({ accountId, status: AccountStatus.PENDING, reason: "x" }),
      Code.InvalidArgument,
    );
    await expectRefusal(
      teller.accounts.updateAccountStatus({
        accountId: 9_000_000_000_000n,
        status: AccountStatus.FROZEN,
        reason: "x",
      }),
      Code.NotFound,
      "ACCOUNT_NOT_FOUND",
    );
  });
});

describe("settings", () => {
  it("lets a customer change their limits and notifications but not the overdraft", async () => {
    const { id, me } = await customerWithToken("settings");
    const accountId = await newAccount(teller, id);
    const { settings } = await me.accounts.updateAccountSettings({
      accountId,
      dailyWithdrawalLimit: "300",
      notificationsEnabled: false,
    });
    expect(settings).toMatchObject({
      overdraftLimit: "0.00",
      dailyWithdrawalLimit: "300.00",
      notificationsEnabled: false,
    });
    expect((await me.accounts.getAccountSettings({ accountId })).settings).toEqual(settings);
    const logs = await logsOf(accountId);
    expect(logs[logs.length - 1]).toMatchObject({
      change_type: "SETTINGS_CHANGED",
      old_value: { daily_withdrawal_limit: "1000.00", notifications_enabled: true },
      new_value: { daily_withdrawal_limit: "300.00", notifications_enabled: false },
    });

    await expectRefusal(
      me.accounts.updateAccountSettings({ accountId, overdraftLimit: "100" }),
      Code.PermissionDenied,
    );
    const other = await newAccount(teller, await newCustomer(h, teller, "settings-other"));
    await expectRefusal(
      me.accounts.updateAccountSettings({ accountId: other, notificationsEnabled: false }),
      Code.PermissionDenied,
    );
  });

  it("refuses an overdraft limit below the current overdrawn balance", async () => {
    const accountId = await newAccount(teller, await newCustomer(h, teller, "od-low"), {
      overdraftLimit: "100",
    });
    await service.postings.applyPostings(
      transfer(h.newTransactionId(), accountId, usdSettlement, "80.00", { kind: PostingKind.WITHDRAWAL }),
    );
    await expectRefusal(
      teller.accounts.updateAccountSettings({ accountId, overdraftLimit: "50" }),
      Code.FailedPrecondition,
      "OVERDRAFT_LIMIT_TOO_LOW",
    );
    const { settings } = await teller.accounts.updateAccountSettings({ accountId, overdraftLimit: "80" });
    expect(settings!.overdraftLimit).toBe("80.00");
    const { accountBalance } = await teller.accounts.getAccountBalance({ accountId });
    expect(accountBalance).toMatchObject({ balance: "-80.00", availableBalance: "0.00" });
  });

  it("refuses changes to a closed account", async () => {
    const accountId = await newAccount(teller, await newCustomer(h, teller, "settings-closed"));
    await teller.accounts.updateAccountStatus({ accountId, status: AccountStatus.CLOSED, reason: "unused" });
    await expectRefusal(
      teller.accounts.updateAccountSettings({ accountId, notificationsEnabled: false }),
      Code.FailedPrecondition,
      "ACCOUNT_CLOSED",
    );
  });
});

describe("duties and limits", () => {
  it("lets a customer lower the daily withdrawal limit, and raise it to the product's maximum only (LIMIT_ABOVE_MAXIMUM)", async () => {
    const { id, me } = await customerWithToken("limit-max");
    const accountId = await newAccount(teller, id);
    await expectRefusal(
      me.accounts.updateAccountSettings({ accountId, dailyWithdrawalLimit: "9999999999999999.99" }),
      Code.FailedPrecondition,
      "LIMIT_ABOVE_MAXIMUM",
    );
    expect(
      (await me.accounts.updateAccountSettings({ accountId, dailyWithdrawalLimit: "5000" })).settings,
    ).toMatchObject({ dailyWithdrawalLimit: "5000.00" });
    // Staff may set more; the customer may then lower it, still above the maximum.
    await teller.accounts.updateAccountSettings({ accountId, dailyWithdrawalLimit: "8000" });
    expect(
      (await me.accounts.updateAccountSettings({ accountId, dailyWithdrawalLimit: "7000" })).settings,
    ).toMatchObject({ dailyWithdrawalLimit: "7000.00" });
    await expectRefusal(
      me.accounts.updateAccountSettings({ accountId, dailyWithdrawalLimit: "7500" }),
      Code.FailedPrecondition,
      "LIMIT_ABOVE_MAXIMUM",
    );
    await expectRefusal(
      me.accounts.openAccount({
        customerId: id,
        accountType: AccountType.SAVINGS,
        currency: "USD",
        branchId: 1,
        dailyWithdrawalLimit: "5000.01",
      }),
      Code.FailedPrecondition,
      "LIMIT_ABOVE_MAXIMUM",
    );
  });

  it("changes no setting of a FROZEN account (ACCOUNT_FROZEN), for the customer or staff", async () => {
    const { id, me } = await customerWithToken("settings-frozen");
    const accountId = await newAccount(teller, id);
    await teller.accounts.updateAccountStatus({
      accountId,
      status: AccountStatus.FROZEN,
      reason: "fraud check",
    });
    for (const who of [me, teller]) {
      await expectRefusal(
        who.accounts.updateAccountSettings({ accountId, notificationsEnabled: false }),
        Code.FailedPrecondition,
        "ACCOUNT_FROZEN",
      );
    }
    expect((await me.accounts.getAccountSettings({ accountId })).settings!.notificationsEnabled).toBe(true);
  });

  it("refuses staff acting as staff on their own record (SEGREGATION_OF_DUTIES): KYC, status, overdraft", async () => {
    const userId = h.newUserId();
    const asUser = await h.as({ sub: String(userId), roles: ["CUSTOMER"] });
    const { customer } = await asUser.customers.createCustomer(customerData(h, `self-${userId}`));
    const customerId = customer!.customerId;
    // A token from before the link (no cid): the record's user_id still says whose it is.
    const unlinked = await h.as({ sub: String(userId), roles: ["CUSTOMER", "TELLER"] });
    await expectRefusal(
      unlinked.customers.verifyCustomerKyc({
        customerId,
        decision: KycStatus.VERIFIED,
        comment: "mine",
        documents: ["passport"],
      }),
      Code.PermissionDenied,
      "SEGREGATION_OF_DUTIES",
    );
    await teller.customers.verifyCustomerKyc({
      customerId,
      decision: KycStatus.VERIFIED,
      comment: "checked by a colleague",
      documents: ["passport"],
    });
    const self = await h.as({ sub: String(userId), roles: ["CUSTOMER", "TELLER"], cid: customerId });
    const accountId = await newAccount(teller, customerId);
    await expectRefusal(
      self.accounts.updateAccountSettings({ accountId, overdraftLimit: "500" }),
      Code.PermissionDenied,
      "SEGREGATION_OF_DUTIES",
    );
    await expectRefusal(
      self.accounts.updateAccountStatus({ accountId, status: AccountStatus.FROZEN, reason: "mine" }),
      Code.PermissionDenied,
      "SEGREGATION_OF_DUTIES",
    );
    // On their own account they are a customer: the daily limit within the maximum only.
    await expectRefusal(
      self.accounts.updateAccountSettings({ accountId, dailyWithdrawalLimit: "6000" }),
      Code.FailedPrecondition,
      "LIMIT_ABOVE_MAXIMUM",
    );
    expect((await teller.accounts.getAccountSettings({ accountId })).settings!.overdraftLimit).toBe("0.00");
  });

  it("holds an overdraft limit above 1000.00 for a second staff member, whose approval carries it out once", async () => {
    const accountId = await newAccount(teller, await newCustomer(h, teller, "od-four-eyes"));
    const checker = await h.admin();
    const asked = await teller.accounts.updateAccountSettings({ accountId, overdraftLimit: "2500" });
    expect(asked.settings!.overdraftLimit).toBe("0.00");
    expect(asked.approval).toMatchObject({
      action: ApprovalAction.SETTINGS_CHANGE,
      status: ApprovalStatus.PENDING,
      amount: "2500.00",
      currency: "USD",
    });
    const approvalId = asked.approval!.approvalId;
    await expectRefusal(
      teller.accounts.approveSettingsChange({ accountId, approvalId }),
      Code.PermissionDenied,
      "SAME_APPROVER",
    );
    await expectRefusal(
      checker.accounts.approveSettingsChange({ accountId: accountId + 1n, approvalId }),
      Code.NotFound,
      "APPROVAL_NOT_FOUND",
    );
    const approved = await checker.accounts.approveSettingsChange({ accountId, approvalId });
    expect(approved.settings!.overdraftLimit).toBe("2500.00");
    expect(approved.approval).toMatchObject({ status: ApprovalStatus.APPROVED });
    const again = await checker.accounts.approveSettingsChange({ accountId, approvalId });
    expect(again.settings!.overdraftLimit).toBe("2500.00");
    const changes = (await logsOf(accountId)).filter((log) => log.change_type === "SETTINGS_CHANGED");
    expect(changes).toHaveLength(1);
    expect(changes[0]!.new_value).toMatchObject({
      overdraft_limit: "2500.00",
      requested_by: asked.approval!.requestedBy,
      approved_by: approved.approval!.decidedBy,
    });
    await expectRefusal(
      teller.accounts.openAccount({
        customerId: await newCustomer(h, teller, "od-open"),
        accountType: AccountType.CHECKING,
        currency: "USD",
        branchId: 1,
        overdraftLimit: "1000.01",
      }),
      Code.FailedPrecondition,
      "APPROVAL_REQUIRED",
    );
  });
});

describe("the audit trail", () => {
  it("lists an account's entries to staff, newest first, page by page", async () => {
    const accountId = await newAccount(teller, await newCustomer(h, teller, "audit"));
    await teller.accounts.updateAccountSettings({ accountId, notificationsEnabled: false });
    await teller.accounts.updateAccountStatus({ accountId, status: AccountStatus.FROZEN, reason: "audit" });
    const types: string[] = [];
    let pageToken = "";
    do {
      const page = await teller.accounts.listAccountLogs({ accountId, pageSize: 1, pageToken });
      types.push(...page.logs.map((log) => log.changeType));
      for (const log of page.logs) expect(log.accountId).toBe(accountId);
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    expect(types).toEqual(["STATUS_CHANGED", "SETTINGS_CHANGED", "CREATED"]);

    const { logs } = await teller.accounts.listAccountLogs({ accountId });
    expect(logs[0]!.newValue).toEqual({ status: "FROZEN", reason: "audit" });
    expect(logs[2]!.oldValue).toBeUndefined();
  });

  it("is for staff only, and tells staff when the account does not exist", async () => {
    const { id, me } = await customerWithToken("audit-self");
    const accountId = await newAccount(teller, id);
    await expectRefusal(me.accounts.listAccountLogs({ accountId }), Code.PermissionDenied);
    await expectRefusal(
      teller.accounts.listAccountLogs({ accountId: 9_000_000_000_000n }),
      Code.NotFound,
      "ACCOUNT_NOT_FOUND",
    );
  });
});
