// The pure parts of the loader and the API: reading Debezium change events into warehouse rows,
// request days and page tokens.
import { Code, ConnectError } from "@connectrpc/connect";
import { NonRetryableError } from "../../runtime/kafka-consumer.js";
import { isCalendarDate } from "../../runtime/calendar.js";
import { readPageToken, toPage } from "../../runtime/pagination.js";
import { readCdcChange } from "../loader/cdc-record.js";
import {
  toAccountRow,
  toCustomerRow,
  toLoanPaymentRow,
  toLoanRow,
  toTransactionFact,
} from "../loader/warehouse-rows.js";
import { requestDay, requestRange } from "../request-days.js";

const transaction = {
  transaction_id: 9001,
  account_id: 42,
  related_account_id: null,
  transaction_type: "TRANSFER",
  amount: "1250.5",
  currency: "EUR",
  status: "SUCCESS",
  created_at: "2026-03-31T23:59:59.999999Z",
  completed_at: "2026-04-01T00:00:00.5Z",
  description: "rent",
  metadata: '{"channel":"web"}',
  __op: "c",
  __deleted: "false",
  __source_ts_ms: 1_775_001_600_000,
  __lsn: 123456789,
};

const account = {
  account_id: "42",
  customer_id: 7,
  account_number: "FB-00000042",
  account_type: "SAVINGS",
  currency: "USD",
  balance: "-12.345",
  status: "ACTIVE",
  branch_id: 3,
  opened_at: "2024-12-31T22:00:00-02:00",
  closed_at: null,
  updated_at: "2026-05-02T08:00:00Z",
  __op: "u",
  __deleted: "false",
  __source_ts_ms: 1_777_708_800_000,
  __lsn: 5,
};

/** The NonRetryableError message reading the value throws, or undefined if it reads. */
function rejection(read: () => unknown): string | undefined {
  try {
    read();
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(NonRetryableError);
    return (error as Error).message;
  }
}

describe("reading a change event", () => {
  it("reads the metadata Debezium adds", () => {
    const change = readCdcChange("transactions", transaction);
    expect(change).toMatchObject({ table: "transactions", op: "c", deleted: false, lsn: 123456789n });
    expect(change.sourceTs?.getTime()).toBe(1_775_001_600_000);
  });

  it("treats a rewritten delete as deleted and accepts the schema envelope", () => {
    const deleted = { ...transaction, __op: "d", __deleted: "true" };
    expect(readCdcChange("transactions", deleted).deleted).toBe(true);
    expect(readCdcChange("transactions", { schema: {}, payload: deleted }).deleted).toBe(true);
  });

  it.each([
    ["a value that is not an object", "[1,2]", /not a JSON object/],
    ["a missing LSN", { ...transaction, __lsn: undefined }, /__lsn/],
    ["a fractional LSN", { ...transaction, __lsn: 1.5 }, /__lsn/],
    ["an unknown operation", { ...transaction, __op: "t" }, /__op/],
    ["a malformed deleted flag", { ...transaction, __deleted: "yes" }, /__deleted/],
  ])("refuses %s", (_name, value, message) => {
    expect(rejection(() => readCdcChange("transactions", value))).toMatch(message);
  });
});

describe("transaction facts", () => {
  it("files a transaction under the UTC day it was created, with its amount to the cent", () => {
    expect(toTransactionFact(readCdcChange("transactions", transaction))).toEqual({
      transactionId: 9001n,
      dateId: "2026-03-31",
      accountId: 42n,
      relatedAccountId: null,
      amount: "1250.50",
      currency: "EUR",
      transactionType: "TRANSFER",
      status: "SUCCESS",
      createdAt: "2026-03-31T23:59:59.999999Z",
      completedAt: "2026-04-01T00:00:00.5Z",
    });
  });

  it("uses the UTC day of a timestamp with an offset", () => {
    const late = { ...transaction, created_at: "2026-03-31T23:30:00-02:00" };
    expect(toTransactionFact(readCdcChange("transactions", late)).dateId).toBe("2026-04-01");
  });

  it.each([
    ["a float amount", { amount: 12.5 }, /amount is not a decimal string/],
    ["an amount in words", { amount: "twelve" }, /amount/],
    ["a missing amount", { amount: undefined }, /amount is missing/],
    ["a lower-case currency", { currency: "eur" }, /currency/],
    ["an impossible day", { created_at: "2026-02-30T10:00:00Z" }, /created_at is not an ISO-8601 timestamp/],
    ["a day outside the calendar", { created_at: "1999-12-31T10:00:00Z" }, /outside the warehouse calendar/],
    ["a negative id", { transaction_id: -1 }, /transaction_id/],
    ["an id beyond 64 bits", { account_id: "99999999999999999999" }, /account_id/],
    ["a type longer than its column", { transaction_type: "X".repeat(21) }, /longer than 20/],
  ])("refuses %s", (_name, change, message) => {
    expect(
      rejection(() => toTransactionFact(readCdcChange("transactions", { ...transaction, ...change }))),
    ).toMatch(message);
  });
});

describe("accounts", () => {
  it("keeps the branch, the balance rounded half-even to the cent and the day of the balance", () => {
    expect(toAccountRow(readCdcChange("accounts", account))).toEqual({
      accountId: 42n,
      customerId: 7n,
      accountType: "SAVINGS",
      currency: "USD",
      branchId: 3,
      status: "ACTIVE",
      openedAt: "2024-12-31T22:00:00-02:00",
      openedYear: 2025,
      closedAt: null,
      balance: "-12.34",
      balanceDay: "2026-05-02",
      balanceAsOf: "2026-05-02T08:00:00Z",
    });
  });

  it("puts an account without a branch in Unassigned and dates its balance by the commit without updated_at", () => {
    const row = toAccountRow(
      readCdcChange("accounts", { ...account, branch_id: null, updated_at: undefined }),
    );
    expect(row.branchId).toBe(0);
    expect(row.balanceDay).toBe("2026-05-02");
  });
});

describe("other tables", () => {
  it("reads a customer's sign-up day", () => {
    const change = readCdcChange("customers", {
      customer_id: 5,
      created_at: "2026-01-01T00:00:00Z",
      __lsn: 1,
    });
    expect(toCustomerRow(change)).toEqual({
      customerId: 5n,
      createdAt: "2026-01-01T00:00:00Z",
      createdDate: "2026-01-01",
    });
  });

  it("reads DATE columns sent as days since 1970 and defaults a loan's currency", () => {
    const loan = toLoanRow(
      readCdcChange("loan_accounts", {
        loan_id: 1,
        application_id: 2,
        customer_id: 3,
        principal_amount: "10000.00",
        outstanding_balance: "9500.00",
        interest_rate: "5.250",
        start_date: 20_454,
        end_date: 21_184,
        status: "ACTIVE",
        created_at: "2026-01-01T10:00:00Z",
        updated_at: "2026-01-02T10:00:00Z",
        __lsn: 9,
      }),
    );
    expect(loan).toMatchObject({ startDate: "2026-01-01", endDate: "2028-01-01", currency: "USD" });
    expect(loan.balanceDay).toBe("2026-01-02");
  });

  it("reads an unpaid loan payment", () => {
    const payment = toLoanPaymentRow(
      readCdcChange("loan_payments", {
        payment_id: 1,
        loan_id: 2,
        due_date: 20_454,
        payment_amount: "450.00",
        paid_amount: "0.00",
        paid_date: null,
        status: "DUE",
        __lsn: 3,
      }),
    );
    expect(payment).toMatchObject({ dueDate: "2026-01-01", paidAmount: "0.00", paidDate: null });
  });
});

describe("request days and pages", () => {
  const codeOf = (call: () => unknown) => {
    try {
      call();
      return "OK";
    } catch (error) {
      return Code[ConnectError.from(error).code];
    }
  };

  it("accepts real days of the calendar only", () => {
    expect(isCalendarDate("2024-02-29")).toBe(true);
    expect(isCalendarDate("2026-02-29")).toBe(false);
    expect(codeOf(() => requestDay("date", "2026-11-24"))).toBe("OK");
    expect(codeOf(() => requestDay("date", "2051-01-01"))).toBe("InvalidArgument");
    expect(codeOf(() => requestRange("2026-01-02", "2026-01-01"))).toBe("InvalidArgument");
  });

  it("issues a next-page token only when there is a next page, and refuses a tampered one", () => {
    const rows = [{ id: "1" }, { id: "2" }, { id: "3" }];
    expect(toPage(rows, 3, (r) => r).nextPageToken).toBe("");
    const page = toPage(rows, 2, (r) => r);
    expect(page.items).toEqual([{ id: "1" }, { id: "2" }]);
    expect(readPageToken(page.nextPageToken, { id: /^\d+$/ })).toEqual({ id: "2" });
    const tampered = Buffer.from(JSON.stringify({ id: "2; DROP" })).toString("base64url");
    expect(codeOf(() => readPageToken(tampered, { id: /^\d+$/ }))).toBe("InvalidArgument");
  });
});
