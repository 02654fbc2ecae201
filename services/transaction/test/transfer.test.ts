// Transfers as a user sees them: balances move once, a refusal is recorded as FAILED with its
// reason, replays return the first result, keys cannot be reused, customers move only their own
// money, and both owners see the transfer.
import { Code } from "@connectrpc/connect";
import { AccountStatus } from "../../../gen/ts/fidalex/account/v1/account_pb.js";
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

beforeAll(async () => {
  h = await startHarness();
});

afterAll(async () => {
  await h?.close();
});

/** Two customers with one funded USD account each, and their clients. */
async function twoCustomers(tag: string, opening = "500.00") {
  const alice = await h.newCustomer(`${tag}-alice`);
  const bob = await h.newCustomer(`${tag}-bob`);
  const aliceAccount = await h.newAccount(alice);
  const bobAccount = await h.newAccount(bob);
  if (opening !== "0.00") await h.fund(aliceAccount, opening);
  return {
    alice,
    bob,
    aliceAccount,
    bobAccount,
    asAlice: await h.customer(alice),
    asBob: await h.customer(bob),
  };
}

function transferRequest(from: bigint, to: bigint, amount: string, key: string, description = "rent") {
  return { fromAccountId: from, toAccountId: to, amount, currency: "USD", description, idempotencyKey: key };
}

describe("Transfer", () => {
  it("moves the money, records SUCCESS with its audit trail and publishes one event", async () => {
    const { aliceAccount, bobAccount, asAlice } = await twoCustomers("ok");
    const { transaction } = await asAlice.transactions.transfer(
      transferRequest(aliceAccount, bobAccount, "120.50", h.key()),
    );
    expect(transaction).toMatchObject({
      accountId: aliceAccount,
      relatedAccountId: bobAccount,
      transactionType: TransactionType.TRANSFER,
      amount: "120.50",
      currency: "USD",
      status: TransactionStatus.SUCCESS,
      description: "rent",
      failureReason: "",
    });
    expect(transaction!.completedAt).toBeDefined();
    expect(await h.balance(aliceAccount)).toBe("379.50");
    expect(await h.balance(bobAccount)).toBe("120.50");

    const { auditEntries } = await asAlice.transactions.getTransaction({
      transactionId: transaction!.transactionId,
    });
    expect(auditEntries.map((e) => [e.auditEvent, e.oldStatus, e.newStatus])).toEqual([
      [TransactionAuditEvent.CREATED, TransactionStatus.UNSPECIFIED, TransactionStatus.PENDING],
      [TransactionAuditEvent.STATUS_UPDATED, TransactionStatus.PENDING, TransactionStatus.SUCCESS],
    ]);

    const events = await h.completedEvents(transaction!.transactionId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      transactionId: String(transaction!.transactionId),
      accountId: String(aliceAccount),
      relatedAccountId: String(bobAccount),
      transactionType: "TRANSACTION_TYPE_TRANSFER",
      amount: "120.50",
      currency: "USD",
      status: "TRANSACTION_STATUS_SUCCESS",
    });
  });

  it("records a transfer the balance does not cover as FAILED with INSUFFICIENT_FUNDS", async () => {
    const { aliceAccount, bobAccount, asAlice } = await twoCustomers("poor", "50.00");
    const key = h.key();
    const error = await expectRefusal(
      asAlice.transactions.transfer(transferRequest(aliceAccount, bobAccount, "80.00", key)),
      Code.FailedPrecondition,
      "INSUFFICIENT_FUNDS",
    );
    const transactionId = BigInt(error.findDetails(ErrorInfoSchema)[0]!.metadata.transaction_id!);
    const { transaction } = await asAlice.transactions.getTransaction({ transactionId });
    expect(transaction).toMatchObject({
      status: TransactionStatus.FAILED,
      failureReason: "INSUFFICIENT_FUNDS",
      amount: "80.00",
    });
    expect(await h.balance(aliceAccount)).toBe("50.00");
    expect(await h.balance(bobAccount)).toBe("0.00");

    // The replay answers with the same error, about the same transaction, and changes nothing.
    const again = await expectRefusal(
      asAlice.transactions.transfer(transferRequest(aliceAccount, bobAccount, "80.00", key)),
      Code.FailedPrecondition,
      "INSUFFICIENT_FUNDS",
    );
    expect(again.findDetails(ErrorInfoSchema)[0]!.metadata.transaction_id).toBe(String(transactionId));
    const events = await h.completedEvents(transactionId);
    expect(events.map((e) => e.status)).toEqual(["TRANSACTION_STATUS_FAILED"]);
  });

  it("returns the first result to a replay and refuses the key with other parameters", async () => {
    const { aliceAccount, bobAccount, asAlice } = await twoCustomers("replay");
    const key = h.key();
    const first = await asAlice.transactions.transfer(
      transferRequest(aliceAccount, bobAccount, "25.00", key),
    );
    // "25" and "25.00" are the same amount: still a replay.
    const replay = await asAlice.transactions.transfer(transferRequest(aliceAccount, bobAccount, "25", key));
    expect(replay.transaction!.transactionId).toBe(first.transaction!.transactionId);
    expect(replay.transaction!.status).toBe(TransactionStatus.SUCCESS);
    expect(await h.balance(aliceAccount)).toBe("475.00");
    expect(await h.balance(bobAccount)).toBe("25.00");
    expect(await h.completedEvents(first.transaction!.transactionId)).toHaveLength(1);

    await expectRefusal(
      asAlice.transactions.transfer(transferRequest(aliceAccount, bobAccount, "26.00", key)),
      Code.AlreadyExists,
      "IDEMPOTENCY_KEY_REUSED",
    );
    await expectRefusal(
      asAlice.transactions.transfer(transferRequest(aliceAccount, bobAccount, "25.00", key, "other text")),
      Code.AlreadyExists,
      "IDEMPOTENCY_KEY_REUSED",
    );
    expect(await h.balance(aliceAccount)).toBe("475.00");
  });

  it("lets a customer send only from their own accounts", async () => {
    const { aliceAccount, bobAccount, asBob } = await twoCustomers("theft");
    await expectRefusal(
      asBob.transactions.transfer(transferRequest(aliceAccount, bobAccount, "10.00", h.key())),
      Code.PermissionDenied,
      "PERMISSION_DENIED",
    );
    // A customer cannot tell a missing account from someone else's.
    await expectRefusal(
      asBob.transactions.transfer(transferRequest(999_999_999n, bobAccount, "10.00", h.key())),
      Code.PermissionDenied,
      "PERMISSION_DENIED",
    );
    // A user not linked to any customer moves nothing.
    const stranger = await h.as({ sub: "77", roles: ["CUSTOMER"] });
    await expectRefusal(
      stranger.transactions.transfer(transferRequest(aliceAccount, bobAccount, "10.00", h.key())),
      Code.PermissionDenied,
    );
    expect(await h.balance(aliceAccount)).toBe("500.00");
    const recorded = await h.db.oneFirst(
      sql.unsafe`
        SELECT count(*) FROM transactions WHERE account_id = ${aliceAccount} AND transaction_type = 'TRANSFER'
      `,
    );
    expect(recorded).toBe(0n);
  });

  it("refuses unknown accounts, equal accounts and malformed amounts without recording", async () => {
    const { aliceAccount, asAlice } = await twoCustomers("bad");
    await expectRefusal(
      asAlice.transactions.transfer(transferRequest(aliceAccount, 999_999_999n, "10.00", h.key())),
      Code.NotFound,
    );
    await expectRefusal(
      asAlice.transactions.transfer(transferRequest(aliceAccount, aliceAccount, "10.00", h.key())),
      Code.InvalidArgument,
    );
    await expectRefusal(
      asAlice.transactions.transfer(transferRequest(aliceAccount, aliceAccount + 1n, "10.001", h.key())),
      Code.InvalidArgument,
    );
    await expectRefusal(
      asAlice.transactions.transfer(transferRequest(aliceAccount, aliceAccount + 1n, "-5.00", h.key())),
      Code.InvalidArgument,
    );
  });

  it("records CURRENCY_MISMATCH and ACCOUNT_NOT_ACTIVE refusals as FAILED", async () => {
    const { alice, aliceAccount, bobAccount, asAlice } = await twoCustomers("rules");
    const euro = await h.newAccount(alice, { currency: "EUR" });
    await expectRefusal(
      asAlice.transactions.transfer({
        ...transferRequest(aliceAccount, euro, "5.00", h.key()),
        currency: "USD",
      }),
      Code.FailedPrecondition,
      "CURRENCY_MISMATCH",
    );
    const teller = await h.teller();
    await teller.accounts.updateAccountStatus({
      accountId: bobAccount,
      status: AccountStatus.FROZEN,
      reason: "fraud check",
    });
    await expectRefusal(
      asAlice.transactions.transfer(transferRequest(aliceAccount, bobAccount, "5.00", h.key())),
      Code.FailedPrecondition,
      "ACCOUNT_NOT_ACTIVE",
    );
    expect(await h.balance(aliceAccount)).toBe("500.00");
  });

  it("lets staff transfer between any accounts", async () => {
    const { aliceAccount, bobAccount } = await twoCustomers("staff");
    const teller = await h.teller();
    const { transaction } = await teller.transactions.transfer(
      transferRequest(aliceAccount, bobAccount, "100.00", h.key()),
    );
    expect(transaction!.status).toBe(TransactionStatus.SUCCESS);
    expect(transaction!.metadata).toMatchObject({ initiated_by: expect.stringMatching(/^user:/) });
    expect(await h.balance(bobAccount)).toBe("100.00");
  });
});

describe("reading transactions", () => {
  let alice: bigint;
  let aliceAccount: bigint;
  let bobAccount: bigint;
  let asAlice: Clients;
  let asBob: Clients;
  let transferId: bigint;

  beforeAll(async () => {
    ({ alice, aliceAccount, bobAccount, asAlice, asBob } = await twoCustomers("read", "1000.00"));
    const { transaction } = await asAlice.transactions.transfer(
      transferRequest(aliceAccount, bobAccount, "10.00", h.key(), "first"),
    );
    transferId = transaction!.transactionId;
    for (let i = 2; i <= 5; i++) {
      await asAlice.transactions.transfer(
        transferRequest(aliceAccount, bobAccount, `${i}.00`, h.key(), `t${i}`),
      );
    }
  });

  it("shows a transfer to both owners and to nobody else", async () => {
    const seenByAlice = await asAlice.transactions.getTransaction({ transactionId: transferId });
    const seenByBob = await asBob.transactions.getTransaction({ transactionId: transferId });
    expect(seenByAlice.transaction).toEqual(seenByBob.transaction);

    const carol = await h.customer(await h.newCustomer("read-carol"));
    await expectRefusal(
      carol.transactions.getTransaction({ transactionId: transferId }),
      Code.PermissionDenied,
    );
    // Permission before existence: a customer probing an unused id is refused the same way.
    await expectRefusal(
      carol.transactions.getTransaction({ transactionId: 9_000_000_000n }),
      Code.PermissionDenied,
    );
    const teller = await h.teller();
    await expectRefusal(teller.transactions.getTransaction({ transactionId: 9_000_000_000n }), Code.NotFound);
  });

  it("lists an account's transactions newest first, page by page, on both sides", async () => {
    const seen: string[] = [];
    let pageToken = "";
    do {
      const page = await asBob.transactions.listAccountTransactions({
        accountId: bobAccount,
        pageSize: 2,
        pageToken,
      });
      expect(page.transactions.length).toBeLessThanOrEqual(2);
      seen.push(...page.transactions.map((t) => t.amount));
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    expect(seen).toEqual(["5.00", "4.00", "3.00", "2.00", "10.00"]);

    const aliceSide = await asAlice.transactions.listAccountTransactions({
      accountId: aliceAccount,
      transactionType: TransactionType.DEPOSIT,
    });
    expect(aliceSide.transactions.map((t) => t.amount)).toEqual(["1000.00"]);

    await expectRefusal(
      asBob.transactions.listAccountTransactions({ accountId: aliceAccount }),
      Code.PermissionDenied,
    );
    const teller = await h.teller();
    await expectRefusal(
      teller.transactions.listAccountTransactions({ accountId: 999_999_999n }),
      Code.NotFound,
    );
  });

  it("refuses a page token issued for other filters, and impossible dates", async () => {
    const page = await asBob.transactions.listAccountTransactions({ accountId: bobAccount, pageSize: 1 });
    expect(page.nextPageToken).not.toBe("");
    await expectRefusal(
      asBob.transactions.listAccountTransactions({
        accountId: bobAccount,
        pageSize: 1,
        pageToken: page.nextPageToken,
        status: TransactionStatus.FAILED,
      }),
      Code.InvalidArgument,
      "INVALID_PAGE_TOKEN",
    );
    await expectRefusal(
      asBob.transactions.listAccountTransactions({ accountId: bobAccount, pageToken: "not-a-token" }),
      Code.InvalidArgument,
    );
    await expectRefusal(
      asBob.transactions.listAccountTransactions({ accountId: bobAccount, dateFrom: "2025-02-30" }),
      Code.InvalidArgument,
    );
    await expectRefusal(
      asBob.transactions.listAccountTransactions({
        accountId: bobAccount,
        dateFrom: "2025-03-02",
        dateTo: "2025-03-01",
      }),
      Code.InvalidArgument,
    );
  });

  it("searches a customer's own transactions and staff's across accounts", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const mine = await asAlice.transactions.searchTransactions({
      dateFrom: today,
      dateTo: today,
      minAmount: "3",
    });
    expect(mine.transactions.map((t) => t.amount)).toEqual(["5.00", "4.00", "3.00", "10.00", "1000.00"]);

    const narrowed = await asAlice.transactions.searchTransactions({
      accountId: aliceAccount,
      transactionType: TransactionType.TRANSFER,
      minAmount: "3.00",
      maxAmount: "5",
    });
    expect(narrowed.transactions.map((t) => t.amount)).toEqual(["5.00", "4.00", "3.00"]);

    await expectRefusal(
      asBob.transactions.searchTransactions({ accountId: aliceAccount }),
      Code.PermissionDenied,
    );
    await expectRefusal(
      asAlice.transactions.searchTransactions({ minAmount: "9", maxAmount: "3" }),
      Code.InvalidArgument,
    );

    const teller = await h.teller();
    const staffView = await teller.transactions.searchTransactions({
      accountId: bobAccount,
      status: TransactionStatus.SUCCESS,
      pageSize: 500,
    });
    expect(staffView.transactions).toHaveLength(5);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const none = await teller.transactions.searchTransactions({ accountId: bobAccount, dateTo: yesterday });
    expect(none.transactions).toHaveLength(0);

    const customerWithoutAccounts = await h.customer(await h.newCustomer("read-empty"));
    expect((await customerWithoutAccounts.transactions.searchTransactions({})).transactions).toHaveLength(0);
    expect(alice).toBeGreaterThan(0n);
  });
});
