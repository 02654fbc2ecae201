// The password policy of registration and password reset, beyond the contract's length rule: enough
// variety that the password is not trivially guessed, and nothing taken from the user's identity
// or the bank's name (NIST SP 800-63B's "context-specific words").
import { Code, ConnectError } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import {
  BadRequest_FieldViolationSchema,
  BadRequestSchema,
  ErrorInfoSchema,
} from "../../../gen/ts/google/rpc/error_details_pb.js";
import { errorDomain } from "../../runtime/errors.js";

/** Fewest characters a password may have (the contract's rule too). */
export const minimumPasswordLength = 12;
/** Most characters a password may have, so hashing cost stays bounded. */
export const maximumPasswordLength = 128;

const characterClasses: Array<{ name: string; pattern: RegExp }> = [
  { name: "lower-case letters", pattern: /\p{Ll}/u },
  { name: "upper-case letters", pattern: /\p{Lu}/u },
  { name: "digits", pattern: /\p{Nd}/u },
  { name: "symbols", pattern: /[^\p{Ll}\p{Lu}\p{Nd}]/u },
];

/** Words no password may contain, whatever their case. */
const contextWords = ["fidalex", "password", "qwerty"];

/** Whose password it is: the policy refuses passwords that contain these. */
export interface PasswordOwner {
  username: string;
  email: string;
}

/**
 * The reasons the policy refuses a password, each a short sentence for the user; empty when the
 * password is acceptable.
 */
export function passwordProblems(password: string, owner: PasswordOwner): string[] {
  const problems: string[] = [];
  const length = [...password].length;
  if (length < minimumPasswordLength || length > maximumPasswordLength) {
    problems.push(`must be ${minimumPasswordLength} to ${maximumPasswordLength} characters long`);
  }
  const classes = characterClasses.filter((c) => c.pattern.test(password));
  if (classes.length < 3) {
    problems.push(`must mix at least 3 of: ${characterClasses.map((c) => c.name).join(", ")}`);
  }
  const lower = password.toLowerCase();
  const localPart = owner.email.split("@")[0] ?? "";
  for (const [what, value] of [
    ["username", owner.username],
    ["email address", localPart],
  ] as const) {
    if (value.length >= 3 && lower.includes(value.toLowerCase()))
      problems.push(`must not contain the ${what}`);
  }
  for (const word of contextWords) {
    if (lower.includes(word)) problems.push(`must not contain the word "${word}"`);
  }
  if (/(.)\1{3,}/u.test(password)) problems.push("must not repeat a character more than 3 times in a row");
  return problems;
}

/**
 * INVALID_ARGUMENT with reason WEAK_PASSWORD, naming the field and the policy's objections (never
 * the password).
 */
export function weakPasswordError(field: string, problems: string[]): ConnectError {
  const description = problems.join("; ");
  return new ConnectError(`${field}: ${description}`, Code.InvalidArgument, undefined, [
    {
      desc: BadRequestSchema,
      value: create(BadRequestSchema, {
        fieldViolations: [create(BadRequest_FieldViolationSchema, { field, description })],
      }),
    },
    { desc: ErrorInfoSchema, value: { reason: "WEAK_PASSWORD", domain: errorDomain, metadata: { field } } },
  ]);
}

/** Throws WEAK_PASSWORD when the policy refuses the password. */
export function assertPasswordAcceptable(field: string, password: string, owner: PasswordOwner): void {
  const problems = passwordProblems(password, owner);
  if (problems.length > 0) throw weakPasswordError(field, problems);
}
