// The credit model without infrastructure: the sandbox bureau's profiles, the attributes read from
// its reports, the history features, and the scorecard's points, reason codes and thresholds.
import { readSandboxAttributes, sandboxProfileOf, sandboxReport } from "../credit/sandbox-bureau.js";
import { historyFeatures, type HistoryTransaction } from "../credit/history-features.js";
import {
  loadScorecard,
  scoreApplicant,
  scoreBand,
  scorecard,
  type ScoreFeatures,
} from "../credit/scorecard.js";
import scorecardV1 from "../credit/scorecard-v1.json" with { type: "json" };

const asOf = new Date("2026-06-15T10:00:00Z");
const subject = (customerId: bigint) => ({
  customerId,
  firstName: "Ada",
  lastName: "Lovelace",
  dateOfBirth: "1990-12-10",
});

/** The features of a fresh customer of the bank with some income and no overdraft. */
const bankSide = { paymentToIncome: 0.12, overdraftDays: 0, averageBalance: "50.00", tenureMonths: 0 };

describe("the sandbox bureau", () => {
  it("gives customer_id mod 3 = 0, 1, 2 the GOOD, FAIR and POOR profiles", () => {
    expect([30n, 31n, 32n, 33n].map(sandboxProfileOf)).toEqual(["GOOD", "FAIR", "POOR", "GOOD"]);
  });

  it("returns the same report for the same customer and day, and another reference the next day", () => {
    expect(sandboxReport(subject(42n), "2026-06-15")).toEqual(sandboxReport(subject(42n), "2026-06-15"));
    expect(sandboxReport(subject(42n), "2026-06-15").reference).toBe("SBX-42-20260615");
    expect(sandboxReport(subject(42n), "2026-06-16").reference).toBe("SBX-42-20260616");
  });

  it("writes a realistic report: tradelines with payment patterns, inquiries, collections, records", () => {
    const report = sandboxReport(subject(32n), "2026-06-15");
    expect(report).toMatchObject({ bureau: "FidalexSandboxBureau", sandboxProfile: "POOR" });
    const tradelines = report.tradelines as Array<Record<string, string>>;
    expect(tradelines[0]).toMatchObject({ accountType: "REVOLVING", status: "OPEN" });
    expect(tradelines[0]!.paymentPattern).toMatch(/^[C1-3]{24}$/);
    expect((report.collections as unknown[]).length).toBe(1);
    expect((report.publicRecords as unknown[]).length).toBe(1);
  });

  // Many customers of each profile: the attributes always stay in the profile's ranges, so a
  // profile always lands in the same part of the scorecard.
  const ids = Array.from({ length: 60 }, (_, i) => BigInt(1000 + i * 7919));

  it.each(ids)("customer %s: attributes within the profile's ranges and the expected outcome", (id) => {
    const profile = sandboxProfileOf(id);
    const attributes = readSandboxAttributes(sandboxReport(subject(id), "2026-06-15"), asOf);
    const result = scoreApplicant({ ...attributes, ...bankSide });
    if (profile === "GOOD") {
      expect(attributes).toMatchObject({ delinquencies24m: 0, derogatoryMarks: 0, hardInquiries12m: 0 });
      expect(attributes.historyMonths).toBeGreaterThanOrEqual(120);
      expect(attributes.revolvingUtilization).toBeLessThan(0.1);
      expect(result.outcome).toBe("AUTO_APPROVED");
    } else if (profile === "FAIR") {
      expect(attributes).toMatchObject({ delinquencies24m: 1, derogatoryMarks: 0 });
      expect(attributes.hardInquiries12m).toBeGreaterThanOrEqual(3);
      expect(attributes.revolvingUtilization).toBeGreaterThanOrEqual(0.3);
      expect(attributes.revolvingUtilization).toBeLessThan(0.5);
      expect(result.outcome).toBe("REFER");
    } else {
      expect(attributes.delinquencies24m).toBeGreaterThanOrEqual(4);
      expect(attributes.derogatoryMarks).toBe(2);
      expect(attributes.revolvingUtilization).toBeGreaterThanOrEqual(0.75);
      expect(attributes.historyMonths).toBeLessThan(12);
      expect(result.outcome).toBe("AUTO_REJECTED");
    }
  });
});

describe("the scorecard", () => {
  const best: ScoreFeatures = {
    delinquencies24m: 0,
    derogatoryMarks: 0,
    revolvingUtilization: 0.05,
    historyMonths: 200,
    hardInquiries12m: 0,
    openTradelines: 5,
    paymentToIncome: 0.05,
    overdraftDays: 0,
    averageBalance: "8000.00",
    tenureMonths: 48,
  };
  const worst: ScoreFeatures = {
    delinquencies24m: 9,
    derogatoryMarks: 3,
    revolvingUtilization: 1.2,
    historyMonths: 2,
    hardInquiries12m: 9,
    openTradelines: 0,
    paymentToIncome: null,
    overdraftDays: 40,
    averageBalance: "-300.00",
    tenureMonths: 1,
  };

  it("is version SCORECARD_V1 and spans 300 to 850", () => {
    expect(scorecard.version).toBe("SCORECARD_V1");
    expect(scoreApplicant(best).score).toBe(850);
    expect(scoreApplicant(worst).score).toBe(310);
  });

  it("adds the points of each characteristic's bin to the base, as documented", () => {
    // FAIR-like file: 70 + 60 + 45 + 55 + 12 + 20 on the bureau side, 45 + 30 + 0 + 5 at the bank.
    const result = scoreApplicant({
      delinquencies24m: 1,
      derogatoryMarks: 0,
      revolvingUtilization: 0.42,
      historyMonths: 72,
      hardInquiries12m: 3,
      openTradelines: 4,
      paymentToIncome: 0.12,
      overdraftDays: 0,
      averageBalance: "50.00",
      tenureMonths: 0,
    });
    expect(result.score).toBe(300 + 262 + 80);
    expect(result.outcome).toBe("REFER");
    expect(result.annualRatePercent).toBeUndefined();
  });

  it("names the factors that cost the most points first, in words a customer reads", () => {
    const result = scoreApplicant({ ...best, delinquencies24m: 2, revolvingUtilization: 0.6 });
    expect(result.factors.slice(0, 2)).toEqual([
      {
        code: "PAYMENT_HISTORY",
        description: "Late payments on your credit accounts in the last 24 months",
        points: 30,
        maxPoints: 125,
      },
      {
        code: "CREDIT_UTILIZATION",
        description: "High balances compared with your credit limits",
        points: 20,
        maxPoints: 90,
      },
    ]);
    expect(result.factors).toHaveLength(10);
  });

  it("approves at 680 and above, rejects below 580, refers in between, and prices approvals by score", () => {
    const approve = scoreApplicant({
      ...best,
      derogatoryMarks: 1,
      revolvingUtilization: 0.6,
      tenureMonths: 1,
    });
    expect(approve.score).toBe(850 - 45 - 70 - 20);
    expect(approve).toMatchObject({ outcome: "AUTO_APPROVED", annualRatePercent: "11.900" });
    expect(scoreApplicant(best).annualRatePercent).toBe("6.900");
    const boundary = scoreApplicant({ ...best, delinquencies24m: 5, derogatoryMarks: 1 });
    expect(boundary.score).toBe(680);
    expect(boundary.outcome).toBe("AUTO_APPROVED");
    const refer = scoreApplicant({ ...best, delinquencies24m: 5, derogatoryMarks: 2 });
    expect(refer.score).toBe(665);
    expect(refer.outcome).toBe("REFER");
    const reject = scoreApplicant({
      ...best,
      delinquencies24m: 5,
      derogatoryMarks: 2,
      hardInquiries12m: 6,
      revolvingUtilization: 0.9,
    });
    expect(reject.score).toBe(850 - 125 - 60 - 40 - 90);
    expect(reject.outcome).toBe("AUTO_REJECTED");
  });

  it("gives the contract's bands", () => {
    expect([300, 579, 580, 669, 670, 739, 740, 799, 800, 850].map(scoreBand)).toEqual([
      "POOR",
      "POOR",
      "FAIR",
      "FAIR",
      "GOOD",
      "GOOD",
      "VERY_GOOD",
      "VERY_GOOD",
      "EXCEPTIONAL",
      "EXCEPTIONAL",
    ]);
  });

  it("refuses a definition whose points do not reach the range", () => {
    expect(() => loadScorecard({ ...scorecardV1, basePoints: 290 })).toThrow(/best score/);
  });
});

describe("the history features", () => {
  const day = (d: string) => new Date(`${d}T12:00:00Z`);
  const txn = (
    id: number,
    type: HistoryTransaction["type"],
    amount: string,
    at: string,
    accountId: bigint,
    relatedAccountId = 0n,
    reversalOf = 0n,
  ): HistoryTransaction => ({
    transactionId: BigInt(id),
    type,
    amount,
    createdAt: day(at),
    accountId,
    relatedAccountId,
    moved: true,
    reversalOf,
  });

  it("rebuilds daily balances backwards, counts income from outside and overdrawn days", () => {
    const features = historyFeatures({
      asOf: new Date("2026-06-30T18:00:00Z"),
      windowDays: 30,
      customerSince: new Date("2025-01-10T00:00:00Z"),
      settlementAccountIds: new Set([1n]),
      // Today: checking 700.00, savings 100.00.
      accounts: [
        { accountId: 10n, type: "CHECKING", balance: "700.00" },
        { accountId: 11n, type: "SAVINGS", balance: "100.00" },
        { accountId: 12n, type: "LOAN", balance: "0.00" },
      ],
      transactions: [
        txn(1, "DEPOSIT", "300.00", "2026-06-01", 10n), // income
        txn(2, "WITHDRAWAL", "400.00", "2026-06-02", 10n), // overdrawn until the 11th
        txn(3, "TRANSFER", "900.00", "2026-06-11", 99n, 10n), // salary from another customer: income
        txn(4, "TRANSFER", "100.00", "2026-06-20", 10n, 11n), // between own accounts: not income
        txn(5, "TRANSFER", "500.00", "2026-06-25", 1n, 10n), // a loan payout: not income
        txn(6, "TRANSFER", "500.00", "2026-06-26", 10n, 1n), // repaid at once
      ],
    });
    // End-of-day totals over the 30 days from 2026-06-01: the 1st 300; the 2nd to the 10th −100
    // (overdrawn); the 11th to the 24th 800; the 25th 1300 (the payout); the 26th to the 30th 800.
    expect(features).toEqual({
      windowDays: 30,
      monthlyIncome: "1200.00",
      averageBalance: formatMean([
        300,
        ...Array(9).fill(-100),
        ...Array(14).fill(800),
        1300,
        ...Array(5).fill(800),
      ]),
      overdraftDays: 9,
      tenureMonths: 17,
    });
  });

  it("moves a reversal's money back in the original's direction", () => {
    const features = historyFeatures({
      asOf: new Date("2026-06-03T18:00:00Z"),
      windowDays: 3,
      customerSince: new Date("2026-06-01T00:00:00Z"),
      settlementAccountIds: new Set(),
      accounts: [{ accountId: 10n, type: "CHECKING", balance: "0.00" }],
      transactions: [
        txn(1, "DEPOSIT", "90.00", "2026-06-01", 10n),
        txn(2, "REVERSAL", "90.00", "2026-06-02", 10n, 0n, 1n),
      ],
    });
    expect(features.averageBalance).toBe("30.00");
    expect(features.tenureMonths).toBe(0);
  });
});

function formatMean(values: number[]): string {
  return (values.reduce((a, b) => a + b, 0) / values.length).toFixed(2);
}
