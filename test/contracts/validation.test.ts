// The validation rules written into the contracts, as the services enforce them: every request is
// checked by createValidationInterceptor, the one validator of the mesh, so these tests call it.
import { create } from "@bufbuild/protobuf";
import type { DescMessage, Message } from "@bufbuild/protobuf";
import { Code, ConnectError, type UnaryRequest, type UnaryResponse } from "@connectrpc/connect";
import { createValidationInterceptor } from "../../services/runtime/interceptors.js";
import { BadRequestSchema } from "../../gen/ts/google/rpc/error_details_pb.js";
import { TransferRequestSchema } from "../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { RegisterRequestSchema } from "../../gen/ts/fidalex/auth/v1/auth_service_pb.js";
import { ListAccountTransactionsRequestSchema } from "../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { OpenAccountRequestSchema } from "../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { AccountType } from "../../gen/ts/fidalex/account/v1/account_pb.js";
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

const transfer = (amount: string, currency = "USD", to = 2n) =>
  create(TransferRequestSchema, {
    fromAccountId: 1n,
    toAccountId: to,
    amount,
    currency,
    idempotencyKey: "transfer-0001",
  });

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

describe("money in requests", () => {
  it.each(["0.01", "0.10", "1", "250.00", "9999999999999999.99"])("accepts the amount %s", async (amount) => {
    expect(await violations(TransferRequestSchema, transfer(amount))).toEqual([]);
  });

  it.each(["0", "0.00", "-5.00", "1.005", "1e3", "12,50", "", " 1.00", "01.00", "10000000000000000.00"])(
    "refuses the amount %j",
    async (amount) => {
      expect(await refusedFields(TransferRequestSchema, transfer(amount))).toBe("amount");
    },
  );

  it.each(["usd", "US", "USDX", ""])("refuses the currency %j", async (currency) => {
    expect(await refusedFields(TransferRequestSchema, transfer("1.00", currency))).toBe("currency");
  });

  it("refuses a transfer to the account it comes from", async () => {
    expect(await violations(TransferRequestSchema, transfer("1.00", "USD", 1n))).toHaveLength(1);
  });
});

describe("other request rules", () => {
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
