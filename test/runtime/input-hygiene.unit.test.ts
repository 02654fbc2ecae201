// The runtime's input hygiene on the contracts' own messages: which text fields hold a forbidden
// code point (services/runtime/interceptors.ts), and which REST query parameters repeat a path id.
import { create } from "@bufbuild/protobuf";
import {
  CreateCustomerRequestSchema,
  VerifyCustomerKycRequestSchema,
} from "../../gen/ts/fidalex/account/v1/customer_service_pb.js";
import { AccountService } from "../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { RegisterRequestSchema } from "../../gen/ts/fidalex/auth/v1/auth_service_pb.js";
import { StartConversationRequestSchema } from "../../gen/ts/fidalex/chatbot/v1/chatbot_service_pb.js";
import { TransactionService } from "../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import {
  numericEnumsInQuery,
  pathFieldsRepeatedInQuery,
  textViolations,
} from "../../services/runtime/interceptors.js";

test("a NUL or another forbidden code point is found at any depth, named by its path", () => {
  const customer = create(CreateCustomerRequestSchema, {
    firstName: "Ada\u0000",
    lastName: "Love\u001blace",
    address: { line1: "1 Way", city: "Lon\uffffdon", country: "GB" },
  });
  expect(textViolations(CreateCustomerRequestSchema, customer)).toEqual([
    "first_name",
    "last_name",
    "address.city",
  ]);
  const kyc = create(VerifyCustomerKycRequestSchema, {
    comment: "ok",
    documents: ["passport", "id\u0085card"],
  });
  expect(textViolations(VerifyCustomerKycRequestSchema, kyc)).toEqual(["documents[1]"]);
  const chat = create(StartConversationRequestSchema, {
    metadata: { device: "web", nested: { bad: "\ud800" } },
  });
  expect(textViolations(StartConversationRequestSchema, chat)).toEqual(['metadata["nested"]["bad"]']);
});

test("tab, line feed, carriage return and any other text are allowed", () => {
  const ok = create(RegisterRequestSchema, {
    username: "ada",
    fullName: "Ada\tLovelace\r\n Zürich 東京 😀 \u00a0",
    email: "ada@example.com",
  });
  expect(textViolations(RegisterRequestSchema, ok)).toEqual([]);
});

test("a query parameter that repeats a path-bound field is found, in either spelling", () => {
  const method = AccountService.method.getAccountBalance;
  expect(pathFieldsRepeatedInQuery(method, "/accounts/266/balance?accountId=269")).toEqual(["account_id"]);
  expect(pathFieldsRepeatedInQuery(method, "/accounts/266/balance?account_id=266")).toEqual(["account_id"]);
  expect(pathFieldsRepeatedInQuery(method, "/accounts/266/balance")).toEqual([]);
  expect(pathFieldsRepeatedInQuery(method, "/accounts/266/balance?pageSize=2")).toEqual([]);
});

test("an enum given by number in a REST query is found; by name it is not", () => {
  const method = TransactionService.method.searchTransactions;
  expect(numericEnumsInQuery(method, "/transactions?transactionType=0&status=2")).toEqual([
    "transaction_type",
    "status",
  ]);
  expect(numericEnumsInQuery(method, "/transactions?status=TRANSACTION_STATUS_SUCCESS&accountId=5")).toEqual(
    [],
  );
});
