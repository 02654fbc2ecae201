// Password hashing with argon2id, and a dummy hash to verify against when a login names an unknown
// user, so that unknown users and wrong passwords take the same time to refuse.
import { randomBytes } from "node:crypto";
import * as argon2 from "argon2";

/** argon2id cost parameters (OWASP's minimum: 19 MiB, 2 iterations, 1 lane). */
export interface Argon2Parameters {
  /** Memory per hash in KiB. */
  memoryKib: number;
  /** Iterations. */
  timeCost: number;
  /** Lanes. */
  parallelism: number;
}

/** Hashes and verifies passwords with the configured argon2id parameters. */
export interface PasswordHasher {
  readonly parameters: Argon2Parameters;
  /** The PHC string (`$argon2id$v=19$m=...`) of a password. */
  hash(password: string): Promise<string>;
  /** Whether the password matches the hash; false for a malformed hash, never a throw. */
  verify(hash: string, password: string): Promise<boolean>;
  /** Verifies against a hash no password matches, taking as long as a real verification; always false. */
  verifyUnknown(password: string): Promise<false>;
  /** Whether a stored hash uses other parameters than the configured ones (re-hash on next login). */
  needsRehash(hash: string): boolean;
}

/** Creates the hasher; computing its dummy hash takes one hashing time. */
export async function createPasswordHasher(parameters: Argon2Parameters): Promise<PasswordHasher> {
  const options: argon2.HashOptions = {
    type: argon2.argon2id,
    memoryCost: parameters.memoryKib,
    timeCost: parameters.timeCost,
    parallelism: parameters.parallelism,
  };
  const hash = (password: string) => argon2.hash(password, options);
  const verify = async (digest: string, password: string) => {
    try {
      return await argon2.verify(digest, password);
    } catch {
      return false;
    }
  };
  const dummyHash = await hash(randomBytes(32).toString("base64url"));
  return {
    parameters: Object.freeze({ ...parameters }),
    hash,
    verify,
    async verifyUnknown(password) {
      await verify(dummyHash, password);
      return false;
    },
    needsRehash(digest) {
      try {
        return argon2.needsRehash(digest, options);
      } catch {
        return true;
      }
    },
  };
}
