// Messages of every service, built with the generated code, survive the binary and JSON encodings
// unchanged, and money keeps its exact decimal form on the wire.
import { create, equals, fromBinary, fromJson, toBinary, toJson } from "@bufbuild/protobuf";
import type { DescMessage, MessageShape } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Role } from "../../gen/ts/fidalex/auth/v1/user_pb.js";
import { LoginResponseSchema } from "../../gen/ts/fidalex/auth/v1/auth_service_pb.js";
import { AccountStatus, AccountType } from "../../gen/ts/fidalex/account/v1/account_pb.js";
import { OpenAccountResponseSchema } from "../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { PostingDirection, PostingKind } from "../../gen/ts/fidalex/account/v1/posting_pb.js";
import { ApplyPostingsRequestSchema } from "../../gen/ts/fidalex/account/v1/posting_service_pb.js";
import { TransactionStatus, TransactionType } from "../../gen/ts/fidalex/transaction/v1/transaction_pb.js";
import { TransferResponseSchema } from "../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { PaymentMethod } from "../../gen/ts/fidalex/payment/v1/payment_pb.js";
import { CreatePaymentRequestSchema } from "../../gen/ts/fidalex/payment/v1/payment_service_pb.js";
import { ApplyForLoanRequestSchema } from "../../gen/ts/fidalex/loan/v1/loan_service_pb.js";
import { SenderType } from "../../gen/ts/fidalex/chatbot/v1/message_pb.js";
import { SendMessageResponseSchema } from "../../gen/ts/fidalex/chatbot/v1/chatbot_service_pb.js";
import { GetDailySummaryResponseSchema } from "../../gen/ts/fidalex/insights/v1/insights_service_pb.js";
import { TransactionCompletedSchema } from "../../gen/ts/fidalex/events/v1/transaction_completed_pb.js";

const at = timestampFromDate(new Date("2026-11-24T10:15:30.123Z"));

/** A populated message of each service (and of the events), as a client or a service would build it. */
const samples: Array<[string, DescMessage, MessageShape<DescMessage>]> = [
  [
    "auth",
    LoginResponseSchema,
    create(LoginResponseSchema, {
      tokens: {
        accessToken: "eyJhbGciOiJFUzI1NiIsImtpZCI6IjEifQ.e30.sig",
        tokenType: "Bearer",
        accessTokenExpiresAt: at,
        refreshToken: "rt_0123456789abcdef",
        refreshTokenExpiresAt: at,
      },
      user: {
        userId: 42n,
        username: "ada",
        email: "ada@example.com",
        roles: [Role.CUSTOMER],
        customerId: 7n,
      },
    }),
  ],
  [
    "account",
    OpenAccountResponseSchema,
    create(OpenAccountResponseSchema, {
      account: {
        accountId: 9_007_199_254_740_993n,
        customerId: 7n,
        accountNumber: "FB-00012345",
        accountType: AccountType.CHECKING,
        currency: "USD",
        balance: "-12.50",
        status: AccountStatus.ACTIVE,
        branchId: 3,
        openedAt: at,
      },
    }),
  ],
  [
    "account postings (internal)",
    ApplyPostingsRequestSchema,
    create(ApplyPostingsRequestSchema, {
      transactionId: 1001n,
      kind: PostingKind.TRANSFER,
      changedBy: "transaction-service",
      postings: [
        { accountId: 1n, direction: PostingDirection.DEBIT, amount: "250.00", currency: "USD" },
        { accountId: 2n, direction: PostingDirection.CREDIT, amount: "250.00", currency: "USD" },
      ],
    }),
  ],
  [
    "transaction",
    TransferResponseSchema,
    create(TransferResponseSchema, {
      transaction: {
        transactionId: 1001n,
        accountId: 1n,
        relatedAccountId: 2n,
        transactionType: TransactionType.TRANSFER,
        amount: "0.10",
        currency: "EUR",
        status: TransactionStatus.SUCCESS,
        createdAt: at,
        completedAt: at,
        description: "rent",
      },
    }),
  ],
  [
    "payment",
    CreatePaymentRequestSchema,
    create(CreatePaymentRequestSchema, {
      accountId: 1n,
      externalReference: "INV-2026-0042",
      paymentMethod: PaymentMethod.WIRE,
      amount: "1250.00",
      currency: "USD",
      beneficiary: { name: "ACME Corp", account: { case: "iban", value: "DE89370400440532013000" } },
    }),
  ],
  [
    "loan",
    ApplyForLoanRequestSchema,
    create(ApplyForLoanRequestSchema, {
      customerId: 7n,
      amountRequested: "15000.00",
      currency: "USD",
      termMonths: 36,
      purpose: "car",
      disbursementAccountId: 1n,
    }),
  ],
  [
    "chatbot",
    SendMessageResponseSchema,
    create(SendMessageResponseSchema, {
      userMessage: {
        messageId: "msg-1",
        conversationId: "conv-abc",
        senderType: SenderType.USER,
        messageText: "What is my balance?",
        timestamp: at,
      },
      botMessage: {
        messageId: "msg-2",
        conversationId: "conv-abc",
        senderType: SenderType.BOT,
        messageText: "Your checking account balance is $120.00.",
        timestamp: at,
        nlpMetadata: {
          intent: "get_account_balance",
          entities: { account_type: "checking" },
          confidence: 0.92,
        },
      },
    }),
  ],
  [
    "insights",
    GetDailySummaryResponseSchema,
    create(GetDailySummaryResponseSchema, {
      dailyBranchSummaries: [
        {
          date: "2026-11-24",
          branchId: 3,
          branchName: "Downtown",
          region: "East",
          currency: "USD",
          totalTransactions: 12n,
          totalVolume: "99999999999999.99",
          totalSuccessVolume: "1200.00",
        },
      ],
    }),
  ],
  [
    "events",
    TransactionCompletedSchema,
    create(TransactionCompletedSchema, {
      eventId: "0b8f9a9e-3f7c-4b39-9a56-1f0d3f1f6a10",
      eventTime: at,
      transactionId: 1001n,
      accountId: 1n,
      relatedAccountId: 2n,
      transactionType: TransactionType.TRANSFER,
      amount: "250.00",
      currency: "USD",
      timestamp: at,
      status: TransactionStatus.SUCCESS,
    }),
  ],
];

describe.each(samples)("a %s message", (_name, schema, message) => {
  it("round-trips through the binary encoding", () => {
    const decoded = fromBinary(schema, toBinary(schema, message));
    expect(equals(schema, decoded, message)).toBe(true);
  });

  it("round-trips through the JSON encoding", () => {
    const json = toJson(schema, message);
    const decoded = fromJson(schema, JSON.parse(JSON.stringify(json)));
    expect(equals(schema, decoded, message)).toBe(true);
  });
});

describe("the JSON form REST clients see", () => {
  it("keeps money as exact decimal strings and 64-bit ids as strings", () => {
    const [, schema, message] = samples.find(([name]) => name === "account")!;
    const json = toJson(schema, message) as { account: Record<string, unknown> };
    expect(json.account).toMatchObject({
      accountId: "9007199254740993",
      balance: "-12.50",
      currency: "USD",
      accountType: "ACCOUNT_TYPE_CHECKING",
      status: "ACCOUNT_STATUS_ACTIVE",
      openedAt: "2026-11-24T10:15:30.123Z",
    });
  });

  it("keeps an amount beyond a double's precision exact", () => {
    const [, schema, message] = samples.find(([name]) => name === "insights")!;
    const json = toJson(schema, message) as { dailyBranchSummaries: Array<Record<string, unknown>> };
    expect(json.dailyBranchSummaries[0]).toMatchObject({
      totalVolume: "99999999999999.99",
      totalTransactions: "12",
    });
  });
});
