// The invariants under concurrency: 200 transfers from 16 concurrent callers among a few
// accounts, some sent twice at once with the same key. Money is conserved, no balance goes below
// its overdraft limit, each key yields one transaction applied at most once, and every final
// transaction has exactly one transaction.completed event.
import { randomInt } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import { TransactionStatus } from "../../../gen/ts/fidalex/transaction/v1/transaction_pb.js";
import { ErrorInfoSchema } from "../../../gen/ts/google/rpc/error_details_pb.js";
import { createDatabasePool, sql, type DatabasePool } from "../../runtime/database.js";
import { errorReason } from "../../runtime/errors.js";
import { formatAmount, money } from "../../runtime/money.js";
import { stackVar } from "../../../test/support/stack.js";
import { startHarness, type Clients, type Harness } from "../../../test/support/core-banking.js";

let h: Harness;
let accountDb: DatabasePool;

beforeAll(async () => {
  h = await startHarness({ poolSize: 24 });
  // The Account service's own ledger, read only as an oracle of what was applied.
  accountDb = await createDatabasePool(stackVar("ACCOUNT_DATABASE_URL"), { maximumPoolSize: 2 });
});

afterAll(async () => {
  await accountDb?.end();
  await h?.close();
});

const callers = 16;
const transfers = 200;

it("conserves money and applies each transfer at most once under concurrent load", async () => {
  // Six accounts of three customers; two of them may overdraw by 100.00.
  const accounts: Array<{ id: bigint; owner: bigint; overdraft: string }> = [];
  for (let c = 0; c < 3; c++) {
    const owner = await h.newCustomer(`load-${c}`);
    for (let a = 0; a < 2; a++) {
      const overdraft = a === 1 ? "100.00" : "0.00";
      accounts.push({ id: await h.newAccount(owner, { overdraftLimit: overdraft }), owner, overdraft });
    }
  }
  for (const account of accounts) await h.fund(account.id, "500.00");
  const total = money("3000.00");

  // Half the callers are staff, half are customers moving their own money.
  const clients: Clients[] = [];
  for (let i = 0; i < callers; i++) {
    clients.push(i % 2 === 0 ? await h.teller() : await h.customer(accounts[i % accounts.length]!.owner));
  }

  // The work: each request has its own key; one in five is sent twice at once.
  const plan = Array.from({ length: transfers }, (_, n) => {
    const caller = n % callers;
    const own = accounts.filter((a) => a.owner === accounts[caller % accounts.length]!.owner);
    const pool = caller % 2 === 0 ? accounts : own;
    const from = pool[randomInt(pool.length)]!;
    let to = accounts[randomInt(accounts.length)]!;
    while (to.id === from.id) to = accounts[randomInt(accounts.length)]!;
    return {
      caller,
      duplicate: n % 5 === 0,
      request: {
        fromAccountId: from.id,
        toAccountId: to.id,
        amount: formatAmount(money(String(randomInt(1, 25_000))).dividedBy(100)),
        currency: "USD",
        description: `load ${n}`,
        idempotencyKey: h.key(`load${n}`),
      },
    };
  });

  type Answer = { key: string; transactionId: bigint; status: "SUCCESS" | "FAILED" | "PENDING" };
  const answers: Answer[] = [];
  const unexpected: unknown[] = [];
  const send = async (caller: number, request: (typeof plan)[number]["request"]) => {
    try {
      const { transaction } = await clients[caller]!.transactions.transfer(request);
      answers.push({
        key: request.idempotencyKey,
        transactionId: transaction!.transactionId,
        status: transaction!.status === TransactionStatus.SUCCESS ? "SUCCESS" : "PENDING",
      });
    } catch (error) {
      const err = ConnectError.from(error);
      const id = err.findDetails(ErrorInfoSchema)[0]?.metadata.transaction_id;
      if (err.code === Code.FailedPrecondition && errorReason(err) === "INSUFFICIENT_FUNDS" && id) {
        answers.push({ key: request.idempotencyKey, transactionId: BigInt(id), status: "FAILED" });
      } else {
        unexpected.push(err);
      }
    }
  };

  const started = Date.now();
  await Promise.all(
    Array.from({ length: callers }, async (_, caller) => {
      for (const item of plan.filter((p) => p.caller === caller)) {
        if (item.duplicate)
          await Promise.all([send(caller, item.request), send(caller, { ...item.request })]);
        else await send(caller, item.request);
      }
    }),
  );
  const elapsedMs = Date.now() - started;

  expect(unexpected).toEqual([]);
  expect(answers.filter((a) => a.status === "PENDING")).toEqual([]);

  // One transaction per key: duplicates got the same transaction and the same answer.
  const byKey = new Map<string, Answer[]>();
  for (const answer of answers) byKey.set(answer.key, [...(byKey.get(answer.key) ?? []), answer]);
  expect(byKey.size).toBe(transfers);
  for (const same of byKey.values()) {
    expect(new Set(same.map((a) => a.transactionId)).size).toBe(1);
    expect(new Set(same.map((a) => a.status)).size).toBe(1);
  }
  const ids = [...byKey.values()].map((same) => same[0]!.transactionId);
  const rows = await h.db.any(sql.unsafe`
    SELECT transaction_id, account_id, related_account_id, amount, status FROM transactions
     WHERE transaction_id = ANY(${sql.array(ids, "int8")})
  `);
  expect(rows).toHaveLength(transfers);
  const stored = await h.db.oneFirst(sql.unsafe`
    SELECT count(*) FROM transactions
     WHERE transaction_type = 'TRANSFER' AND account_id = ANY(${sql.array(
       accounts.map((a) => a.id),
       "int8",
     )})
  `);
  expect(stored).toBe(BigInt(transfers));

  // Money is conserved and no balance is below its overdraft limit.
  const balances = new Map<bigint, string>();
  for (const account of accounts) balances.set(account.id, await h.balance(account.id));
  const sum = [...balances.values()].reduce((acc, b) => acc.plus(b), money("0"));
  expect(formatAmount(sum)).toBe(formatAmount(total));
  for (const account of accounts) {
    expect(money(balances.get(account.id)!).greaterThanOrEqualTo(money(account.overdraft).negated())).toBe(
      true,
    );
  }

  // Each balance is exactly the opening amount plus our SUCCESS transfers: none applied twice.
  const expected = new Map(accounts.map((a) => [a.id, money("500.00")]));
  for (const row of rows) {
    if (row.status !== "SUCCESS") continue;
    expected.set(
      row.account_id as bigint,
      expected.get(row.account_id as bigint)!.minus(row.amount as string),
    );
    expected.set(
      row.related_account_id as bigint,
      expected.get(row.related_account_id as bigint)!.plus(row.amount as string),
    );
  }
  for (const account of accounts)
    expect(balances.get(account.id)).toBe(formatAmount(expected.get(account.id)!));

  // The Account service booked two postings per SUCCESS transfer and none for a FAILED one.
  const postings = await accountDb.any(sql.unsafe`
    SELECT transaction_id, count(*) AS lines FROM postings
     WHERE transaction_id = ANY(${sql.array(ids, "int8")}) GROUP BY transaction_id
  `);
  const succeeded = rows.filter((r) => r.status === "SUCCESS").map((r) => r.transaction_id as bigint);
  expect(postings.map((p) => p.transaction_id as bigint).sort()).toEqual([...succeeded].sort());
  for (const p of postings) expect(p.lines).toBe(2n);

  // Exactly one completion event per transaction, with its final status.
  const events = await h.db.any(sql.unsafe`
    SELECT aggregateid, payload->>'status' AS status, count(*) OVER (PARTITION BY aggregateid) AS n FROM outbox
     WHERE topic = 'transaction.completed' AND aggregateid = ANY(${sql.array(
       ids.map((id) => String(id)),
       "text",
     )})
  `);
  expect(events).toHaveLength(transfers);
  for (const event of events) {
    expect(event.n).toBe(1n);
    const row = rows.find((r) => String(r.transaction_id) === event.aggregateid)!;
    expect(event.status).toBe(`TRANSACTION_STATUS_${row.status as string}`);
  }

  h.logger.info(
    { transfers, callers, succeeded: succeeded.length, failed: transfers - succeeded.length, elapsedMs },
    "concurrent transfers",
  );
  // Some transfers must have been refused, or the test did not exercise the overdraft check.
  expect(succeeded.length).toBeGreaterThan(0);
  expect(succeeded.length).toBeLessThan(transfers);
}, 180_000);
