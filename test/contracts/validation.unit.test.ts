// The validation rules written into the contracts, as protovalidate enforces them on requests.
import { create } from "@bufbuild/protobuf";
import { createValidator } from "@bufbuild/protovalidate";
import { TransferRequestSchema } from "../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { RegisterRequestSchema } from "../../gen/ts/fidalex/auth/v1/auth_service_pb.js";
import { ListAccountTransactionsRequestSchema } from "../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { OpenAccountRequestSchema } from "../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { AccountType } from "../../gen/ts/fidalex/account/v1/account_pb.js";

const validator = createValidator();

const transfer = (amount: string, currency = "USD", to = 2n) =>
  create(TransferRequestSchema, {
    fromAccountId: 1n,
    toAccountId: to,
    amount,
    currency,
    idempotencyKey: "transfer-0001",
  });

/** The field paths a validation names, e.g. ["amount"]. */
function violatedFields(result: ReturnType<typeof validator.validate>): string[] {
  if (result.kind !== "invalid") return [];
  return result.violations.map((v) => v.toString());
}

describe("money in requests", () => {
  it.each(["0.01", "0.10", "1", "250.00", "9999999999999999.99"])("accepts the amount %s", (amount) => {
    expect(validator.validate(TransferRequestSchema, transfer(amount)).kind).toBe("valid");
  });

  it.each(["0", "0.00", "-5.00", "1.005", "1e3", "12,50", "", " 1.00", "01.00", "10000000000000000.00"])(
    "refuses the amount %j",
    (amount) => {
      const result = validator.validate(TransferRequestSchema, transfer(amount));
      expect(result.kind).toBe("invalid");
      expect(violatedFields(result).join()).toContain("amount");
    },
  );

  it.each(["usd", "US", "USDX", ""])("refuses the currency %j", (currency) => {
    const result = validator.validate(TransferRequestSchema, transfer("1.00", currency));
    expect(violatedFields(result).join()).toContain("currency");
  });

  it("refuses a transfer to the account it comes from", () => {
    const result = validator.validate(TransferRequestSchema, transfer("1.00", "USD", 1n));
    expect(result.kind).toBe("invalid");
  });
});

describe("other request rules", () => {
  it("refuses a malformed email and a short password at registration", () => {
    const result = validator.validate(
      RegisterRequestSchema,
      create(RegisterRequestSchema, { username: "ada", email: "not-an-email", password: "short" }),
    );
    expect(violatedFields(result).join()).toMatch(/email.*password|password.*email/);
  });

  it("refuses a negative page size and a malformed date filter", () => {
    const result = validator.validate(
      ListAccountTransactionsRequestSchema,
      create(ListAccountTransactionsRequestSchema, { accountId: 1n, pageSize: -1, dateFrom: "24/11/2026" }),
    );
    const fields = violatedFields(result).join();
    expect(fields).toContain("page_size");
    expect(fields).toContain("date_from");
  });

  it("requires an account type and refuses an unknown one", () => {
    const base = { customerId: 7n, currency: "USD", branchId: 1 };
    const missing = validator.validate(OpenAccountRequestSchema, create(OpenAccountRequestSchema, base));
    expect(violatedFields(missing).join()).toContain("account_type");
    const unknown = validator.validate(
      OpenAccountRequestSchema,
      create(OpenAccountRequestSchema, { ...base, accountType: 99 as AccountType }),
    );
    expect(violatedFields(unknown).join()).toContain("account_type");
    const valid = validator.validate(
      OpenAccountRequestSchema,
      create(OpenAccountRequestSchema, { ...base, accountType: AccountType.SAVINGS }),
    );
    expect(valid.kind).toBe("valid");
  });
});
