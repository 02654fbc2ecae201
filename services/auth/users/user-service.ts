// Business rules for users: registration under the password policy, and the one row → message
// mapper every RPC that returns a user goes through.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Role, UserSchema, type User } from "../../../gen/ts/fidalex/auth/v1/user_pb.js";
import type { RoleName } from "../../runtime/auth.js";
import type { CommonQueryMethods } from "../../runtime/database.js";
import { assertPasswordAcceptable } from "../passwords/password-policy.js";
import type { PasswordHasher } from "../passwords/password-hasher.js";
import { grantRole, type UserRoleName } from "../roles/role-repository.js";
import { findUserById, insertUser, type NewUser, type UserRow } from "./user-repository.js";

const roleOfName: Record<string, Role> = { CUSTOMER: Role.CUSTOMER, TELLER: Role.TELLER, ADMIN: Role.ADMIN };
const nameOfRole = new Map<Role, UserRoleName>([
  [Role.CUSTOMER, "CUSTOMER"],
  [Role.TELLER, "TELLER"],
  [Role.ADMIN, "ADMIN"],
]);

/** The roles table's name of a contract role (the contract's validation excludes UNSPECIFIED). */
export function roleNameOf(role: Role): UserRoleName {
  const name = nameOfRole.get(role);
  if (!name) throw new Error(`no role name for ${role}`);
  return name;
}

/** The roles a user row grants, as token claims name them. */
export function tokenRolesOf(row: UserRow): RoleName[] {
  return row.roles.filter((r): r is UserRoleName => r in roleOfName);
}

/** The contract's User for a row; the password hash is never part of it. */
export function toUserMessage(row: UserRow): User {
  return create(UserSchema, {
    userId: row.user_id,
    username: row.username,
    email: row.email,
    fullName: row.full_name ?? "",
    phoneNumber: row.phone_number ?? "",
    isActive: row.is_active,
    roles: row.roles.flatMap((name) => (name in roleOfName ? [roleOfName[name]!] : [])),
    customerId: row.customer_id ?? 0n,
    createdAt: timestampFromDate(row.created_at),
    updatedAt: timestampFromDate(row.updated_at),
  });
}

/** A registration that passed the policy, with its password already hashed. */
export type CheckedRegistration = NewUser;

/** Registration of new users. */
export interface UserService {
  /**
   * Applies the password policy (WEAK_PASSWORD) and hashes the password; done before the
   * transaction, so no connection is held while argon2 works.
   */
  checkRegistration(input: {
    username: string;
    email: string;
    password: string;
    fullName: string;
    phoneNumber: string;
  }): Promise<CheckedRegistration>;
  /** Inserts the user with the CUSTOMER role; a taken username or email is a unique violation. */
  register(tx: CommonQueryMethods, registration: CheckedRegistration): Promise<UserRow>;
}

/** Creates the user service. */
export function createUserService(deps: { hasher: PasswordHasher }): UserService {
  return {
    async checkRegistration(input) {
      assertPasswordAcceptable("password", input.password, input);
      return {
        username: input.username,
        email: input.email,
        passwordHash: await deps.hasher.hash(input.password),
        fullName: input.fullName || null,
        phoneNumber: input.phoneNumber || null,
      };
    },
    async register(tx, registration) {
      const userId = await insertUser(tx, registration);
      await grantRole(tx, userId, "CUSTOMER");
      return (await findUserById(tx, userId))!;
    },
  };
}
