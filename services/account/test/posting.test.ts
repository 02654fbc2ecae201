// PostingService against the real server and database: applying a transaction's postings once,
// replays, the bank's refusals (balance, status, currency, overdraft, daily limit), concurrent
// calls with one transaction id, and GetPostingStatus.
import { Code } from "@connectrpc/connect";
import { AccountStatus } from "../../../gen/ts/fidalex/account/v1/account_pb.js";
import { PostingDirection, PostingKind } from "../../../gen/ts/fidalex/account/v1/posting_pb.js";
import { sql } from "../../runtime/database.js";
import {
  deposit,
  errorMetadata,
  expectRefusal,
  newAccount,
  newCustomer,
  settlementAccount,
  startHarness,
  storedBalance,
  transfer,
  type Clients,
  type Harness,
} from "./harness.js";

let h: Harness;
let teller: Clients;
let service: Clients;
let usdSettlement: bigint;
let customerId: bigint;

beforeAll(async () => {
  h = await startHarness();
  teller = await h.teller();
  service = await h.service();
  usdSettlement = await settlementAccount(teller, "USD");
  customerId = await newCustomer(h, teller, "postings");
});

afterAll(async () => {
  await h?.close();
});

/** A new USD account of the test customer, funded with `balance` from the settlement account. */
async function fundedAccount(
  balance: string,
  options: { overdraftLimit?: string; dailyWithdrawalLimit?: string } = {},
) {
  const accountId = await newAccount(teller, customerId, options);
  if (balance !== "0") await deposit(h, service, usdSettlement, accountId, balance);
  return accountId;
}

async function countRows(transactionId: bigint) {
  return h.db.one(sql.unsafe`
    SELECT (SELECT count(*) FROM applied_transactions WHERE transaction_id = ${transactionId}) AS applied,
           (SELECT count(*) FROM postings WHERE transaction_id = ${transactionId}) AS postings,
           (SELECT count(*) FROM account_logs
             WHERE change_type = 'BALANCE_ADJUST' AND new_value->>'transaction_id' = ${String(transactionId)}) AS logs
  `);
}

describe("applying postings", () => {
  it("moves money between accounts, records the postings and writes the audit trail", async () => {
    const from = await fundedAccount("100.00");
    const to = await fundedAccount("0");
    const id = h.newTransactionId();
    const { result } = await service.postings.applyPostings(transfer(id, from, to, "30.50"));
    expect(result).toMatchObject({ transactionId: id, replayed: false });
    expect(result!.balances.map((b) => [b.accountId, b.balance, b.currency])).toEqual([
      [from, "69.50", "USD"],
      [to, "30.50", "USD"],
    ]);
    expect(await storedBalance(h, from)).toBe("69.50");
    expect(await storedBalance(h, to)).toBe("30.50");
    expect(await countRows(id)).toEqual({ applied: 1n, postings: 2n, logs: 2n });

    const log = await h.db.one(sql.unsafe`
      SELECT old_value, new_value, changed_by FROM account_logs
      WHERE account_id = ${from} AND change_type = 'BALANCE_ADJUST' ORDER BY log_id DESC LIMIT 1
    `);
    expect(log).toEqual({
      old_value: { balance: "100.00" },
      new_value: {
        balance: "69.50",
        change: "-30.50",
        transaction_id: String(id),
        kind: "TRANSFER",
        caller: "svc:transaction",
      },
      changed_by: "transaction-service",
    });
  });

  it("replays a transaction id: the first result, replayed, nothing changed", async () => {
    const from = await fundedAccount("50.00");
    const to = await fundedAccount("0");
    const id = h.newTransactionId();
    const first = (await service.postings.applyPostings(transfer(id, from, to, "5"))).result!;
    await service.postings.applyPostings(transfer(h.newTransactionId(), from, to, "1.00"));

    // The same postings in another order and spelling are the same request.
    const again = transfer(id, from, to, "5.00");
    again.postings.reverse();
    const replay = (await service.postings.applyPostings(again)).result!;
    expect(replay.replayed).toBe(true);
    expect(replay.appliedAt).toEqual(first.appliedAt);
    expect(replay.balances).toEqual(first.balances);
    expect(await storedBalance(h, from)).toBe("44.00");
    expect(await countRows(id)).toEqual({ applied: 1n, postings: 2n, logs: 2n });

    await expectRefusal(
      service.postings.applyPostings(transfer(id, from, to, "6.00")),
      Code.AlreadyExists,
      "TRANSACTION_ID_REUSED",
    );
    await expectRefusal(
      service.postings.applyPostings({ ...transfer(id, from, to, "5.00"), kind: PostingKind.FEE }),
      Code.AlreadyExists,
      "TRANSACTION_ID_REUSED",
    );
  });

  it("applies one transaction id once when many calls carry it at the same time", async () => {
    const from = await fundedAccount("100.00");
    const to = await fundedAccount("0");
    const id = h.newTransactionId();
    const results = await Promise.all(
      Array.from({ length: 16 }, () => service.postings.applyPostings(transfer(id, from, to, "10.00"))),
    );
    expect(results.filter((r) => !r.result!.replayed)).toHaveLength(1);
    expect(results.filter((r) => r.result!.replayed)).toHaveLength(15);
    expect(await storedBalance(h, from)).toBe("90.00");
    expect(await storedBalance(h, to)).toBe("10.00");
    expect(await countRows(id)).toEqual({ applied: 1n, postings: 2n, logs: 2n });
  });

  it("lets a settlement account go negative while deposits enter the bank", async () => {
    const accountId = await fundedAccount("0");
    const before = await storedBalance(h, usdSettlement);
    await deposit(h, service, usdSettlement, accountId, "1000000.00");
    const after = await storedBalance(h, usdSettlement);
    expect(Number(before) - Number(after)).toBeCloseTo(1_000_000, 2);
    expect(await storedBalance(h, accountId)).toBe("1000000.00");
  });

  it("nets several postings of one account and balances several currencies", async () => {
    const a = await fundedAccount("20.00");
    const b = await fundedAccount("0");
    const eurCustomerAccount = await newAccount(teller, customerId, { currency: "EUR" });
    const eurSettlement = await settlementAccount(teller, "EUR");
    const id = h.newTransactionId();
    const usd = (accountId: bigint, direction: PostingDirection, amount: string) => ({
      accountId,
      direction,
      amount,
      currency: "USD",
    });
    const { result } = await service.postings.applyPostings({
      transactionId: id,
      kind: PostingKind.PAYMENT,
      changedBy: "payment-service",
      postings: [
        usd(a, PostingDirection.DEBIT, "15.00"),
        usd(a, PostingDirection.CREDIT, "5.00"),
        usd(b, PostingDirection.CREDIT, "10.00"),
        { accountId: eurSettlement, direction: PostingDirection.DEBIT, amount: "7.00", currency: "EUR" },
        {
          accountId: eurCustomerAccount,
          direction: PostingDirection.CREDIT,
          amount: "7.00",
          currency: "EUR",
        },
      ],
    });
    expect(result!.balances.find((x) => x.accountId === a)!.balance).toBe("10.00");
    expect(result!.balances.find((x) => x.accountId === eurCustomerAccount)).toMatchObject({
      balance: "7.00",
      currency: "EUR",
    });
    expect(await countRows(id)).toEqual({ applied: 1n, postings: 5n, logs: 4n });
  });
});

describe("refusing postings", () => {
  it("refuses postings that do not balance per currency, recording nothing", async () => {
    const a = await fundedAccount("20.00");
    const b = await fundedAccount("0");
    const id = h.newTransactionId();
    const request = transfer(id, a, b, "10.00");
    request.postings[1]!.amount = "9.99";
    await expectRefusal(service.postings.applyPostings(request), Code.InvalidArgument, "POSTINGS_UNBALANCED");
    const mixed = transfer(id, a, b, "10.00");
    mixed.postings[1]!.currency = "EUR";
    await expectRefusal(service.postings.applyPostings(mixed), Code.InvalidArgument, "POSTINGS_UNBALANCED");
    expect((await service.postings.getPostingStatus({ transactionId: id })).applied).toBe(false);
  });

  it("refuses malformed requests", async () => {
    const a = await fundedAccount("0");
    const one = transfer(h.newTransactionId(), a, a, "1.00");
    await expectRefusal(
      service.postings.applyPostings({ ...one, postings: one.postings.slice(0, 1) }),
      Code.InvalidArgument,
    );
    await expectRefusal(
      service.postings.applyPostings(transfer(h.newTransactionId(), a, usdSettlement, "0.00")),
      Code.InvalidArgument,
    );
    await expectRefusal(
      service.postings.applyPostings(transfer(h.newTransactionId(), a, usdSettlement, "1.001")),
      Code.InvalidArgument,
    );
    await expectRefusal(
      service.postings.applyPostings({ ...one, kind: PostingKind.UNSPECIFIED }),
      Code.InvalidArgument,
    );
  });

  it("refuses an unknown account, naming it", async () => {
    const a = await fundedAccount("10.00");
    const error = await expectRefusal(
      service.postings.applyPostings(transfer(h.newTransactionId(), a, 9_000_000_000_000n, "1.00")),
      Code.NotFound,
      "ACCOUNT_NOT_FOUND",
    );
    expect(errorMetadata(error)).toEqual({ account_id: "9000000000000" });
    expect(await storedBalance(h, a)).toBe("10.00");
  });

  it("refuses any posting on an account that is not ACTIVE", async () => {
    const a = await fundedAccount("10.00");
    const b = await fundedAccount("0");
    await teller.accounts.updateAccountStatus({
      accountId: b,
      status: AccountStatus.FROZEN,
      reason: "fraud check",
    });
    const credit = await expectRefusal(
      service.postings.applyPostings(transfer(h.newTransactionId(), a, b, "1.00")),
      Code.FailedPrecondition,
      "ACCOUNT_NOT_ACTIVE",
    );
    expect(errorMetadata(credit)).toEqual({ account_id: String(b) });
    await expectRefusal(
      service.postings.applyPostings(transfer(h.newTransactionId(), b, a, "1.00")),
      Code.FailedPrecondition,
      "ACCOUNT_NOT_ACTIVE",
    );
    await teller.accounts.updateAccountStatus({
      accountId: b,
      status: AccountStatus.ACTIVE,
      reason: "cleared",
    });
    await service.postings.applyPostings(transfer(h.newTransactionId(), a, b, "1.00"));
    expect(await storedBalance(h, b)).toBe("1.00");
  });

  it("refuses a posting in another currency than the account's", async () => {
    const usdAccount = await fundedAccount("10.00");
    const eurAccount = await newAccount(teller, customerId, { currency: "EUR" });
    await expectRefusal(
      service.postings.applyPostings(transfer(h.newTransactionId(), usdAccount, eurAccount, "1.00")),
      Code.FailedPrecondition,
      "CURRENCY_MISMATCH",
    );
  });

  it("refuses a debit beyond the overdraft limit; a refused id may be sent again", async () => {
    const a = await fundedAccount("50.00", { overdraftLimit: "100" });
    const b = await fundedAccount("0");
    await service.postings.applyPostings(transfer(h.newTransactionId(), a, b, "150.00"));
    expect(await storedBalance(h, a)).toBe("-100.00");

    const id = h.newTransactionId();
    const error = await expectRefusal(
      service.postings.applyPostings(transfer(id, a, b, "0.01")),
      Code.FailedPrecondition,
      "INSUFFICIENT_FUNDS",
    );
    expect(errorMetadata(error)).toEqual({ account_id: String(a) });
    expect(error.rawMessage).not.toMatch(/select|update|numeric/i);
    expect(await countRows(id)).toEqual({ applied: 0n, postings: 0n, logs: 0n });

    const noOverdraft = await fundedAccount("5.00");
    await expectRefusal(
      service.postings.applyPostings(transfer(h.newTransactionId(), noOverdraft, b, "5.01")),
      Code.FailedPrecondition,
      "INSUFFICIENT_FUNDS",
    );

    // A credit may still arrive on an account at its limit, and the refused id then applies.
    await service.postings.applyPostings(transfer(h.newTransactionId(), b, a, "10.00"));
    const { result } = await service.postings.applyPostings(transfer(id, a, b, "0.01"));
    expect(result!.replayed).toBe(false);
    expect(await storedBalance(h, a)).toBe("-90.01");
  });

  it("refuses withdrawals past the daily withdrawal limit, counting only WITHDRAWAL debits", async () => {
    const a = await fundedAccount("1000.00", { dailyWithdrawalLimit: "300" });
    const b = await fundedAccount("0");
    const withdraw = (amount: string, id = h.newTransactionId()) =>
      service.postings.applyPostings(
        transfer(id, a, usdSettlement, amount, { kind: PostingKind.WITHDRAWAL }),
      );
    await withdraw("200.00");
    await service.postings.applyPostings(transfer(h.newTransactionId(), a, b, "50.00"));
    await withdraw("100.00");
    const id = h.newTransactionId();
    await expectRefusal(withdraw("0.01", id), Code.FailedPrecondition, "DAILY_LIMIT_EXCEEDED");
    expect(await storedBalance(h, a)).toBe("650.00");

    await teller.accounts.updateAccountSettings({ accountId: a, dailyWithdrawalLimit: "400" });
    expect((await withdraw("0.01", id)).result!.replayed).toBe(false);
  });

  it("is for mesh services only", async () => {
    const a = await fundedAccount("0");
    const admin = await h.admin();
    const me = await h.as({ sub: String(h.newUserId()), roles: ["CUSTOMER"], cid: customerId });
    for (const caller of [admin, me]) {
      await expectRefusal(
        caller.postings.applyPostings(transfer(h.newTransactionId(), usdSettlement, a, "1000.00")),
        Code.PermissionDenied,
      );
      await expectRefusal(caller.postings.getPostingStatus({ transactionId: 1n }), Code.PermissionDenied);
    }
    expect(await storedBalance(h, a)).toBe("0.00");
  });
});

describe("posting status", () => {
  it("reports an applied transaction with its result, and an unknown one as not applied", async () => {
    const a = await fundedAccount("10.00");
    const id = h.newTransactionId();
    const { result } = await service.postings.applyPostings(
      transfer(id, a, usdSettlement, "4.00", { kind: PostingKind.WITHDRAWAL }),
    );
    const status = await service.postings.getPostingStatus({ transactionId: id });
    expect(status.applied).toBe(true);
    expect(status.result).toEqual(result);

    const unknown = await service.postings.getPostingStatus({ transactionId: h.newTransactionId() });
    expect(unknown.applied).toBe(false);
    expect(unknown.result).toBeUndefined();
  });
});
