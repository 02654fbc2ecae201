// Crash safety: a transfer whose process dies between the saga's steps, or whose Account service
// is unreachable, stays PENDING; the recovery worker (or a later replay) finishes it with the
// money moved exactly once and exactly one transaction.completed event. Only this file runs the
// recovery worker, whose scan covers the whole database: other files must not settle its rows.
import { create } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { TransactionStatus } from "../../../gen/ts/fidalex/transaction/v1/transaction_pb.js";
import { TransferRequestSchema } from "../../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import type { Principal } from "../../runtime/auth.js";
import { sql } from "../../runtime/database.js";
import { createAccountAccess } from "../../runtime/account-access.js";
import { createMovementService } from "../movements/movement-service.js";
import { createPendingFlags } from "../settlement/pending-flags.js";
import { createPostingGateway, type PostingGateway } from "../settlement/posting-gateway.js";
import { createSettlementSaga, recoveryActor } from "../settlement/settlement-saga.js";
import type { TransactionRow } from "../transactions/transaction-repository.js";
import {
  expectRefusal,
  startHarness,
  type Clients,
  type Harness,
} from "../../../test/support/core-banking.js";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ settleDelaySeconds: 2, recoveryMinAgeSeconds: 1 });
});

afterAll(async () => {
  await h?.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Thrown where the simulated process dies. */
class SimulatedCrash extends Error {}

/**
 * A Transaction service like the real one whose process "dies" before or right after the
 * Account service applied the postings, i.e. between the saga's steps 1 and 2, or 2 and 3.
 */
function crashingService(when: "before-apply" | "after-apply") {
  const real = createPostingGateway(h.deps.accountTransport, { timeoutMs: 5_000 });
  const postings: PostingGateway = {
    async apply(row, options) {
      if (when === "before-apply") throw new SimulatedCrash("killed before ApplyPostings");
      await real.apply(row, options);
      throw new SimulatedCrash("killed after ApplyPostings, before recording the outcome");
    },
    status: real.status,
  };
  const saga = createSettlementSaga({
    db: h.db,
    postings,
    pending: createPendingFlags(undefined, h.logger),
    logger: h.logger,
    settleDelaySeconds: 2,
  });
  const { directory } = h.deps;
  return createMovementService({ db: h.db, saga, directory, access: createAccountAccess(directory) });
}

const tellerPrincipal: Principal = {
  subject: "4242",
  userId: 4242n,
  roles: new Set(["TELLER"]),
  tokenVersion: 0,
};

async function pair(tag: string, opening = "100.00") {
  const from = await h.newAccount(await h.newCustomer(`${tag}-from`));
  const to = await h.newAccount(await h.newCustomer(`${tag}-to`));
  await h.fund(from, opening);
  return { from, to };
}

function transferRequest(from: bigint, to: bigint, amount: string, key: string) {
  return create(TransferRequestSchema, {
    fromAccountId: from,
    toAccountId: to,
    amount,
    currency: "USD",
    description: "crash test",
    idempotencyKey: key,
  });
}

/** The one PENDING transaction a crashed transfer left behind. */
async function leftPending(from: bigint): Promise<TransactionRow> {
  const rows = await h.db.any(sql.unsafe`
    SELECT transaction_id, status FROM transactions WHERE account_id = ${from} AND transaction_type = 'TRANSFER'
  `);
  expect(rows).toHaveLength(1);
  expect(rows[0]!.status).toBe("PENDING");
  return rows[0] as unknown as TransactionRow;
}

async function statusOf(teller: Clients, transactionId: bigint) {
  const { transaction, auditEntries } = await teller.transactions.getTransaction({ transactionId });
  return { transaction: transaction!, auditEntries };
}

describe("recovery of transfers left PENDING", () => {
  let teller: Clients;

  beforeAll(async () => {
    teller = await h.teller();
  });

  it("finishes a transfer whose process died after recording it, before ApplyPostings", async () => {
    const { from, to } = await pair("before");
    const key = h.key();
    await expect(
      crashingService("before-apply").transfer(tellerPrincipal, transferRequest(from, to, "30.00", key)),
    ).rejects.toThrow(SimulatedCrash);
    const pending = await leftPending(from);
    expect(await h.balance(from)).toBe("100.00");

    // A client polling learns it is still PENDING; nothing has been applied.
    const { transaction: polled } = await statusOf(teller, pending.transaction_id);
    expect(polled.status).toBe(TransactionStatus.PENDING);
    expect(polled.completedAt).toBeUndefined();

    await sleep(1_100);
    await h.worker.runOnce();
    const { transaction, auditEntries } = await statusOf(teller, pending.transaction_id);
    expect(transaction.status).toBe(TransactionStatus.SUCCESS);
    expect(auditEntries.at(-1)!.changedBy).toBe(recoveryActor);
    expect(await h.balance(from)).toBe("70.00");
    expect(await h.balance(to)).toBe("30.00");
    expect((await h.completedEvents(pending.transaction_id)).map((e) => e.status)).toEqual([
      "TRANSACTION_STATUS_SUCCESS",
    ]);
  });

  it("finishes a transfer whose process died after ApplyPostings, without applying it twice", async () => {
    const { from, to } = await pair("after");
    const key = h.key();
    await expect(
      crashingService("after-apply").transfer(tellerPrincipal, transferRequest(from, to, "45.00", key)),
    ).rejects.toThrow(SimulatedCrash);
    const pending = await leftPending(from);
    // The money moved, the transaction does not know yet.
    expect(await h.balance(from)).toBe("55.00");
    expect(await h.balance(to)).toBe("45.00");
    expect(await h.completedEvents(pending.transaction_id)).toHaveLength(0);

    await sleep(1_100);
    const summary = await h.worker.runOnce();
    expect(summary.examined).toBeGreaterThanOrEqual(1);
    const { transaction } = await statusOf(teller, pending.transaction_id);
    expect(transaction.status).toBe(TransactionStatus.SUCCESS);
    expect(await h.balance(from)).toBe("55.00");
    expect(await h.balance(to)).toBe("45.00");
    expect(await h.completedEvents(pending.transaction_id)).toHaveLength(1);
    const snapshots = await h.db.anyFirst(sql.unsafe`
      SELECT balance_snapshot FROM transaction_balance_snapshot
       WHERE transaction_id = ${pending.transaction_id} ORDER BY account_id
    `);
    expect(snapshots).toEqual(["55.00", "45.00"]);

    // Replays and further scans change nothing.
    const replay = await teller.transactions.transfer(transferRequest(from, to, "45.00", key));
    expect(replay.transaction).toMatchObject({
      transactionId: pending.transaction_id,
      status: TransactionStatus.SUCCESS,
    });
    await h.worker.runOnce();
    expect(await h.completedEvents(pending.transaction_id)).toHaveLength(1);
  });

  it("lets a replay wait for a PENDING transfer and finish it once the settle delay has passed", async () => {
    const { from, to } = await pair("replay");
    const key = h.key();
    await expect(
      crashingService("after-apply").transfer(tellerPrincipal, transferRequest(from, to, "10.00", key)),
    ).rejects.toThrow(SimulatedCrash);
    const pending = await leftPending(from);
    // Sent at once: it waits out the settle delay (2 s here) and then settles the transfer itself.
    const replay = await teller.transactions.transfer(transferRequest(from, to, "10.00", key));
    expect(replay.transaction).toMatchObject({
      transactionId: pending.transaction_id,
      status: TransactionStatus.SUCCESS,
    });
    expect(await h.balance(from)).toBe("90.00");
    expect(await h.completedEvents(pending.transaction_id)).toHaveLength(1);
  });

  it("records FAILED when the postings of a PENDING transfer are refused on recovery", async () => {
    const { from, to } = await pair("refused", "20.00");
    const key = h.key();
    await expect(
      crashingService("before-apply").transfer(tellerPrincipal, transferRequest(from, to, "25.00", key)),
    ).rejects.toThrow(SimulatedCrash);
    const pending = await leftPending(from);
    await sleep(1_100);
    await h.worker.runOnce();
    const { transaction } = await statusOf(teller, pending.transaction_id);
    expect(transaction).toMatchObject({
      status: TransactionStatus.FAILED,
      failureReason: "INSUFFICIENT_FUNDS",
    });
    expect((await h.completedEvents(pending.transaction_id)).map((e) => e.status)).toEqual([
      "TRANSACTION_STATUS_FAILED",
    ]);
    await expectRefusal(
      teller.transactions.transfer(transferRequest(from, to, "25.00", key)),
      Code.FailedPrecondition,
      "INSUFFICIENT_FUNDS",
    );
    expect(await h.balance(from)).toBe("20.00");
  });

  it("settles each transaction once when scans and replays race", async () => {
    const { from, to } = await pair("race", "100.00");
    const keys = Array.from({ length: 5 }, () => h.key());
    const crashed = crashingService("after-apply");
    for (const key of keys) {
      await expect(crashed.transfer(tellerPrincipal, transferRequest(from, to, "7.00", key))).rejects.toThrow(
        SimulatedCrash,
      );
    }
    await sleep(2_100);
    await Promise.all([
      h.worker.runOnce(),
      h.worker.runOnce(),
      h.worker.runOnce(),
      ...keys.map((key) => teller.transactions.transfer(transferRequest(from, to, "7.00", key))),
    ]);
    const ids = await h.db.anyFirst(sql.unsafe`
      SELECT transaction_id FROM transactions WHERE account_id = ${from} AND transaction_type = 'TRANSFER' AND status = 'SUCCESS'
    `);
    expect(ids).toHaveLength(5);
    for (const id of ids) expect(await h.completedEvents(id as bigint)).toHaveLength(1);
    expect(await h.balance(from)).toBe("65.00");
    expect(await h.balance(to)).toBe("35.00");
  });
});

describe("an unreachable Account service", () => {
  it("leaves the transfer PENDING, answers PENDING, and the worker finishes it later", async () => {
    const { from, to } = await pair("down");
    const teller = await h.teller();
    // Warm the owner cache, as a busy service would have it.
    await teller.transactions.transfer(transferRequest(from, to, "1.00", h.key()));
    const fresh = await h.newAccount(await h.newCustomer("down-fresh"));

    await h.stopAccount();
    try {
      const key = h.key();
      const { transaction } = await teller.transactions.transfer(transferRequest(from, to, "20.00", key));
      expect(transaction).toMatchObject({ status: TransactionStatus.PENDING, amount: "20.00" });
      expect(transaction!.completedAt).toBeUndefined();
      const { attempts } = await h.db.one(sql.unsafe`
        SELECT attempts FROM transactions WHERE transaction_id = ${transaction!.transactionId}
      `);
      expect(attempts).toBe(1);

      // Checks that need the Account service fail as UNAVAILABLE and record nothing.
      await expectRefusal(
        teller.transactions.transfer(transferRequest(fresh, to, "1.00", h.key())),
        Code.Unavailable,
      );
      const recorded = await h.db.oneFirst(
        sql.unsafe`SELECT count(*) FROM transactions WHERE account_id = ${fresh}`,
      );
      expect(recorded).toBe(0n);

      // While it is down, the worker cannot finish the transfer and says it will retry.
      await sleep(1_100);
      await h.worker.runOnce();
      const still = await h.db.oneFirst(sql.unsafe`
        SELECT status FROM transactions WHERE transaction_id = ${transaction!.transactionId}
      `);
      expect(still).toBe("PENDING");

      await h.startAccount();
      await sleep(1_100);
      await h.worker.runOnce();
      const { transaction: done } = await teller.transactions.getTransaction({
        transactionId: transaction!.transactionId,
      });
      expect(done!.status).toBe(TransactionStatus.SUCCESS);
      const replay = await teller.transactions.transfer(transferRequest(from, to, "20.00", key));
      expect(replay.transaction!.transactionId).toBe(transaction!.transactionId);
      expect(await h.balance(from)).toBe("79.00");
      expect(await h.balance(to)).toBe("21.00");
      expect(await h.completedEvents(transaction!.transactionId)).toHaveLength(1);
    } finally {
      await h.startAccount();
    }
  });
});
