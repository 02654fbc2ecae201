// The services the edge (Envoy) routes to users: what gRPC reflection describes at the edge, so that
// grpcurl, buf curl and Postman work against Envoy's port without the descriptor file. Internal
// services (postings, customer links, service tokens) are not here: Envoy does not route them.
// test/e2e/edge-tools.test.ts checks this list against envoy/envoy.yaml's transcoder services.
import { getOption, hasOption, type DescService } from "@bufbuild/protobuf";
import { http } from "../../gen/ts/google/api/annotations_pb.js";
import { matchTemplate } from "./interceptors.js";
import { AccountService } from "../../gen/ts/fidalex/account/v1/account_service_pb.js";
import { CustomerService } from "../../gen/ts/fidalex/account/v1/customer_service_pb.js";
import { AuthService } from "../../gen/ts/fidalex/auth/v1/auth_service_pb.js";
import { ChatbotService } from "../../gen/ts/fidalex/chatbot/v1/chatbot_service_pb.js";
import { InsightsService } from "../../gen/ts/fidalex/insights/v1/insights_service_pb.js";
import { CreditService } from "../../gen/ts/fidalex/loan/v1/credit_service_pb.js";
import { LoanService } from "../../gen/ts/fidalex/loan/v1/loan_service_pb.js";
import { PaymentService } from "../../gen/ts/fidalex/payment/v1/payment_service_pb.js";
import { TransactionService } from "../../gen/ts/fidalex/transaction/v1/transaction_service_pb.js";
import { Health } from "../../gen/ts/grpc/health/v1/health_pb.js";

/** Every service a user can call through the edge, health included. */
export const edgeServices: readonly DescService[] = [
  AuthService,
  CustomerService,
  AccountService,
  TransactionService,
  PaymentService,
  LoanService,
  CreditService,
  ChatbotService,
  InsightsService,
  Health,
];

/**
 * The request header with which Envoy asks a service's reflection to describe the edge's services
 * rather than its own (envoy/envoy.yaml sets it on the reflection route; a client cannot do more
 * with it than read the public contract).
 */
export const edgeReflectionHeader = "x-fidalex-reflection-scope";

/** Every REST rule of the edge: verb and path template. */
const restRules = edgeServices.flatMap((service) =>
  service.methods.flatMap((method) => {
    if (!hasOption(method, http)) return [];
    const rule = getOption(method, http);
    return [rule, ...rule.additionalBindings].flatMap((binding) =>
      binding.pattern.case === undefined || binding.pattern.case === "custom"
        ? []
        : [{ verb: binding.pattern.case.toUpperCase(), template: binding.pattern.value }],
    );
  }),
);

/** The HTTP verbs the edge's REST rules allow on a path (none: no rule knows the path). */
export function restVerbsOf(path: string): string[] {
  const bare = path.split("?")[0] ?? "";
  const matches = restRules.flatMap((r) => {
    const variables = matchTemplate(r.template, bare);
    return variables ? [{ verb: r.verb, variables: variables.length }] : [];
  });
  // The most literal templates win: /loans/apply is the apply route, not GET /loans/{loan_id}.
  const fewest = Math.min(...matches.map((m) => m.variables));
  return [...new Set(matches.filter((m) => m.variables === fewest).map((m) => m.verb))].sort();
}
