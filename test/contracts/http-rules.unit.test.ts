// The REST surface Envoy transcodes: every endpoint of the specification, and the endpoints the
// contract adds, map to exactly one RPC of the descriptor set that Envoy loads.
import { MethodOptions_IdempotencyLevel } from "@bufbuild/protobuf/wkt";
import type { DescMethod, FileRegistry } from "@bufbuild/protobuf";
import {
  fidalexServices,
  httpBindings,
  loadRegistry,
  normalizePath,
  pathVariables,
  type HttpBinding,
} from "./descriptor-set.js";
import { parseEndpoint, specEndpoints, specEndpointsFromSpecFile } from "./spec-endpoints.js";

/** Endpoints the specification implies but does not list, with the RPC each must reach. */
const addedEndpoints: ReadonlyArray<[string, string]> = [
  ["POST /transactions/deposit", "fidalex.transaction.v1.TransactionService.Deposit"],
  ["POST /transactions/withdrawal", "fidalex.transaction.v1.TransactionService.Withdraw"],
  [
    "POST /transactions/{transaction_id}/reverse",
    "fidalex.transaction.v1.TransactionService.ReverseTransaction",
  ],
  ["POST /auth/password-reset/request", "fidalex.auth.v1.AuthService.RequestPasswordReset"],
  ["POST /auth/password-reset/confirm", "fidalex.auth.v1.AuthService.ConfirmPasswordReset"],
  ["PUT /accounts/{account_id}/settings", "fidalex.account.v1.AccountService.UpdateAccountSettings"],
  ["POST /loans/applications/{application_id}/decision", "fidalex.loan.v1.LoanService.DecideLoanApplication"],
  ["POST /customers/{customer_id}/kyc", "fidalex.account.v1.CustomerService.VerifyCustomerKyc"],
  ["GET /.well-known/jwks.json", "fidalex.auth.v1.AuthService.GetJwks"],
  ["POST /auth/users/{user_id}/roles", "fidalex.auth.v1.AuthService.AssignRole"],
  ["DELETE /auth/users/{user_id}/roles/{role}", "fidalex.auth.v1.AuthService.RevokeRole"],
  ["GET /customers/{customer_id}/accounts", "fidalex.account.v1.AccountService.ListCustomerAccounts"],
  ["GET /accounts/{account_id}/logs", "fidalex.account.v1.AccountService.ListAccountLogs"],
  ["GET /branches", "fidalex.account.v1.AccountService.ListBranches"],
  [
    "POST /accounts/{account_id}/settings/approvals/{approval_id}/approve",
    "fidalex.account.v1.AccountService.ApproveSettingsChange",
  ],
  [
    "POST /accounts/{account_id}/settings/approvals/{approval_id}/reject",
    "fidalex.account.v1.AccountService.RejectSettingsChange",
  ],
  [
    "POST /transactions/approvals/{approval_id}/approve",
    "fidalex.transaction.v1.TransactionService.ApproveCashMovement",
  ],
  [
    "POST /transactions/approvals/{approval_id}/reject",
    "fidalex.transaction.v1.TransactionService.RejectCashMovement",
  ],
];

/** Services that only other services call: they must have no REST binding at all. */
const internalServices = [
  "fidalex.account.v1.PostingService",
  "fidalex.auth.v1.CustomerLinkService",
  "fidalex.auth.v1.ServiceTokenService",
];

const methodName = (method: DescMethod) => `${method.parent.typeName}.${method.name}`;

describe("REST bindings in the descriptor set Envoy loads", () => {
  let registry: FileRegistry;
  let bindings: HttpBinding[];

  beforeAll(() => {
    registry = loadRegistry();
    bindings = fidalexServices(registry).flatMap((service) => service.methods.flatMap(httpBindings));
  });

  const matching = (verb: string, path: string) =>
    bindings.filter((b) => b.verb === verb && normalizePath(b.path) === normalizePath(path));

  it("lists the same 43 endpoints as the specification's table", () => {
    expect(specEndpoints).toHaveLength(43);
    const fromSpec = specEndpointsFromSpecFile();
    if (fromSpec === undefined) {
      console.warn("shared/spec is not beside this checkout; checked against the copied list only");
      return;
    }
    expect(fromSpec).toEqual(specEndpoints);
  });

  it.each(specEndpoints.map((line) => [line]))("maps %s to exactly one RPC", (line) => {
    const endpoint = parseEndpoint(line);
    const found = matching(endpoint.verb, endpoint.path);
    expect(found.map((b) => methodName(b.method))).toHaveLength(1);
    const binding = found[0]!;
    // The specification's query filters are fields of the request, which the transcoder fills
    // from the query string.
    const fields = binding.method.input.fields.map((f) => f.name);
    for (const param of endpoint.query) {
      expect(fields).toContain(param);
    }
  });

  it.each(addedEndpoints.map(([line, rpc]) => [line, rpc]))("maps the added %s to %s", (line, rpc) => {
    const endpoint = parseEndpoint(line);
    const found = matching(endpoint.verb, endpoint.path);
    expect(found.map((b) => methodName(b.method))).toEqual([rpc]);
  });

  it("filters transaction searches by the range the specification implies", () => {
    const [search] = matching("GET", "/transactions");
    expect(search!.method.input.fields.map((f) => f.name)).toEqual(
      expect.arrayContaining(["status", "date_from", "date_to", "page_size", "page_token"]),
    );
  });

  it("binds no (verb, path) pair to two RPCs", () => {
    const keys = bindings.map((b) => `${b.verb} ${normalizePath(b.path)}`);
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
  });

  it("binds every public RPC, and no internal one", () => {
    for (const service of fidalexServices(registry)) {
      const internal = internalServices.includes(service.typeName);
      for (const method of service.methods) {
        expect([methodName(method), httpBindings(method).length > 0]).toEqual([
          methodName(method),
          !internal,
        ]);
      }
    }
    for (const name of internalServices) {
      expect(registry.getService(name)).toBeDefined();
    }
  });

  it("names every path variable after a field of the request, and keeps GET and DELETE bodiless", () => {
    for (const binding of bindings) {
      const fields = binding.method.input.fields.map((f) => f.name);
      for (const variable of pathVariables(binding.path)) {
        expect([binding.path, fields.includes(variable)]).toEqual([binding.path, true]);
      }
      const expectedBody = binding.verb === "GET" || binding.verb === "DELETE" ? "" : "*";
      expect([binding.path, binding.body]).toEqual([binding.path, expectedBody]);
    }
  });

  it("marks every GET as free of side effects, so Connect clients may use HTTP GET too", () => {
    for (const binding of bindings.filter((b) => b.verb === "GET")) {
      expect([methodName(binding.method), binding.method.idempotency]).toEqual([
        methodName(binding.method),
        MethodOptions_IdempotencyLevel.NO_SIDE_EFFECTS,
      ]);
    }
  });

  it("pages every list: page_size and page_token in, next_page_token out", () => {
    const lists = fidalexServices(registry)
      .flatMap((s) => s.methods)
      .filter((m) => /^(List|Search)/.test(m.name));
    expect(lists.length).toBeGreaterThan(10);
    for (const method of lists) {
      const input = method.input.fields.map((f) => f.name);
      const output = method.output.fields.map((f) => f.name);
      expect([methodName(method), input, output]).toEqual([
        methodName(method),
        expect.arrayContaining(["page_size", "page_token"]),
        expect.arrayContaining(["next_page_token"]),
      ]);
    }
  });
});
