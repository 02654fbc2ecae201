// The sandbox credit bureau: a stand-in for a real bureau (Experian, TransUnion) in the local stack
// and in tests. It answers at once, without a network, with a realistic report (tradelines with
// limits, balances and 24-month payment patterns, inquiries, collections, public records) that is
// fully determined by the customer id and the day, so a test picks the profile it needs:
//
//   customer_id mod 3 = 0  GOOD   long, clean history, low utilization, no recent inquiries
//   customer_id mod 3 = 1  FAIR   one late payment, utilization around 40 %, a few inquiries
//   customer_id mod 3 = 2  POOR   thin, recent file, maxed-out cards, late payments, collections
//
// Within a profile, the details (creditors, limits, dates) vary from customer to customer through a
// random generator seeded with the customer id, but always stay within the ranges above, so a
// profile always lands in the same band of the scorecard. Repeated pulls on one day return the same
// report under the same reference.
import type { JsonObject } from "@bufbuild/protobuf";
import { addDays, addMonths, calendarDayStart, utcDay, wholeMonthsBetween } from "../../runtime/calendar.js";
import { formatAmount, money } from "../../runtime/money.js";
import type { BureauAttributes, BureauReport, BureauSubject, CreditBureau } from "./credit-bureau.js";

/** The name the sandbox's reports are stored under (credit_reports.report_source). */
export const sandboxBureauName = "FidalexSandboxBureau";

/** The sandbox's profiles, chosen by customer_id mod 3. */
export type SandboxProfile = "GOOD" | "FAIR" | "POOR";

/** The profile the sandbox gives a customer. */
export function sandboxProfileOf(customerId: bigint): SandboxProfile {
  return (["GOOD", "FAIR", "POOR"] as const)[Number(customerId % 3n)]!;
}

/**
 * What a profile's files look like, ranges the generator draws from (inclusive): the number of
 * tradelines, the age of the oldest in months, the revolving utilization, the late payments, the
 * hard inquiries, and whether the file has a collection and a public record.
 */
interface ProfileShape {
  lines: [number, number];
  oldest: [number, number];
  usage: [number, number];
  lates: number;
  inquiries: [number, number];
  derogatory: boolean;
}

function shape(
  lines: [number, number],
  oldest: [number, number],
  usage: [number, number],
  lates: number,
  inquiries: [number, number],
  derogatory: boolean,
): ProfileShape {
  return { lines, oldest, usage, lates, inquiries, derogatory };
}

const shapes: Record<SandboxProfile, ProfileShape> = {
  // Tradelines, months since the oldest opened, utilization, late payments, inquiries, derogatory.
  GOOD: shape([4, 7], [121, 240], [0.02, 0.09], 0, [0, 0], false),
  FAIR: shape([3, 5], [60, 96], [0.31, 0.48], 1, [3, 4], false),
  POOR: shape([1, 2], [6, 11], [0.85, 0.99], 5, [5, 7], true),
};

const creditors = [
  "Northwind Card Services",
  "Contoso Auto Finance",
  "Tailspin Mortgage Co.",
  "Fabrikam Retail Credit",
  "Woodgrove Bank",
  "Litware Student Loans",
  "Adventure Works Credit Union",
];

/** A small deterministic generator (mulberry32): the same seed gives the same sequence. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Creates the sandbox bureau. */
export function createSandboxBureau(): CreditBureau {
  return {
    async pull(subject: BureauSubject, asOf: Date): Promise<BureauReport> {
      const data = sandboxReport(subject, utcDay(asOf));
      return { source: sandboxBureauName, reference: String(data.reference), data };
    },
    attributesOf: readSandboxAttributes,
  };
}

/** The sandbox's report about a subject on a day. */
export function sandboxReport(subject: BureauSubject, day: string): JsonObject {
  const profile = sandboxProfileOf(subject.customerId);
  const shape = shapes[profile];
  const random = seededRandom(Number(subject.customerId % 2_147_483_647n) * 7919 + 17);
  const between = ([low, high]: [number, number]) => low + Math.floor(random() * (high - low + 1));
  const utilization = shape.usage[0] + random() * (shape.usage[1] - shape.usage[0]);

  const count = between(shape.lines);
  const oldest = between(shape.oldest);
  const tradelines: JsonObject[] = [];
  let lateLeft = shape.lates;
  for (let i = 0; i < count; i++) {
    // The first tradeline is the oldest and always a revolving card, so every file has a
    // utilization; the others are younger and mix cards and instalment loans.
    const ageMonths = i === 0 ? oldest : Math.max(3, Math.floor(random() * oldest));
    const revolving = i === 0 || random() < 0.5;
    const limit = money(String(1000 + Math.floor(random() * 19) * 500));
    const lates = i === count - 1 ? lateLeft : Math.min(lateLeft, Math.floor(random() * 3));
    lateLeft -= lates;
    const pattern = paymentPattern(lates, random);
    tradelines.push({
      creditor: creditors[Math.floor(random() * creditors.length)]!,
      accountType: revolving ? "REVOLVING" : "INSTALLMENT",
      status: "OPEN",
      openedOn: addMonths(day, -ageMonths),
      ...(revolving
        ? { creditLimit: formatAmount(limit), balance: formatAmount(limit.times(utilization)) }
        : {
            originalAmount: formatAmount(limit.times(4)),
            balance: formatAmount(limit.times(4).times(0.2 + random() * 0.6)),
          }),
      monthlyPayment: formatAmount(limit.times(revolving ? 0.03 : 0.09)),
      paymentPattern: pattern,
      worstDelinquency: worstOf(pattern),
    });
  }
  const inquiries = Array.from({ length: between(shape.inquiries) }, () => ({
    date: addDays(day, -(1 + Math.floor(random() * 330))),
    type: "HARD",
    creditor: creditors[Math.floor(random() * creditors.length)]!,
  }));
  const collections = Array.from({ length: shape.derogatory ? 1 : 0 }, () => ({
    agency: "Midwest Recovery Partners",
    originalCreditor: "Fabrikam Mobile",
    amount: formatAmount(money(String(150 + Math.floor(random() * 900)))),
    reportedOn: addDays(day, -(30 + Math.floor(random() * 300))),
  }));
  const publicRecords = Array.from({ length: shape.derogatory ? 1 : 0 }, () => ({
    type: "CIVIL_JUDGMENT",
    court: "County Civil Court",
    amount: formatAmount(money(String(500 + Math.floor(random() * 2_000)))),
    filedOn: addDays(day, -(60 + Math.floor(random() * 600))),
  }));
  return {
    bureau: sandboxBureauName,
    reference: `SBX-${subject.customerId}-${day.replaceAll("-", "")}`,
    generatedAt: `${day}T00:00:00Z`,
    sandboxProfile: profile,
    subject: {
      customerId: String(subject.customerId),
      firstName: subject.firstName,
      lastName: subject.lastName,
      dateOfBirth: subject.dateOfBirth,
    },
    tradelines,
    inquiries,
    collections,
    publicRecords,
  };
}

/**
 * The last 24 months of payments, most recent first, in the bureaus' notation: C = paid as
 * agreed, 1/2/3 = 30/60/90 or more days late. `lates` months are marked late at random places.
 */
function paymentPattern(lates: number, random: () => number): string {
  const months = Array.from({ length: 24 }, () => "C");
  for (let placed = 0; placed < lates;) {
    const at = Math.floor(random() * 24);
    if (months[at] !== "C") continue;
    months[at] = String(1 + Math.floor(random() * 3));
    placed++;
  }
  return months.join("");
}

function worstOf(pattern: string): string {
  const worst = Math.max(0, ...[...pattern].map((mark) => (mark === "C" ? 0 : Number(mark))));
  return ["CURRENT", "LATE_30", "LATE_60", "LATE_90"][worst]!;
}

function monthsSinceDay(day: string, asOf: Date): number {
  const start = calendarDayStart(day);
  return start ? wholeMonthsBetween(start, asOf) : 0;
}

function list(data: JsonObject, key: string): JsonObject[] {
  const value = data[key];
  return Array.isArray(value)
    ? (value.filter((v) => v !== null && typeof v === "object") as JsonObject[])
    : [];
}

/** Reads the attributes of a sandbox report (stored or fresh) as of a time. */
export function readSandboxAttributes(data: JsonObject, asOf: Date): BureauAttributes {
  const tradelines = list(data, "tradelines");
  const open = tradelines.filter((t) => t.status === "OPEN");
  const revolving = open.filter((t) => t.accountType === "REVOLVING" && typeof t.creditLimit === "string");
  const limits = revolving.reduce((sum, t) => sum.plus(String(t.creditLimit)), money("0"));
  const balances = revolving.reduce((sum, t) => sum.plus(String(t.balance ?? "0")), money("0"));
  const yearAgo = addDays(utcDay(asOf), -365);
  return {
    openTradelines: open.length,
    historyMonths: Math.max(0, ...tradelines.map((t) => monthsSinceDay(String(t.openedOn), asOf))),
    revolvingUtilization: limits.isZero() ? null : balances.div(limits).toDecimalPlaces(4).toNumber(),
    delinquencies24m: tradelines.reduce(
      (sum, t) =>
        sum + [...String(t.paymentPattern ?? "").slice(0, 24)].filter((m) => /[1-9]/.test(m)).length,
      0,
    ),
    derogatoryMarks: list(data, "collections").length + list(data, "publicRecords").length,
    hardInquiries12m: list(data, "inquiries").filter((i) => i.type === "HARD" && String(i.date) > yearAgo)
      .length,
  };
}
