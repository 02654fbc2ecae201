// SQL for users: every function takes the connection (pool or transaction) first.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";

/** A user as the service reads it, with the names of the roles it holds (ordered by role id). */
export const userRow = z.object({
  user_id: z.bigint(),
  username: z.string(),
  email: z.string(),
  full_name: z.string().nullable(),
  phone_number: z.string().nullable(),
  is_active: z.boolean(),
  customer_id: z.bigint().nullable(),
  token_version: z.number(),
  roles: z.array(z.string()),
  created_at: z.date(),
  updated_at: z.date(),
});
export type UserRow = z.infer<typeof userRow>;

/** A user with the password hash, read only to check a login. */
const credentialsRow = userRow.extend({ password_hash: z.string() });
export type CredentialsRow = z.infer<typeof credentialsRow>;

const userColumns = sql.fragment`
  u.user_id, u.username, u.email, u.full_name, u.phone_number, u.is_active, u.customer_id,
  u.token_version, u.created_at, u.updated_at,
  ARRAY(
    SELECT r.role_name::text FROM user_roles ur JOIN roles r ON r.role_id = ur.role_id
    WHERE ur.user_id = u.user_id ORDER BY r.role_id
  ) AS roles`;

/** What a new user row holds. */
export interface NewUser {
  username: string;
  email: string;
  passwordHash: string;
  fullName: string | null;
  phoneNumber: string | null;
}

/** Inserts a user and returns its id; a taken username or email is a unique violation. */
export function insertUser(conn: CommonQueryMethods, user: NewUser): Promise<bigint> {
  return conn.oneFirst(sql.type(z.object({ user_id: z.bigint() }))`
    INSERT INTO users (username, email, password_hash, full_name, phone_number)
    VALUES (${user.username}, ${user.email}, ${user.passwordHash}, ${user.fullName}, ${user.phoneNumber})
    RETURNING user_id`);
}

/** The user with the id, or null. */
export function findUserById(conn: CommonQueryMethods, userId: bigint): Promise<UserRow | null> {
  return conn.maybeOne(sql.type(userRow)`SELECT ${userColumns} FROM users u WHERE u.user_id = ${userId}`);
}

/** The user with the id, locked until the transaction ends (for changes that depend on its state). */
export function lockUserById(conn: CommonQueryMethods, userId: bigint): Promise<UserRow | null> {
  return conn.maybeOne(
    sql.type(userRow)`SELECT ${userColumns} FROM users u WHERE u.user_id = ${userId} FOR NO KEY UPDATE OF u`,
  );
}

/** The user and password hash for a username, matched regardless of case, or null. */
export function findCredentialsByUsername(
  conn: CommonQueryMethods,
  username: string,
): Promise<CredentialsRow | null> {
  return conn.maybeOne(sql.type(credentialsRow)`
    SELECT ${userColumns}, u.password_hash FROM users u WHERE lower(u.username) = lower(${username})`);
}

/** The user with an email address, matched regardless of case, or null. */
export function findUserByEmail(conn: CommonQueryMethods, email: string): Promise<UserRow | null> {
  return conn.maybeOne(
    sql.type(userRow)`SELECT ${userColumns} FROM users u WHERE lower(u.email) = lower(${email})`,
  );
}

/** Replaces a user's password hash. */
export async function updatePasswordHash(conn: CommonQueryMethods, userId: bigint, passwordHash: string) {
  await conn.query(sql.unsafe`
    UPDATE users SET password_hash = ${passwordHash}, updated_at = NOW() WHERE user_id = ${userId}`);
}

/** Sets the customer a user is linked to; linking a customer twice is a unique violation. */
export async function setCustomerId(conn: CommonQueryMethods, userId: bigint, customerId: bigint) {
  await conn.query(sql.unsafe`
    UPDATE users SET customer_id = ${customerId}, updated_at = NOW() WHERE user_id = ${userId}`);
}

/**
 * Raises the user's token version, so that every access token issued before is revoked once the
 * new version is published; returns it, or null when no user has the id.
 */
export function raiseTokenVersion(conn: CommonQueryMethods, userId: bigint): Promise<number | null> {
  return conn.maybeOneFirst(sql.type(z.object({ token_version: z.number() }))`
    UPDATE users SET token_version = token_version + 1 WHERE user_id = ${userId} RETURNING token_version`);
}
