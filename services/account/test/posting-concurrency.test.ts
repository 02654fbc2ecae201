// The ledger's invariants under concurrency: 1,000 random transfers between 20 accounts from 32
// concurrent callers, some sent twice at once and some retried after their answer, all with their
// transaction id as the idempotency key. Money is conserved, no balance goes below minus its
// overdraft limit, every transaction id is applied at most once, and replays say so.
import { randomInt } from "node:crypto";
import { Code, ConnectError } from "@connectrpc/connect";
import { sql } from "../../runtime/database.js";
import { errorReason } from "../../runtime/errors.js";
import { formatAmount, money } from "../../runtime/money.js";
import {
  deposit,
  newAccount,
  newCustomer,
  settlementAccount,
  startHarness,
  transfer,
  type Clients,
  type Harness,
} from "./harness.js";

const accountCount = 20;
const transferCount = 1_000;
const callers = 32;

let h: Harness;
let service: Clients;

beforeAll(async () => {
  h = await startHarness({ poolSize: 20 });
  service = await h.service();
});

afterAll(async () => {
  await h?.close();
});

type Outcome =
  { ok: true; replayed: boolean; balances: Array<[bigint, string]> } | { ok: false; reason: string };

interface Task {
  transactionId: bigint;
  request: ReturnType<typeof transfer>;
  /** Send the same request again once this call has answered. */
  retryAfter: boolean;
}

it(`keeps the ledger consistent under ${transferCount} concurrent transfers with retries`, async () => {
  const teller = await h.teller();
  const settlement = await settlementAccount(teller, "USD");
  const customerId = await newCustomer(h, teller, "concurrency");

  // 20 accounts with random balances; every fourth may go 200.00 into overdraft.
  const accounts: bigint[] = [];
  const overdraft = new Map<bigint, string>();
  for (let i = 0; i < accountCount; i++) {
    const limit = i % 4 === 0 ? "200.00" : "0.00";
    const accountId = await newAccount(teller, customerId, { overdraftLimit: limit });
    await deposit(
      h,
      service,
      settlement,
      accountId,
      `${randomInt(100, 500)}.${String(randomInt(100)).padStart(2, "0")}`,
    );
    accounts.push(accountId);
    overdraft.set(accountId, limit);
  }
  const balances = async () => {
    const rows = await h.db.any(sql.unsafe`
      SELECT account_id, balance FROM accounts WHERE account_id = ANY(${sql.array(accounts, "int8")})
    `);
    return new Map(rows.map((row) => [row.account_id as bigint, String(row.balance)]));
  };
  const total = (map: Map<bigint, string>) =>
    formatAmount([...map.values()].reduce((sum, b) => sum.plus(b), money("0")));
  const initial = await balances();

  // The work: each transfer once; one in eight twice at the same time; one in eight again after
  // its answer (as a client retries after a lost response).
  const queue: Task[] = [];
  const ids: bigint[] = [];
  for (let i = 0; i < transferCount; i++) {
    const from = accounts[randomInt(accountCount)]!;
    let to = accounts[randomInt(accountCount)]!;
    while (to === from) to = accounts[randomInt(accountCount)]!;
    const transactionId = h.newTransactionId();
    const request = transfer(
      transactionId,
      from,
      to,
      `${randomInt(1, 150)}.${String(randomInt(100)).padStart(2, "0")}`,
    );
    ids.push(transactionId);
    const roll = randomInt(8);
    queue.push({ transactionId, request, retryAfter: roll === 1 });
    if (roll === 0) queue.push({ transactionId, request, retryAfter: false });
  }

  const outcomes = new Map<bigint, Outcome[]>();
  const record = (id: bigint, outcome: Outcome) => outcomes.set(id, [...(outcomes.get(id) ?? []), outcome]);
  const started = Date.now();
  let calls = 0;
  const caller = async () => {
    for (let task = queue.shift(); task; task = queue.shift()) {
      calls++;
      try {
        const { result } = await service.postings.applyPostings(task.request);
        record(task.transactionId, {
          ok: true,
          replayed: result!.replayed,
          balances: result!.balances.map((b) => [b.accountId, b.balance]),
        });
      } catch (error) {
        if (!(error instanceof ConnectError) || error.code !== Code.FailedPrecondition) throw error;
        record(task.transactionId, { ok: false, reason: errorReason(error) ?? "" });
      }
      if (task.retryAfter) queue.push({ ...task, retryAfter: false });
    }
  };
  await Promise.all(Array.from({ length: callers }, caller));
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `${calls} ApplyPostings calls (${transferCount} transfers) from ${callers} callers in ${seconds.toFixed(1)} s: ` +
      `${Math.round(calls / seconds)} calls/s`,
  );

  // Refusals are only for lack of money.
  const refusals = [...outcomes.values()].flat().filter((o) => !o.ok);
  expect(new Set(refusals.map((o) => (o.ok ? "" : o.reason)))).toEqual(
    refusals.length > 0 ? new Set(["INSUFFICIENT_FUNDS"]) : new Set(),
  );

  // Money is conserved, and no balance is below minus its overdraft limit, now or after any call.
  const final = await balances();
  expect(total(final)).toBe(total(initial));
  for (const [accountId, balance] of final) {
    expect(money(balance).greaterThanOrEqualTo(money(overdraft.get(accountId)!).negated())).toBe(true);
  }
  for (const outcome of [...outcomes.values()].flat()) {
    if (!outcome.ok) continue;
    for (const [accountId, balance] of outcome.balances) {
      expect(money(balance).greaterThanOrEqualTo(money(overdraft.get(accountId)!).negated())).toBe(true);
    }
  }

  // Every transaction id is applied at most once: one record, two postings, two audit entries,
  // exactly one answer that applied it, and every other successful answer a replay.
  const rows = await h.db.any(sql.unsafe`
    SELECT t.id,
           (SELECT count(*) FROM applied_transactions a WHERE a.transaction_id = t.id) AS applied,
           (SELECT count(*) FROM postings p WHERE p.transaction_id = t.id) AS postings
    FROM unnest(${sql.array(ids, "int8")}) AS t (id)
  `);
  const logCounts = new Map(
    (
      await h.db.any(sql.unsafe`
        SELECT new_value->>'transaction_id' AS id, count(*) AS logs FROM account_logs
        WHERE account_id = ANY(${sql.array(accounts, "int8")}) AND change_type = 'BALANCE_ADJUST'
        GROUP BY 1
      `)
    ).map((row) => [String(row.id), row.logs as bigint]),
  );
  let applied = 0;
  let replays = 0;
  for (const row of rows) {
    const id = row.id as bigint;
    const answers = outcomes.get(id) ?? [];
    const firstApplications = answers.filter((o) => o.ok && !o.replayed).length;
    const replayed = answers.filter((o) => o.ok && o.replayed).length;
    expect([0n, 1n]).toContain(row.applied);
    expect(row.postings).toBe(2n * (row.applied as bigint));
    expect(logCounts.get(String(id)) ?? 0n).toBe(2n * (row.applied as bigint));
    expect(firstApplications).toBe(Number(row.applied));
    if (row.applied === 0n) expect(replayed).toBe(0);
    applied += Number(row.applied);
    replays += replayed;
  }
  console.log(`${applied} transfers applied, ${refusals.length} refused, ${replays} replays answered`);
  expect(applied).toBeGreaterThan(transferCount / 2);
  expect(replays).toBeGreaterThan(0);

  // Each balance is its starting balance plus the postings booked to it.
  const moved = await h.db.any(sql.unsafe`
    SELECT account_id, sum(CASE direction WHEN 'CREDIT' THEN amount ELSE -amount END) AS net
    FROM postings WHERE transaction_id = ANY(${sql.array(ids, "int8")})
    GROUP BY account_id
  `);
  for (const row of moved) {
    const accountId = row.account_id as bigint;
    expect(formatAmount(money(initial.get(accountId)!).plus(String(row.net)))).toBe(
      formatAmount(money(final.get(accountId)!)),
    );
  }
}, 120_000);
