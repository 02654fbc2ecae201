// What the Loan service asks of a credit bureau: the raw report about a customer, and the
// attributes the scorecard reads from it. A bureau adapter hides the bureau's protocol and report
// format; the raw report is stored as the bureau sent it (credit_reports.report_data), and its
// attributes can be read again from the stored copy at any time.
import type { JsonObject } from "@bufbuild/protobuf";

/** Who a report is asked about: the identity a bureau matches its files on. */
export interface BureauSubject {
  customerId: bigint;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
}

/** A report as a bureau returned it. */
export interface BureauReport {
  /** The bureau's name, stored as credit_reports.report_source, e.g. "FidalexSandboxBureau". */
  source: string;
  /**
   * The bureau's own reference of the report, prefixed so that it is unique across bureaus; a
   * bureau answers repeated pulls within a day with the same report, which is stored once.
   */
  reference: string;
  /** The report, unmodified; it names its reference at the top level (`"reference": …`). */
  data: JsonObject;
}

/** The facts of a credit file the scorecard rests on. */
export interface BureauAttributes {
  /** Tradelines (credit accounts) currently open. */
  openTradelines: number;
  /** Months since the oldest tradeline was opened; 0 without any. */
  historyMonths: number;
  /** Balances over limits of the open revolving tradelines (0.25 = 25 %); null without any. */
  revolvingUtilization: number | null;
  /** Monthly payments reported 30 or more days late over the last 24 months, all tradelines. */
  delinquencies24m: number;
  /** Collections and public records (judgments, bankruptcies). */
  derogatoryMarks: number;
  /** Hard inquiries (applications for credit) in the last 12 months. */
  hardInquiries12m: number;
}

/** A credit bureau, through its adapter. */
export interface CreditBureau {
  /** The report about the subject as of the given time; rejects when the bureau cannot answer. */
  pull(subject: BureauSubject, asOf: Date): Promise<BureauReport>;
  /** The attributes of a report this bureau returned (also of a stored one). */
  attributesOf(data: JsonObject, asOf: Date): BureauAttributes;
}
