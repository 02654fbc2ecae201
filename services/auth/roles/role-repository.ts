// SQL for role assignments: every function takes the connection (pool or transaction) first.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";

/** The role names of the roles table. */
export type UserRoleName = "CUSTOMER" | "TELLER" | "ADMIN";

/** Gives a user a role; returns false when the user already held it. */
export async function grantRole(
  conn: CommonQueryMethods,
  userId: bigint,
  role: UserRoleName,
): Promise<boolean> {
  const result = await conn.query(sql.unsafe`
    INSERT INTO user_roles (user_id, role_id)
    SELECT ${userId}, role_id FROM roles WHERE role_name = ${role}
    ON CONFLICT (user_id, role_id) DO NOTHING`);
  return result.rowCount > 0;
}

/** Takes a role from a user; returns false when the user did not hold it. */
export async function withdrawRole(
  conn: CommonQueryMethods,
  userId: bigint,
  role: UserRoleName,
): Promise<boolean> {
  const result = await conn.query(sql.unsafe`
    DELETE FROM user_roles
    WHERE user_id = ${userId} AND role_id = (SELECT role_id FROM roles WHERE role_name = ${role})`);
  return result.rowCount > 0;
}

/**
 * Serializes changes to who holds a role until the transaction ends, so that two administrators
 * revoking each other's ADMIN role at once cannot both pass the last-admin check.
 */
export async function lockRoleHolders(conn: CommonQueryMethods, role: UserRoleName): Promise<void> {
  await conn.query(sql.unsafe`SELECT role_id FROM roles WHERE role_name = ${role} FOR NO KEY UPDATE`);
}

/** How many active users other than the given one hold the role. */
export function countOtherActiveHolders(
  conn: CommonQueryMethods,
  role: UserRoleName,
  exceptUserId: bigint,
): Promise<number> {
  return conn.oneFirst(sql.type(z.object({ count: z.number() }))`
    SELECT count(*)::int AS count
    FROM user_roles ur
    JOIN roles r ON r.role_id = ur.role_id
    JOIN users u ON u.user_id = ur.user_id
    WHERE r.role_name = ${role} AND u.is_active AND u.user_id <> ${exceptUserId}`);
}
