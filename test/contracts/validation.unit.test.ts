// The validation rules written into the contracts, as the services enforce them: every request is
// checked by createValidationInterceptor, the one validator of the mesh, so these tests call it.
import { create, getOption } from "@bufbuild/protobuf";
import type { DescExtension, DescMessage, Message, MessageInitShape } from "@bufbuild/protobuf";
import { Code, ConnectError, type UnaryRequest, type UnaryResponse } from "@connectrpc/connect";
import { predefined } from "@bufbuild/protovalidate/gen/buf/validate/validate_pb.js";
import { createValidationInterceptor } from "../../services/runtime/interceptors.js";
import { BadRequestSchema } from "../../gen/ts/google/rpc/error_details_pb.js";
import {
  conversation_id,
  currency,
  date,
  idempotency_key,
  non_negative_amount,
  positive_amount,
} from "../../gen/ts/fidalex/type/v1/rules_pb.js";
import {
  DepositRequestSchema,
  ListAccountTransactionsRequestSchema,
  ReverseTransactionRequestSchema,
  SearchTransactionsRequestSchema,
  TransferRequestSchema,
  WithdrawRequestSchema,
} from "../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { RegisterRequestSchema } from "../../gen/ts/fidalex/auth/v1/auth_service_pb.js";
import {
  OpenAccountRequestSchema,
  UpdateAccountSettingsRequestSchema,
} from "../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { AccountType } from "../../gen/ts/fidalex/account/v1/account_pb.js";
import {
  CreateCustomerRequestSchema,
  UpdateCustomerRequestSchema,
} from "../../gen/ts/fidalex/account/v1/customer_service_pb.js";
import {
  GetAccountsReportRequestSchema,
  GetCustomersGrowthRequestSchema,
  GetDailySummaryRequestSchema,
  GetLoansReportRequestSchema,
  ListTransactionFactsRequestSchema,
} from "../../gen/ts/fidalex/insights/v1/insights_service_pb.js";
import {
  ListConversationMessagesRequestSchema,
  SendMessageRequestSchema,
} from "../../gen/ts/fidalex/chatbot/v1/chatbot_service_pb.js";
import { ApplyPostingsRequestSchema } from "../../gen/ts/fidalex/account/v1/posting_service_pb.js";
import { PostingDirection, PostingKind } from "../../gen/ts/fidalex/account/v1/posting_pb.js";
import {
  CreatePaymentRequestSchema,
  SchedulePaymentRequestSchema,
} from "../../gen/ts/fidalex/payment/v1/payment_service_pb.js";
import { PaymentMethod } from "../../gen/ts/fidalex/payment/v1/payment_pb.js";
import { PaymentFrequency } from "../../gen/ts/fidalex/payment/v1/scheduled_payment_pb.js";
import {
  ApplyForLoanRequestSchema,
  PayLoanInstallmentRequestSchema,
} from "../../gen/ts/fidalex/loan/v1/loan_service_pb.js";
import { fidalexServices, loadRegistry } from "./descriptor-set.js";

/** One refusal as a client sees it in the INVALID_ARGUMENT error's google.rpc.BadRequest. */
interface FieldViolation {
  field: string;
  description: string;
}

const validate = createValidationInterceptor()(
  async (req) => ({ stream: false, message: req.message }) as UnaryResponse,
);

/** The field violations the services answer a request with; empty when the request passes. */
async function violations(schema: DescMessage, message: Message): Promise<FieldViolation[]> {
  const req = { stream: false, method: { input: schema }, message } as unknown as UnaryRequest;
  try {
    await validate(req);
    return [];
  } catch (error) {
    if (!(error instanceof ConnectError) || error.code !== Code.InvalidArgument) throw error;
    return (error.findDetails(BadRequestSchema)[0]?.fieldViolations ?? []).map(({ field, description }) => ({
      field,
      description,
    }));
  }
}

/** The paths of the fields a request is refused for, e.g. "amount,currency". */
const refusedFields = async (schema: DescMessage, message: Message) =>
  (await violations(schema, message)).map((v) => v.field).join();

describe("the services' validator", () => {
  it("knows every rule of every request of every service (no request fails with INTERNAL)", async () => {
    const inputs = fidalexServices(loadRegistry()).flatMap((service) => service.methods.map((m) => m.input));
    expect(inputs.length).toBeGreaterThan(50);
    for (const input of inputs) {
      // An empty request is usually invalid; what matters is that its rules compile and run.
      await expect(violations(input, create(input))).resolves.toBeInstanceOf(Array);
    }
  });
});

/** A request field under a shared rule, and a valid request of its RPC with the field set to a value. */
interface RuleField {
  name: string;
  /** The field's path as a violation names it, e.g. "postings[0].amount". */
  path: string;
  schema: DescMessage;
  /** The request with the field set to the value, or left unset for undefined. */
  request: (value?: string) => Message;
}

/** Names a field of a request under a shared rule, with the request built around a value. */
function ruleField<Desc extends DescMessage>(
  schema: Desc,
  path: string,
  init: (value?: string) => MessageInitShape<Desc>,
): RuleField {
  return { name: `${schema.name}.${path}`, path, schema, request: (value) => create(schema, init(value)) };
}

/** The message a client reads when a predefined rule of fidalex.type.v1 refuses a field. */
const ruleMessage = (rule: DescExtension) => getOption(rule, predefined).cel[0]!.message;

// Valid requests of the RPCs whose fields the shared rules guard; each test changes one field.
const money = { amount: "1.00", currency: "USD" };
const idempotencyKey = "key-0001";
const transfer = { ...money, fromAccountId: 1n, toAccountId: 2n, idempotencyKey };
const deposit = { ...money, accountId: 1n, idempotencyKey };
const loanPayment = { ...money, loanId: 3n, fromAccountId: 1n, idempotencyKey };
const beneficiary = {
  name: "Ada Lovelace",
  account: { case: "accountNumber" as const, value: "DE-12345678" },
};
const paymentMethod = PaymentMethod.ACH;
const payment = { ...money, accountId: 1n, externalReference: "INV-1", paymentMethod, beneficiary };
const schedule = {
  ...money,
  accountId: 1n,
  frequency: PaymentFrequency.MONTHLY,
  nextRunDate: "2026-12-01",
  paymentMethod,
  beneficiary,
  idempotencyKey,
};
const loanApplication = {
  customerId: 7n,
  amountRequested: "1.00",
  currency: "USD",
  termMonths: 12,
  disbursementAccountId: 1n,
};
const openAccount = { customerId: 7n, accountType: AccountType.CHECKING, currency: "USD", branchId: 1 };
const posting = { accountId: 1n, direction: PostingDirection.DEBIT, amount: "1.00", currency: "USD" };
/** A balanced pair of postings whose first posting has the given amount or currency. */
const postings = (first: { amount?: string; currency?: string }) => ({
  transactionId: 9n,
  postings: [
    { ...posting, ...first },
    { ...posting, accountId: 2n, direction: PostingDirection.CREDIT },
  ],
  kind: PostingKind.TRANSFER,
  changedBy: "transaction-service",
});

/** Every request amount that must be positive. */
const positiveAmountFields = [
  ruleField(TransferRequestSchema, "amount", (amount) => ({ ...transfer, amount })),
  ruleField(DepositRequestSchema, "amount", (amount) => ({ ...deposit, amount })),
  ruleField(WithdrawRequestSchema, "amount", (amount) => ({ ...deposit, amount })),
  ruleField(ApplyPostingsRequestSchema, "postings[0].amount", (amount) => postings({ amount })),
  ruleField(CreatePaymentRequestSchema, "amount", (amount) => ({ ...payment, amount })),
  ruleField(SchedulePaymentRequestSchema, "amount", (amount) => ({ ...schedule, amount })),
  ruleField(ApplyForLoanRequestSchema, "amount_requested", (amountRequested) => ({
    ...loanApplication,
    amountRequested,
  })),
  ruleField(PayLoanInstallmentRequestSchema, "amount", (amount) => ({ ...loanPayment, amount })),
];

/** Every optional limit (proto3 `optional`: unset means the default or unchanged) that may be zero. */
const limitFields = [
  ruleField(OpenAccountRequestSchema, "overdraft_limit", (overdraftLimit) => ({
    ...openAccount,
    overdraftLimit,
  })),
  ruleField(OpenAccountRequestSchema, "daily_withdrawal_limit", (dailyWithdrawalLimit) => ({
    ...openAccount,
    dailyWithdrawalLimit,
  })),
  ruleField(UpdateAccountSettingsRequestSchema, "overdraft_limit", (overdraftLimit) => ({
    accountId: 1n,
    overdraftLimit,
  })),
  ruleField(UpdateAccountSettingsRequestSchema, "daily_withdrawal_limit", (dailyWithdrawalLimit) => ({
    accountId: 1n,
    dailyWithdrawalLimit,
  })),
];

/** Every amount filter that may be zero (empty means no bound). */
const filterFields = [
  ruleField(SearchTransactionsRequestSchema, "min_amount", (minAmount) => ({ minAmount })),
  ruleField(SearchTransactionsRequestSchema, "max_amount", (maxAmount) => ({ maxAmount })),
];

/** Every request currency. */
const currencyFields = [
  ruleField(TransferRequestSchema, "currency", (currency) => ({ ...transfer, currency })),
  ruleField(DepositRequestSchema, "currency", (currency) => ({ ...deposit, currency })),
  ruleField(WithdrawRequestSchema, "currency", (currency) => ({ ...deposit, currency })),
  ruleField(ApplyPostingsRequestSchema, "postings[0].currency", (currency) => postings({ currency })),
  ruleField(OpenAccountRequestSchema, "currency", (currency) => ({ ...openAccount, currency })),
  ruleField(CreatePaymentRequestSchema, "currency", (currency) => ({ ...payment, currency })),
  ruleField(SchedulePaymentRequestSchema, "currency", (currency) => ({ ...schedule, currency })),
  ruleField(ApplyForLoanRequestSchema, "currency", (currency) => ({ ...loanApplication, currency })),
  ruleField(PayLoanInstallmentRequestSchema, "currency", (currency) => ({ ...loanPayment, currency })),
];

/** Every required calendar date. */
const customer = {
  firstName: "Ada",
  lastName: "Lovelace",
  dateOfBirth: "1990-12-10",
  address: { line1: "1 Analytical Way", city: "London", country: "GB" },
};
const range = { start: "2026-01-01", end: "2026-12-31" };
const dateFields = [
  ruleField(CreateCustomerRequestSchema, "date_of_birth", (dateOfBirth) => ({ ...customer, dateOfBirth })),
  ruleField(UpdateCustomerRequestSchema, "date_of_birth", (dateOfBirth) => ({
    ...customer,
    customerId: 7n,
    dateOfBirth,
  })),
  ruleField(SchedulePaymentRequestSchema, "next_run_date", (nextRunDate) => ({ ...schedule, nextRunDate })),
  ruleField(GetDailySummaryRequestSchema, "date", (date) => ({ date })),
  ruleField(GetAccountsReportRequestSchema, "date", (date) => ({ date })),
  ...[
    ListTransactionFactsRequestSchema,
    GetLoansReportRequestSchema,
    GetCustomersGrowthRequestSchema,
  ].flatMap((schema: DescMessage) => [
    ruleField(schema, "start", (start) => ({ ...range, start })),
    ruleField(schema, "end", (end) => ({ ...range, end })),
  ]),
];

/** Every optional date (empty means no bound or open-ended). */
const dateFilterFields = [
  ruleField(SchedulePaymentRequestSchema, "end_date", (endDate) => ({ ...schedule, endDate })),
  ruleField(ListAccountTransactionsRequestSchema, "date_from", (dateFrom) => ({ accountId: 1n, dateFrom })),
  ruleField(ListAccountTransactionsRequestSchema, "date_to", (dateTo) => ({ accountId: 1n, dateTo })),
  ruleField(SearchTransactionsRequestSchema, "date_from", (dateFrom) => ({ dateFrom })),
  ruleField(SearchTransactionsRequestSchema, "date_to", (dateTo) => ({ dateTo })),
];

/** Every idempotency key. */
const idempotencyKeyFields = [
  ruleField(TransferRequestSchema, "idempotency_key", (idempotencyKey) => ({ ...transfer, idempotencyKey })),
  ruleField(DepositRequestSchema, "idempotency_key", (idempotencyKey) => ({ ...deposit, idempotencyKey })),
  ruleField(WithdrawRequestSchema, "idempotency_key", (idempotencyKey) => ({ ...deposit, idempotencyKey })),
  ruleField(ReverseTransactionRequestSchema, "idempotency_key", (idempotencyKey) => ({
    transactionId: 5n,
    reason: "entered twice",
    idempotencyKey,
  })),
  ruleField(SchedulePaymentRequestSchema, "idempotency_key", (idempotencyKey) => ({
    ...schedule,
    idempotencyKey,
  })),
  ruleField(PayLoanInstallmentRequestSchema, "idempotency_key", (idempotencyKey) => ({
    ...loanPayment,
    idempotencyKey,
  })),
];

/** Every chatbot conversation id in a request. */
const conversationIdFields = [
  ruleField(SendMessageRequestSchema, "conversation_id", (conversationId) => ({
    conversationId,
    messageText: "hi",
  })),
  ruleField(ListConversationMessagesRequestSchema, "conversation_id", (conversationId) => ({
    conversationId,
  })),
];

/**
 * Checks that a shared rule lets the accepted values through and refuses the others with its own
 * message (other rules of the request, such as a date range, are not its concern); with the first
 * accepted value the request passes whole.
 */
function expectRule(rule: DescExtension, field: RuleField, accepted: string[], refused: string[]) {
  const violationsOfField = async (value: string) =>
    (await violations(field.schema, field.request(value))).filter((v) => v.field === field.path);
  it(`passes whole with ${JSON.stringify(accepted[0])}`, async () => {
    expect(await violations(field.schema, field.request(accepted[0]))).toEqual([]);
  });
  it.each(accepted)("accepts %j", async (value) => {
    expect(await violationsOfField(value)).toEqual([]);
  });
  it.each(refused)("refuses %j with the rule's message", async (value) => {
    expect(await violationsOfField(value)).toEqual([{ field: field.path, description: ruleMessage(rule) }]);
  });
}

/** Malformed amounts every amount rule refuses: over-precise, signed, exponent, comma, spaces, leading zeros, too large. */
const malformedAmounts = [
  "1.005",
  "0.001",
  "-5.00",
  "-0.01",
  "+1",
  "1e3",
  "12,50",
  " 1.00",
  "1.00 ",
  "1.",
  "01.00",
  "00",
  "10000000000000000",
  "10000000000000000.00",
];

describe.each(positiveAmountFields)("fidalex.type.v1.positive_amount on $name", (field) => {
  expectRule(
    positive_amount,
    field,
    ["0.01", "0.10", "0.5", "1", "1.5", "250.00", "9999999999999999.99"],
    ["", "0", "0.00", ...malformedAmounts],
  );
});

describe.each([...limitFields, ...filterFields])("fidalex.type.v1.non_negative_amount on $name", (field) => {
  expectRule(
    non_negative_amount,
    field,
    ["0", "0.00", "0.5", "500.00", "9999999999999999.99"],
    malformedAmounts,
  );

  it("accepts the field left unset", async () => {
    expect(await violations(field.schema, field.request())).toEqual([]);
  });
});

describe.each(limitFields)("an optional limit ($name)", (field) => {
  it("refuses an empty string when set", async () => {
    expect(await violations(field.schema, field.request(""))).toEqual([
      { field: field.path, description: ruleMessage(non_negative_amount) },
    ]);
  });
});

describe.each([...filterFields, ...dateFilterFields])("an optional filter ($name)", (field) => {
  it("accepts an empty string (no bound)", async () => {
    expect(await violations(field.schema, field.request(""))).toEqual([]);
  });
});

describe.each(currencyFields)("fidalex.type.v1.currency on $name", (field) => {
  expectRule(currency, field, ["USD", "EUR", "JPY"], ["", "usd", "Usd", "US", "USDX", "U$D", " USD", "ÉUR"]);
});

/** Dates of the right shape; only the services refuse a day that does not exist, such as 2026-13-45. */
const wellShapedDates = ["2026-12-24", "1990-12-10", "2026-13-45"];
const malformedDates = [
  "2026-1-24",
  "24/11/2026",
  "20261124",
  "2026-11-24T00:00:00Z",
  " 2026-11-24",
  "2026-11-24\n",
];

describe.each(dateFields)("fidalex.type.v1.date on $name", (field) => {
  expectRule(date, field, wellShapedDates, ["", ...malformedDates]);
});

describe.each(dateFilterFields)("fidalex.type.v1.date on the filter $name", (field) => {
  expectRule(date, field, wellShapedDates, malformedDates);
});

describe.each(idempotencyKeyFields)("fidalex.type.v1.idempotency_key on $name", (field) => {
  expectRule(
    idempotency_key,
    field,
    ["key-0001", "a", "A_b-9", "x".repeat(64)],
    ["", "x".repeat(65), "a b", "key!", "clé", "key\n"],
  );
});

describe.each(conversationIdFields)("fidalex.type.v1.conversation_id on $name", (field) => {
  expectRule(
    conversation_id,
    field,
    ["conv-abcdef12345", "conv-a", "conv-a_b-C9", "conv-" + "x".repeat(59)],
    ["", "conv-", "conv-" + "x".repeat(60), "CONV-a", "conv-a b", "xconv-a", "msg-1"],
  );
});

describe("other request rules", () => {
  it("refuses a transfer to the account it comes from", async () => {
    const request = create(TransferRequestSchema, { ...transfer, toAccountId: transfer.fromAccountId });
    expect(await violations(TransferRequestSchema, request)).toEqual([
      { field: "", description: "from_account_id and to_account_id must differ" },
    ]);
  });

  it("refuses a malformed email and a short password at registration", async () => {
    const fields = await refusedFields(
      RegisterRequestSchema,
      create(RegisterRequestSchema, { username: "ada", email: "not-an-email", password: "short" }),
    );
    expect(fields).toMatch(/email.*password|password.*email/);
  });

  it("refuses a negative page size and a malformed date filter", async () => {
    const fields = await refusedFields(
      ListAccountTransactionsRequestSchema,
      create(ListAccountTransactionsRequestSchema, { accountId: 1n, pageSize: -1, dateFrom: "24/11/2026" }),
    );
    expect(fields).toContain("page_size");
    expect(fields).toContain("date_from");
  });

  it("requires an account type and refuses an unknown one", async () => {
    const base = { customerId: 7n, currency: "USD", branchId: 1 };
    const open = (accountType?: AccountType) => create(OpenAccountRequestSchema, { ...base, accountType });
    expect(await refusedFields(OpenAccountRequestSchema, open())).toBe("account_type");
    expect(await refusedFields(OpenAccountRequestSchema, open(99 as AccountType))).toBe("account_type");
    expect(await violations(OpenAccountRequestSchema, open(AccountType.SAVINGS))).toEqual([]);
  });
});
