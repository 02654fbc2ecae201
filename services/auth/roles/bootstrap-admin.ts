// The first administrator, from configuration: created at start when no user has its username,
// and otherwise left alone (its password and roles are never reset), so restarts are harmless.
import { UniqueIntegrityConstraintViolationError } from "slonik";
import type { DatabasePool } from "../../runtime/database.js";
import type { Logger } from "../../runtime/logger.js";
import type { BootstrapAdmin } from "../config.js";
import type { PasswordHasher } from "../passwords/password-hasher.js";
import { findCredentialsByUsername, insertUser } from "../users/user-repository.js";
import { grantRole } from "./role-repository.js";

/** Creates the bootstrap administrator unless its username exists; returns whether it created it. */
export async function ensureBootstrapAdmin(
  db: DatabasePool,
  hasher: PasswordHasher,
  admin: BootstrapAdmin,
  logger: Logger,
): Promise<boolean> {
  const existing = await findCredentialsByUsername(db, admin.username);
  if (existing) {
    if (!existing.is_active || !existing.roles.includes("ADMIN")) {
      logger.warn(
        { userId: String(existing.user_id) },
        "the bootstrap admin's username belongs to a user who is not an active ADMIN; left alone",
      );
    }
    return false;
  }
  const passwordHash = await hasher.hash(admin.password);
  try {
    const userId = await db.transaction(async (tx) => {
      const id = await insertUser(tx, {
        username: admin.username,
        email: admin.email,
        passwordHash,
        fullName: "Bootstrap administrator",
        phoneNumber: null,
      });
      await grantRole(tx, id, "ADMIN");
      return id;
    });
    logger.info({ userId: String(userId) }, "bootstrap admin created");
    return true;
  } catch (error) {
    if (!(error instanceof UniqueIntegrityConstraintViolationError)) throw error;
    // Another instance starting at the same time may have created it first.
    if (await findCredentialsByUsername(db, admin.username)) return false;
    throw new Error("BOOTSTRAP_ADMIN_EMAIL belongs to another user; choose another email or username", {
      cause: error,
    });
  }
}
