// Deposits and withdrawals at a teller (against the bank's settlement account) and reversals:
// staff only, never on their own accounts, large ones with a second staff member, limits enforced
// by the Account service, and a reversal undoes a transaction once.
import { randomInt } from "node:crypto";
import { Code } from "@connectrpc/connect";
import { ApprovalAction, ApprovalStatus } from "../../../gen/ts/fidalex/type/v1/approval_pb.js";
import {
  TransactionAuditEvent,
  TransactionStatus,
  TransactionType,
} from "../../../gen/ts/fidalex/transaction/v1/transaction_pb.js";
import { ErrorInfoSchema } from "../../../gen/ts/google/rpc/error_details_pb.js";
import { sql } from "../../runtime/database.js";
import {
  expectRefusal,
  startHarness,
  type Clients,
  type Harness,
} from "../../../test/support/core-banking.js";

let h: Harness;
let teller: Clients;
let usdSettlement: bigint;

beforeAll(async () => {
  h = await startHarness();
  teller = await h.teller();
  const { accounts } = await teller.accounts.listCustomerAccounts({ customerId: 1n, pageSize: 500 });
  usdSettlement = accounts.find((a) => a.currency === "USD")!.accountId;
});

afterAll(async () => {
  await h?.close();
});

async function customerAccount(
  tag: string,
  options: { dailyWithdrawalLimit?: string; currency?: string } = {},
) {
  const customerId = await h.newCustomer(tag);
  const accountId = await h.newAccount(customerId, options);
  return { customerId, accountId, asOwner: await h.customer(customerId) };
}

describe("Deposit and Withdraw", () => {
  it("credits and debits the account against the settlement account", async () => {
    const { accountId } = await customerAccount("cash");
    const deposit = await teller.transactions.deposit({
      accountId,
      amount: "300",
      currency: "USD",
      description: "cash in",
      idempotencyKey: h.key(),
    });
    expect(deposit.transaction).toMatchObject({
      accountId,
      relatedAccountId: 0n,
      transactionType: TransactionType.DEPOSIT,
      amount: "300.00",
      status: TransactionStatus.SUCCESS,
    });
    const withdrawal = await teller.transactions.withdraw({
      accountId,
      amount: "120.25",
      currency: "USD",
      description: "cash out",
      idempotencyKey: h.key(),
    });
    expect(withdrawal.transaction).toMatchObject({
      transactionType: TransactionType.WITHDRAWAL,
      status: TransactionStatus.SUCCESS,
    });
    expect(await h.balance(accountId)).toBe("179.75");
    // The counter-posting went to the settlement account: the balances the Account service
    // reported right after each posting name both accounts.
    for (const [transaction, balance] of [
      [deposit.transaction!, "300.00"],
      [withdrawal.transaction!, "179.75"],
    ] as const) {
      const snapshots = await h.db.any(sql.unsafe`
        SELECT account_id, balance_snapshot FROM transaction_balance_snapshot
         WHERE transaction_id = ${transaction.transactionId} ORDER BY account_id
      `);
      expect(snapshots.map((s) => s.account_id)).toEqual(
        [usdSettlement, accountId].sort((a, b) => (a < b ? -1 : 1)),
      );
      expect(snapshots.find((s) => s.account_id === accountId)!.balance_snapshot).toBe(balance);
      expect(await h.completedEvents(transaction.transactionId)).toHaveLength(1);
    }
  });

  it("is staff only", async () => {
    const { accountId, asOwner } = await customerAccount("selfserve");
    await expectRefusal(
      asOwner.transactions.deposit({
        accountId,
        amount: "1000000.00",
        currency: "USD",
        idempotencyKey: h.key(),
      }),
      Code.PermissionDenied,
      "PERMISSION_DENIED",
    );
    await expectRefusal(
      asOwner.transactions.withdraw({ accountId, amount: "1.00", currency: "USD", idempotencyKey: h.key() }),
      Code.PermissionDenied,
    );
    const service = await h.service();
    await expectRefusal(
      service.transactions.deposit({ accountId, amount: "1.00", currency: "USD", idempotencyKey: h.key() }),
      Code.PermissionDenied,
    );
    expect(await h.balance(accountId)).toBe("0.00");
  });

  it("records withdrawals over the balance or the daily limit as FAILED", async () => {
    const { accountId } = await customerAccount("limits", { dailyWithdrawalLimit: "100.00" });
    await h.fund(accountId, "500.00");
    await expectRefusal(
      teller.transactions.withdraw({ accountId, amount: "600.00", currency: "USD", idempotencyKey: h.key() }),
      Code.FailedPrecondition,
      "INSUFFICIENT_FUNDS",
    );
    await teller.transactions.withdraw({
      accountId,
      amount: "80.00",
      currency: "USD",
      idempotencyKey: h.key(),
    });
    const key = h.key();
    const error = await expectRefusal(
      teller.transactions.withdraw({ accountId, amount: "30.00", currency: "USD", idempotencyKey: key }),
      Code.FailedPrecondition,
      "DAILY_LIMIT_EXCEEDED",
    );
    const failedId = BigInt(error.findDetails(ErrorInfoSchema)[0]!.metadata.transaction_id!);
    const { transaction } = await teller.transactions.getTransaction({ transactionId: failedId });
    expect(transaction).toMatchObject({
      status: TransactionStatus.FAILED,
      failureReason: "DAILY_LIMIT_EXCEEDED",
    });
    expect(await h.balance(accountId)).toBe("420.00");
  });

  it("refuses unknown accounts, settlement accounts and currencies the bank does not settle", async () => {
    const { accountId } = await customerAccount("odd");
    await expectRefusal(
      teller.transactions.deposit({
        accountId: 999_999_999n,
        amount: "1.00",
        currency: "USD",
        idempotencyKey: h.key(),
      }),
      Code.NotFound,
    );
    await expectRefusal(
      teller.transactions.deposit({
        accountId: usdSettlement,
        amount: "1.00",
        currency: "USD",
        idempotencyKey: h.key(),
      }),
      Code.InvalidArgument,
    );
    await expectRefusal(
      teller.transactions.deposit({ accountId, amount: "1.00", currency: "JPY", idempotencyKey: h.key() }),
      Code.FailedPrecondition,
      "CURRENCY_NOT_SETTLED",
    );
    await expectRefusal(
      teller.transactions.deposit({ accountId, amount: "1.00", currency: "EUR", idempotencyKey: h.key() }),
      Code.FailedPrecondition,
      "CURRENCY_MISMATCH",
    );
  });
});

describe("ReverseTransaction", () => {
  it("undoes a transfer once: balances restored, original REVERSED, events for both", async () => {
    const alice = await customerAccount("rev-a");
    const bob = await customerAccount("rev-b");
    await h.fund(alice.accountId, "200.00");
    const { transaction: original } = await alice.asOwner.transactions.transfer({
      fromAccountId: alice.accountId,
      toAccountId: bob.accountId,
      amount: "75.00",
      currency: "USD",
      description: "sent by mistake",
      idempotencyKey: h.key(),
    });
    const key = h.key();
    const reversed = await teller.transactions.reverseTransaction({
      transactionId: original!.transactionId,
      reason: "customer complaint 4711",
      idempotencyKey: key,
    });
    expect(reversed.reversal).toMatchObject({
      transactionType: TransactionType.REVERSAL,
      status: TransactionStatus.SUCCESS,
      accountId: alice.accountId,
      relatedAccountId: bob.accountId,
      amount: "75.00",
      description: "customer complaint 4711",
      reversalOfTransactionId: original!.transactionId,
    });
    expect(reversed.original).toMatchObject({
      transactionId: original!.transactionId,
      status: TransactionStatus.REVERSED,
      reversedByTransactionId: reversed.reversal!.transactionId,
    });
    expect(await h.balance(alice.accountId)).toBe("200.00");
    expect(await h.balance(bob.accountId)).toBe("0.00");

    const { auditEntries } = await teller.transactions.getTransaction({
      transactionId: original!.transactionId,
    });
    expect(auditEntries.at(-1)).toMatchObject({
      auditEvent: TransactionAuditEvent.REVERSED,
      oldStatus: TransactionStatus.SUCCESS,
      newStatus: TransactionStatus.REVERSED,
      changedBy: expect.stringMatching(/^user:/),
    });
    const originalEvents = await h.completedEvents(original!.transactionId);
    expect(originalEvents.map((e) => e.status)).toEqual([
      "TRANSACTION_STATUS_SUCCESS",
      "TRANSACTION_STATUS_REVERSED",
    ]);
    expect(await h.completedEvents(reversed.reversal!.transactionId)).toHaveLength(1);

    // A replay returns the same reversal; another key finds nothing left to reverse.
    const replay = await teller.transactions.reverseTransaction({
      transactionId: original!.transactionId,
      reason: "customer complaint 4711",
      idempotencyKey: key,
    });
    expect(replay.reversal!.transactionId).toBe(reversed.reversal!.transactionId);
    await expectRefusal(
      teller.transactions.reverseTransaction({
        transactionId: original!.transactionId,
        reason: "again",
        idempotencyKey: h.key(),
      }),
      Code.FailedPrecondition,
      "NOT_REVERSIBLE",
    );
    await expectRefusal(
      teller.transactions.reverseTransaction({
        transactionId: reversed.reversal!.transactionId,
        reason: "undo the undo",
        idempotencyKey: h.key(),
      }),
      Code.FailedPrecondition,
      "NOT_REVERSIBLE",
    );
    expect(await h.balance(alice.accountId)).toBe("200.00");
  });

  it("records a reversal the credited account cannot cover as FAILED and allows a later one", async () => {
    const alice = await customerAccount("revfail-a");
    const bob = await customerAccount("revfail-b");
    await h.fund(alice.accountId, "100.00");
    const { transaction: original } = await alice.asOwner.transactions.transfer({
      fromAccountId: alice.accountId,
      toAccountId: bob.accountId,
      amount: "60.00",
      currency: "USD",
      description: "",
      idempotencyKey: h.key(),
    });
    // Bob spends the money before the reversal.
    await teller.transactions.withdraw({
      accountId: bob.accountId,
      amount: "50.00",
      currency: "USD",
      idempotencyKey: h.key(),
    });
    await expectRefusal(
      teller.transactions.reverseTransaction({
        transactionId: original!.transactionId,
        reason: "dispute",
        idempotencyKey: h.key(),
      }),
      Code.FailedPrecondition,
      "INSUFFICIENT_FUNDS",
    );
    const { transaction: still } = await teller.transactions.getTransaction({
      transactionId: original!.transactionId,
    });
    expect(still!.status).toBe(TransactionStatus.SUCCESS);

    await h.fund(bob.accountId, "50.00");
    const { reversal } = await teller.transactions.reverseTransaction({
      transactionId: original!.transactionId,
      reason: "dispute",
      idempotencyKey: h.key(),
    });
    expect(reversal!.status).toBe(TransactionStatus.SUCCESS);
    expect(await h.balance(alice.accountId)).toBe("100.00");
    expect(await h.balance(bob.accountId)).toBe("0.00");
  });

  it("reverses a deposit against the settlement account, is staff only, and refuses FAILED ones", async () => {
    const { accountId, asOwner } = await customerAccount("revdep");
    const { transaction: deposit } = await teller.transactions.deposit({
      accountId,
      amount: "40.00",
      currency: "USD",
      idempotencyKey: h.key(),
    });
    await expectRefusal(
      asOwner.transactions.reverseTransaction({
        transactionId: deposit!.transactionId,
        reason: "mine",
        idempotencyKey: h.key(),
      }),
      Code.PermissionDenied,
    );
    await expectRefusal(
      teller.transactions.reverseTransaction({
        transactionId: 9_000_000_000n,
        reason: "x",
        idempotencyKey: h.key(),
      }),
      Code.NotFound,
    );
    const { reversal, original } = await teller.transactions.reverseTransaction({
      transactionId: deposit!.transactionId,
      reason: "counterfeit notes",
      idempotencyKey: h.key(),
    });
    expect(reversal).toMatchObject({ status: TransactionStatus.SUCCESS, relatedAccountId: 0n, accountId });
    expect(original!.status).toBe(TransactionStatus.REVERSED);
    expect(await h.balance(accountId)).toBe("0.00");

    const failedKey = h.key();
    const error = await expectRefusal(
      teller.transactions.withdraw({ accountId, amount: "5.00", currency: "USD", idempotencyKey: failedKey }),
      Code.FailedPrecondition,
      "INSUFFICIENT_FUNDS",
    );
    const failedId = BigInt(error.findDetails(ErrorInfoSchema)[0]!.metadata.transaction_id!);
    await expectRefusal(
      teller.transactions.reverseTransaction({
        transactionId: failedId,
        reason: "nothing to undo",
        idempotencyKey: h.key(),
      }),
      Code.FailedPrecondition,
      "NOT_REVERSIBLE",
    );
  });
});

describe("Duties, at the service's port", () => {
  it("refuses a teller acting on their own account: deposit, withdrawal, reversal (SEGREGATION_OF_DUTIES)", async () => {
    const { customerId, accountId } = await customerAccount("selfteller");
    const me = await h.as({
      sub: String(9_000_000_000 + randomInt(1_000_000_000)),
      roles: ["CUSTOMER", "TELLER"],
      cid: customerId,
    });
    const cash = { accountId, amount: "100.00", currency: "USD", description: "" };
    await expectRefusal(
      me.transactions.deposit({ ...cash, idempotencyKey: h.key() }),
      Code.PermissionDenied,
      "SEGREGATION_OF_DUTIES",
    );
    await expectRefusal(
      me.transactions.withdraw({ ...cash, idempotencyKey: h.key() }),
      Code.PermissionDenied,
      "SEGREGATION_OF_DUTIES",
    );
    const { transaction } = await teller.transactions.deposit({ ...cash, idempotencyKey: h.key() });
    await expectRefusal(
      me.transactions.reverseTransaction({
        transactionId: transaction!.transactionId,
        reason: "my own",
        idempotencyKey: h.key(),
      }),
      Code.PermissionDenied,
      "SEGREGATION_OF_DUTIES",
    );
    expect(await h.balance(accountId)).toBe("100.00");
  });

  it("holds a deposit above 10000.00 until a second staff member approves it, once", async () => {
    const { accountId } = await customerAccount("foureyes");
    const maker = await h.teller();
    const checker = await h.teller();
    const request = {
      accountId,
      amount: "10000.01",
      currency: "USD",
      description: "",
      idempotencyKey: h.key(),
    };
    const asked = await maker.transactions.deposit(request);
    expect(asked.transaction).toBeUndefined();
    expect(asked.approval).toMatchObject({
      action: ApprovalAction.DEPOSIT,
      status: ApprovalStatus.PENDING,
      amount: "10000.01",
    });
    const approvalId = asked.approval!.approvalId;
    expect(await h.balance(accountId)).toBe("0.00");
    await expectRefusal(
      maker.transactions.approveCashMovement({ approvalId }),
      Code.PermissionDenied,
      "SAME_APPROVER",
    );
    const approved = await checker.transactions.approveCashMovement({ approvalId });
    expect(approved.transaction).toMatchObject({ status: TransactionStatus.SUCCESS, amount: "10000.01" });
    expect(approved.transaction!.metadata).toMatchObject({
      initiated_by: asked.approval!.requestedBy,
      approved_by: approved.approval!.decidedBy,
    });
    expect(approved.approval!.decidedBy).not.toBe(asked.approval!.requestedBy);
    const replay = await maker.transactions.deposit(request);
    expect(replay.transaction!.transactionId).toBe(approved.transaction!.transactionId);
    expect(await h.balance(accountId)).toBe("10000.01");
    await expectRefusal(
      maker.transactions.deposit({ ...request, amount: "20000.00" }),
      Code.AlreadyExists,
      "IDEMPOTENCY_KEY_REUSED",
    );
  });
});
