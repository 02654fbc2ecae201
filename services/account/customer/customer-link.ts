// Linking a customer to its Auth user. The customer row (with the user id) commits first; then the
// Auth service's CustomerLinkService.LinkCustomer is called, which is idempotent, so any number of
// attempts is safe. A few quick attempts happen in the request that created the customer; links
// still pending after them (Auth unreachable) are retried in the background with a growing delay.
// A link Auth refuses for good (unknown user, user linked to another customer) is dropped: the
// customer stays, without a user, and a customer.updated event names user_id.
import { Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { CustomerLinkService } from "../../../gen/ts/fidalex/auth/v1/customer_link_service_pb.js";
import { CustomerChangeType } from "../../../gen/ts/fidalex/events/v1/customer_updated_pb.js";
import type { DatabasePool } from "../../runtime/database.js";
import type { Logger } from "../../runtime/logger.js";
import { createPeriodicJob, type PeriodicJob } from "../../runtime/periodic-job.js";
import {
  claimDueLinks,
  dropUserLink,
  markUserLinked,
  scheduleLinkRetry,
  type CustomerRow,
} from "./customer-repository.js";
import { publishCustomerUpdated } from "./customer-service.js";

/** The Auth service's customer links, as the Account service needs them. */
export interface CustomerLinks {
  /**
   * Links the user to the customer, so that the user's next tokens carry the customer id; linking
   * the same pair again is a no-op. Fails with the ConnectError the Auth service answered.
   */
  linkCustomer(userId: bigint, customerId: bigint, signal?: AbortSignal): Promise<void>;
}

/** CustomerLinks over the Auth service's internal CustomerLinkService (needs a service token). */
export function createAuthCustomerLinks(transport: Transport): CustomerLinks {
  const client = createClient(CustomerLinkService, transport);
  return {
    async linkCustomer(userId, customerId, signal) {
      await client.linkCustomer({ userId, customerId }, { signal });
    },
  };
}

/**
 * Answers a retry cannot change: the user does not exist, is linked to another customer, or the
 * request is malformed. Everything else (Auth down, timeouts, our credentials refused while being
 * fixed) is retried.
 */
const refusals = new Set([Code.NotFound, Code.FailedPrecondition, Code.InvalidArgument, Code.AlreadyExists]);

function isRefusal(error: unknown): boolean {
  return error instanceof ConnectError && refusals.has(error.code);
}

function describe(error: unknown): string {
  if (error instanceof ConnectError) return `${Code[error.code]}: ${error.rawMessage}`;
  return error instanceof Error ? error.message : String(error);
}

/** Seconds until the next background attempt after `attempts` failed ones: 15 s doubling to 1 h. */
export function linkRetryDelaySeconds(attempts: number): number {
  return Math.min(15 * 2 ** Math.min(attempts, 10), 3_600);
}

/** What the link step needs. */
export interface CustomerLinkDeps {
  db: DatabasePool;
  customerLinks: CustomerLinks;
  logger: Logger;
}

/** The outcome of linking: made, still pending (retried later) or refused (dropped). */
export type LinkOutcome =
  { state: "LINKED" } | { state: "PENDING" } | { state: "REFUSED"; customer: CustomerRow | null };

/** Who the audit of a dropped link names. */
const linkActor = "account-service";

async function refuse(
  deps: CustomerLinkDeps,
  customerId: bigint,
  userId: bigint,
  error: unknown,
): Promise<LinkOutcome> {
  deps.logger.error(
    { customerId: String(customerId), userId: String(userId), cause: describe(error) },
    "customer link refused by the auth service (non-retryable); the customer keeps no user",
  );
  const customer = await deps.db.transaction(async (tx) => {
    const row = await dropUserLink(tx, customerId, userId, `user ${userId}: ${describe(error)}`);
    if (row) await publishCustomerUpdated(tx, row, CustomerChangeType.UPDATED, ["user_id"], linkActor);
    return row;
  });
  return { state: "REFUSED", customer };
}

/**
 * Links a committed customer to its user with up to `attempts` quick tries (each bounded by
 * `attemptTimeoutMs`), as part of the request that created the customer. A link still failing
 * with a retryable error stays pending for the background worker.
 */
export async function linkCustomerUser(
  deps: CustomerLinkDeps,
  customerId: bigint,
  userId: bigint,
  options: { signal?: AbortSignal; attempts?: number; attemptTimeoutMs?: number; backoffMs?: number } = {},
): Promise<LinkOutcome> {
  const attempts = options.attempts ?? 3;
  let lastError: unknown;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (options.signal?.aborted) break;
    const timeout = AbortSignal.timeout(options.attemptTimeoutMs ?? 2_000);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    try {
      await deps.customerLinks.linkCustomer(userId, customerId, signal);
      await markUserLinked(deps.db, customerId, userId);
      return { state: "LINKED" };
    } catch (error) {
      if (isRefusal(error)) return refuse(deps, customerId, userId, error);
      lastError = error;
      if (attempt < attempts) await sleep((options.backoffMs ?? 100) * 3 ** (attempt - 1));
    }
  }
  deps.logger.warn(
    { customerId: String(customerId), userId: String(userId), cause: describe(lastError) },
    "customer link failed (retryable); it stays pending for the background retry",
  );
  await scheduleLinkRetry(deps.db, customerId, userId, linkRetryDelaySeconds(0), describe(lastError));
  return { state: "PENDING" };
}

/** The background retry of pending customer links: a periodic job whose runs count attempts. */
export type CustomerLinkWorker = PeriodicJob<number>;

/**
 * Retries due customer links every `intervalMs` once started. Several instances may run: each
 * claims its links with a lease, so no two call Auth for one at once.
 */
export function createCustomerLinkWorker(
  deps: CustomerLinkDeps,
  options: { intervalMs: number; batchSize?: number },
): CustomerLinkWorker {
  const attemptOne = async (customerId: bigint, userId: bigint, attempts: number) => {
    try {
      await deps.customerLinks.linkCustomer(userId, customerId, AbortSignal.timeout(5_000));
      await markUserLinked(deps.db, customerId, userId);
      deps.logger.info(
        { customerId: String(customerId), userId: String(userId) },
        "pending customer link made",
      );
    } catch (error) {
      if (isRefusal(error)) {
        await refuse(deps, customerId, userId, error);
        return;
      }
      const delay = linkRetryDelaySeconds(attempts + 1);
      deps.logger.warn(
        {
          customerId: String(customerId),
          userId: String(userId),
          cause: describe(error),
          retryInSeconds: delay,
        },
        "customer link failed again (retryable)",
      );
      await scheduleLinkRetry(deps.db, customerId, userId, delay, describe(error));
    }
  };

  return createPeriodicJob({
    name: "customer link retry",
    intervalMs: options.intervalMs,
    logger: deps.logger,
    async run() {
      const due = await claimDueLinks(deps.db, options.batchSize ?? 20, 60);
      for (const link of due) await attemptOne(link.customer_id, link.user_id, link.user_link_attempts);
      return due.length;
    },
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
