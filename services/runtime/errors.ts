// One error type at the service boundary: ConnectError with a canonical code, plus a
// google.rpc.ErrorInfo reason where a client must tell cases apart.
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  BadRequest_FieldViolationSchema,
  BadRequestSchema,
  ErrorInfoSchema,
} from "../../gen/ts/google/rpc/error_details_pb.js";

/** The ErrorInfo domain of every error our services raise. */
export const errorDomain = "fidalex.bank";

/**
 * Creates a client-facing error with a canonical code and an UPPER_SNAKE reason (ErrorInfo) that
 * a client can branch on, e.g. `domainError(Code.FailedPrecondition, "INSUFFICIENT_FUNDS", "...")`.
 */
export function domainError(
  code: Code,
  reason: string,
  message: string,
  metadata: Record<string, string> = {},
): ConnectError {
  return new ConnectError(message, code, undefined, [
    { desc: ErrorInfoSchema, value: { reason, domain: errorDomain, metadata } },
  ]);
}

/** Creates an INVALID_ARGUMENT error naming the offending fields (google.rpc.BadRequest). */
export function invalidArgument(violations: Array<{ field: string; description: string }>): ConnectError {
  const message = violations
    .map((v) => (v.field ? `${v.field}: ${v.description}` : v.description))
    .join("; ");
  return new ConnectError(message || "invalid request", Code.InvalidArgument, undefined, [
    {
      desc: BadRequestSchema,
      value: create(BadRequestSchema, {
        fieldViolations: violations.map((v) => create(BadRequest_FieldViolationSchema, v)),
      }),
    },
    { desc: ErrorInfoSchema, value: { reason: "INVALID_ARGUMENT", domain: errorDomain, metadata: {} } },
  ]);
}

/** Returns the ErrorInfo reason of an error, or undefined when it carries none. */
export function errorReason(error: unknown): string | undefined {
  if (!(error instanceof ConnectError)) return undefined;
  return error.findDetails(ErrorInfoSchema)[0]?.reason;
}
