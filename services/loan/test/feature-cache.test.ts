// The feature cache, against the real Redis and Kafka: the first assessment of a customer computes
// their features (a miss: the bureau is asked, the history read) and caches them as
// loan:features:{customer_id} with a TTL; the next assessment uses them (a hit: nothing is asked
// again); a transaction on one of the customer's accounts arrives as transaction.completed
// (Transaction service → outbox → Debezium → Kafka), and the Loan service's consumer drops the
// entry, so the next assessment computes afresh.
import { sql } from "../../runtime/database.js";
import { eventually } from "../../../test/support/eventually.js";
import type { ApplicantFeatures } from "../credit/applicant-features.js";
import { apply, startHarness, type Harness } from "./support/harness.js";

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ kafka: true });
});

afterAll(() => h?.close());

const cached = async (customerId: bigint) => {
  const json = await h.redis.get(`loan:features:${customerId}`);
  return json === null ? undefined : (JSON.parse(json) as ApplicantFeatures);
};

/** When the features of the customer's latest score were computed. */
const scoredWith = (customerId: bigint) =>
  h.deps.db.oneFirst(sql.unsafe`
    SELECT features->>'computedAt' FROM credit_scores WHERE customer_id = ${customerId}
    ORDER BY score_id DESC LIMIT 1
  `);

it("misses, then hits, and is dropped when a transaction.completed event names the customer's account", async () => {
  // A FAIR file without income is referred to staff: no payout, and no deposit, so no transaction
  // touches the account (and no event drops the entry) until the test makes one.
  const applicant = await h.applicant("FAIR", "0.00");

  // A miss: computed, cached with a TTL, with the index from the customer's accounts.
  await apply(applicant, "800.00", 12);
  const first = await cached(applicant.customerId);
  expect(first).toMatchObject({
    customerId: String(applicant.customerId),
    bureauSource: "FidalexSandboxBureau",
    history: { monthlyIncome: "0.00", averageBalance: "0.00", overdraftDays: 0 },
  });
  expect(first!.accountIds).toContain(String(applicant.accountId));
  const ttl = await h.redis.ttl(`loan:features:${applicant.customerId}`);
  expect(ttl).toBeGreaterThan(3_500);
  expect(ttl).toBeLessThanOrEqual(3_600);
  expect(await h.redis.get(`loan:accounts:${applicant.accountId}`)).toBe(String(applicant.customerId));
  expect(await scoredWith(applicant.customerId)).toBe(first!.computedAt);

  // A hit: the same features, not computed again.
  await apply(applicant, "800.00", 12);
  expect(await cached(applicant.customerId)).toEqual(first);
  expect(await scoredWith(applicant.customerId)).toBe(first!.computedAt);

  // A deposit is a transaction on the customer's account: its transaction.completed event drops
  // the entry (the consumer group may still be joining when the first one is published, so the
  // deposit is repeated until one is seen).
  await eventually(
    "the cached features dropped",
    async () => {
      if ((await cached(applicant.customerId)) === undefined) return true;
      await h.fund(applicant.accountId, "1.00");
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      return (await cached(applicant.customerId)) === undefined ? true : undefined;
    },
    { timeoutMs: 50_000, intervalMs: 100 },
  );

  // A miss again: computed afresh, with the money that came in since.
  await apply(applicant, "800.00", 12);
  const again = await cached(applicant.customerId);
  expect(again!.computedAt > first!.computedAt).toBe(true);
  expect(Number(again!.history.averageBalance)).toBeGreaterThan(Number(first!.history.averageBalance));
  expect(await scoredWith(applicant.customerId)).toBe(again!.computedAt);
}, 90_000);
