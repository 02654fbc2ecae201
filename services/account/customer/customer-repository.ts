// SQL for customers: functions taking the connection (pool or transaction) first.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";

/** The address as stored: the contract's fields plus the case-folded city the city filter matches. */
export const storedAddress = z.object({
  line1: z.string(),
  line2: z.string(),
  city: z.string(),
  state: z.string(),
  postal_code: z.string(),
  country: z.string(),
  city_folded: z.string(),
});
export type StoredAddress = z.infer<typeof storedAddress>;

/** The last KYC decision as stored; verified_at is an ISO-8601 instant. */
export const storedKycMetadata = z.object({
  documents: z.array(z.string()),
  verified_by: z.string(),
  verified_at: z.string(),
  comment: z.string(),
});
export type StoredKycMetadata = z.infer<typeof storedKycMetadata>;

export const kycStatuses = ["PENDING", "VERIFIED", "REJECTED"] as const;
export type KycStatusName = (typeof kycStatuses)[number];

export const customerRow = z.object({
  customer_id: z.bigint(),
  first_name: z.string(),
  last_name: z.string(),
  date_of_birth: z.string(),
  email: z.string().nullable(),
  phone_number: z.string().nullable(),
  address: storedAddress,
  kyc_status: z.enum(kycStatuses),
  kyc_metadata: storedKycMetadata.nullable(),
  user_id: z.bigint().nullable(),
  user_linked_at: z.date().nullable(),
  created_at: z.date(),
  updated_at: z.date(),
});
export type CustomerRow = z.infer<typeof customerRow>;

const columns = sql.fragment`
  customer_id, first_name, last_name, date_of_birth, email, phone_number, address, kyc_status,
  kyc_metadata, user_id, user_linked_at, created_at, updated_at
`;

/** The editable personal data of a customer; null clears an optional field. */
export interface CustomerFields {
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  email: string | null;
  phoneNumber: string | null;
  address: StoredAddress;
}

/**
 * Inserts a customer with KYC status PENDING. With a user id the link to that user is pending
 * until Auth confirms it; the background retry starts after linkGraceSeconds, leaving the first
 * attempts to the request that created the customer.
 */
export async function insertCustomer(
  db: CommonQueryMethods,
  fields: CustomerFields & { userId: bigint | null },
  linkGraceSeconds = 30,
): Promise<CustomerRow> {
  return db.one(sql.type(customerRow)`
    INSERT INTO customers (first_name, last_name, date_of_birth, email, phone_number, address,
                           user_id, user_link_next_at)
    VALUES (${fields.firstName}, ${fields.lastName}, ${fields.dateOfBirth}::date, ${fields.email},
            ${fields.phoneNumber}, ${sql.jsonb(fields.address)}, ${fields.userId},
            CASE WHEN ${fields.userId}::bigint IS NULL THEN NULL
                 ELSE NOW() + make_interval(secs => ${linkGraceSeconds}) END)
    RETURNING ${columns}
  `);
}

/**
 * The customer with this id, or null. `forUpdate` locks the row until the transaction ends (FOR NO
 * KEY UPDATE: the columns we change are not keys, so accounts being opened for the customer,
 * whose foreign key takes a KEY SHARE lock, do not queue behind it).
 */
export async function findCustomer(
  db: CommonQueryMethods,
  customerId: bigint,
  options: { forUpdate?: boolean } = {},
): Promise<CustomerRow | null> {
  return db.maybeOne(sql.type(customerRow)`
    SELECT ${columns} FROM customers WHERE customer_id = ${customerId}
    ${options.forUpdate ? sql.fragment`FOR NO KEY UPDATE` : sql.fragment``}
  `);
}

/** Replaces a customer's editable fields. */
export async function updateCustomerFields(
  db: CommonQueryMethods,
  customerId: bigint,
  fields: CustomerFields,
): Promise<CustomerRow> {
  return db.one(sql.type(customerRow)`
    UPDATE customers
    SET first_name = ${fields.firstName}, last_name = ${fields.lastName},
        date_of_birth = ${fields.dateOfBirth}::date, email = ${fields.email},
        phone_number = ${fields.phoneNumber}, address = ${sql.jsonb(fields.address)}, updated_at = NOW()
    WHERE customer_id = ${customerId}
    RETURNING ${columns}
  `);
}

/** Records a KYC decision. */
export async function updateKyc(
  db: CommonQueryMethods,
  customerId: bigint,
  status: KycStatusName,
  metadata: StoredKycMetadata,
): Promise<CustomerRow> {
  return db.one(sql.type(customerRow)`
    UPDATE customers
    SET kyc_status = ${status}, kyc_metadata = ${sql.jsonb(metadata)}, updated_at = NOW()
    WHERE customer_id = ${customerId}
    RETURNING ${columns}
  `);
}

/** Filters of the customer list; undefined matches all. */
export interface CustomerFilter {
  kycStatus?: KycStatusName;
  /** Compared ignoring case. */
  email?: string;
  /** Already case-folded; matched against address.city_folded through the GIN index. */
  cityFolded?: string;
}

/** The query of one page of customers after a customer id, ordered by id. */
export function listCustomersQuery(filter: CustomerFilter, afterId: bigint, limit: number) {
  // The first page has no keyset condition, so that a filter's own index (e.g. the GIN index for
  // the city) is the planner's obvious choice rather than a range scan of the primary key.
  const conditions = [afterId > 0n ? sql.fragment`customer_id > ${afterId}` : sql.fragment`TRUE`];
  if (filter.kycStatus) conditions.push(sql.fragment`kyc_status = ${filter.kycStatus}`);
  if (filter.email) conditions.push(sql.fragment`lower(email) = lower(${filter.email})`);
  if (filter.cityFolded) {
    conditions.push(sql.fragment`address @> ${sql.jsonb({ city_folded: filter.cityFolded })}`);
  }
  return sql.type(customerRow)`
    SELECT ${columns} FROM customers
    WHERE ${sql.join(conditions, sql.fragment` AND `)}
    ORDER BY customer_id
    LIMIT ${limit}
  `;
}

/** One page of customers after a customer id, ordered by id. */
export async function listCustomers(
  db: CommonQueryMethods,
  filter: CustomerFilter,
  afterId: bigint,
  limit: number,
): Promise<readonly CustomerRow[]> {
  return db.any(listCustomersQuery(filter, afterId, limit));
}

/** Marks the customer's user link as confirmed by the Auth service. */
export async function markUserLinked(
  db: CommonQueryMethods,
  customerId: bigint,
  userId: bigint,
): Promise<void> {
  await db.query(sql.unsafe`
    UPDATE customers
    SET user_linked_at = NOW(), user_link_next_at = NULL, user_link_error = NULL
    WHERE customer_id = ${customerId} AND user_id = ${userId} AND user_linked_at IS NULL
  `);
}

/** Records a failed link attempt that may succeed later, and when to try again. */
export async function scheduleLinkRetry(
  db: CommonQueryMethods,
  customerId: bigint,
  userId: bigint,
  retryInSeconds: number,
  error: string,
): Promise<void> {
  await db.query(sql.unsafe`
    UPDATE customers
    SET user_link_attempts = user_link_attempts + 1,
        user_link_next_at = NOW() + make_interval(secs => ${retryInSeconds}),
        user_link_error = ${error.slice(0, 200)}
    WHERE customer_id = ${customerId} AND user_id = ${userId} AND user_linked_at IS NULL
  `);
}

/**
 * Drops a link the Auth service refused for good (unknown user, user linked elsewhere): the
 * customer stays, without a user. Returns the customer when the link was still pending.
 */
export async function dropUserLink(
  db: CommonQueryMethods,
  customerId: bigint,
  userId: bigint,
  error: string,
): Promise<CustomerRow | null> {
  return db.maybeOne(sql.type(customerRow)`
    UPDATE customers
    SET user_id = NULL, user_link_next_at = NULL, user_link_attempts = user_link_attempts + 1,
        user_link_error = ${error.slice(0, 200)}, updated_at = NOW()
    WHERE customer_id = ${customerId} AND user_id = ${userId} AND user_linked_at IS NULL
    RETURNING ${columns}
  `);
}

export const pendingLinkRow = z.object({
  customer_id: z.bigint(),
  user_id: z.bigint(),
  user_link_attempts: z.number(),
});
export type PendingLink = z.infer<typeof pendingLinkRow>;

/**
 * Claims up to `limit` links that are due for a retry: pushes their next attempt `leaseSeconds`
 * ahead, so that other instances skip them while this one calls the Auth service.
 */
export async function claimDueLinks(
  db: CommonQueryMethods,
  limit: number,
  leaseSeconds: number,
): Promise<readonly PendingLink[]> {
  return db.any(sql.type(pendingLinkRow)`
    UPDATE customers c
    SET user_link_next_at = NOW() + make_interval(secs => ${leaseSeconds})
    FROM (
      SELECT customer_id FROM customers
      WHERE user_id IS NOT NULL AND user_linked_at IS NULL AND user_link_next_at <= NOW()
      ORDER BY user_link_next_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ) due
    WHERE c.customer_id = due.customer_id
    RETURNING c.customer_id, c.user_id, c.user_link_attempts
  `);
}
