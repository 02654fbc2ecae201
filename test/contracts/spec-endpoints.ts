// The REST endpoints of the specification's table, as our contract promises them.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** An endpoint of the specification: verb, path (variables as written there) and query filters. */
export interface SpecEndpoint {
  verb: string;
  path: string;
  query: string[];
}

/**
 * The 43 endpoints of the table at the end of shared/spec/fidalex-database-details.md, copied
 * here so that the contract test stands on its own; `specEndpointsFromSpecFile` checks the copy.
 */
export const specEndpoints: readonly string[] = [
  "POST /auth/register",
  "POST /auth/login",
  "POST /auth/refresh",
  "POST /auth/logout",
  "GET /auth/me",
  "GET /customers",
  "GET /customers/{id}",
  "POST /customers",
  "PUT /customers/{id}",
  "GET /accounts/{id}",
  "POST /accounts",
  "PUT /accounts/{id}",
  "GET /accounts/{id}/balance",
  "GET /accounts/{id}/settings",
  "POST /transactions/transfer",
  "GET /transactions/{id}",
  "GET /accounts/{id}/transactions",
  "GET /transactions?status&date_from",
  "POST /payments",
  "GET /payments/{id}",
  "GET /accounts/{id}/payments",
  "POST /payments/schedule",
  "GET /payments/scheduled/{schedule_id}",
  "DELETE /payments/schedule/{schedule_id}",
  "POST /loans/apply",
  "GET /loans/applications/{id}",
  "GET /loans/customers/{customer_id}/applications",
  "GET /loans/{loan_id}",
  "GET /loans/{loan_id}/payments",
  "POST /loans/{loan_id}/pay",
  "GET /creditscore/{customer_id}",
  "GET /creditreports/{customer_id}",
  "POST /chat/start",
  "POST /chat/message",
  "GET /chat/{conversation_id}/messages",
  "GET /intents",
  "POST /intents",
  "GET /embeddings/{text}",
  "GET /analytics/daily-summary?date",
  "GET /analytics/transactions?start&end&branch_id",
  "GET /analytics/accounts-report?date",
  "GET /analytics/loans-report?start&end",
  "GET /analytics/customers-growth?start&end",
];

/** Splits "GET /path?a&b" into its parts. */
export function parseEndpoint(line: string): SpecEndpoint {
  const [verb, target] = line.split(" ") as [string, string];
  const [path, query] = target.split("?") as [string, string | undefined];
  return { verb, path, query: query ? query.split("&") : [] };
}

/** Path of the specification when shared/ stands beside the checkout, as in CI. */
export const specFilePath = fileURLToPath(
  new URL("../../../shared/spec/fidalex-database-details.md", import.meta.url),
);

/**
 * Reads the endpoints out of the specification's table in the same "VERB /path?param&param" form,
 * or returns undefined when the specification is not beside this checkout.
 */
export function specEndpointsFromSpecFile(): string[] | undefined {
  if (!existsSync(specFilePath)) return undefined;
  const text = readFileSync(specFilePath, "utf8");
  return [...text.matchAll(/`(GET|POST|PUT|DELETE|PATCH) (\/[^`]*)`/g)].map(([, verb, target]) => {
    const [path, query] = target!.split("?") as [string, string | undefined];
    // Keep the named query parameters; "…" stands for "and more" in the specification.
    const params = (query ?? "")
      .split("&")
      .map((pair) => pair.split("=")[0]!)
      .filter((name) => name && name !== "…");
    return params.length ? `${verb} ${path}?${params.join("&")}` : `${verb} ${path}`;
  });
}
