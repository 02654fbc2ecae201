// Server interceptors every service installs, outermost first: error translation, then request
// validation against the contract's protovalidate rules.
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { createRegistry } from "@bufbuild/protobuf";
import { createValidator } from "@bufbuild/protovalidate";
import {
  CheckIntegrityConstraintViolationError,
  ForeignKeyIntegrityConstraintViolationError,
  NotFoundError,
  NotNullIntegrityConstraintViolationError,
  StatementCancelledError,
  StatementTimeoutError,
  UniqueIntegrityConstraintViolationError,
} from "slonik";
import { pathToString } from "@bufbuild/protobuf/reflect";
import { file_fidalex_type_v1_rules } from "../../gen/ts/fidalex/type/v1/rules_pb.js";
import { invalidArgument } from "./errors.js";
import type { Logger } from "./logger.js";

/**
 * Turns any error into a ConnectError with a canonical code: our own ConnectErrors pass through;
 * database errors map to the code their meaning implies; anything else becomes INTERNAL with a
 * generic message. The cause is logged and never sent to the client (no SQL, no stack).
 */
export function toConnectError(error: unknown): ConnectError {
  if (error instanceof ConnectError) return error;
  if (error instanceof UniqueIntegrityConstraintViolationError) {
    return new ConnectError("the resource already exists", Code.AlreadyExists);
  }
  if (error instanceof NotFoundError) {
    return new ConnectError("the resource was not found", Code.NotFound);
  }
  if (
    error instanceof ForeignKeyIntegrityConstraintViolationError ||
    error instanceof CheckIntegrityConstraintViolationError ||
    error instanceof NotNullIntegrityConstraintViolationError
  ) {
    return new ConnectError("the request conflicts with the current state", Code.FailedPrecondition);
  }
  if (error instanceof StatementTimeoutError || error instanceof StatementCancelledError) {
    return new ConnectError("the operation took too long", Code.DeadlineExceeded);
  }
  return new ConnectError("internal error", Code.Internal);
}

/** Logs each failed call once, with its cause, and sends the client only the translated error. */
export function createErrorInterceptor(logger: Logger): Interceptor {
  return (next) => async (req) => {
    try {
      return await next(req);
    } catch (error) {
      const connectError = toConnectError(error);
      const fields = { procedure: req.url, code: Code[connectError.code] };
      if (connectError.code === Code.Internal || connectError.code === Code.Unknown) {
        logger.error({ ...fields, err: error }, "call failed");
      } else {
        logger.info({ ...fields, message: connectError.rawMessage }, "call refused");
      }
      throw connectError;
    }
  };
}

/**
 * Validates every unary request message against the protovalidate rules in the contract and
 * refuses an invalid one with INVALID_ARGUMENT naming each offending field. The contracts' shared
 * predefined rules (fidalex.type.v1) are extensions, which the validator must be given.
 */
export function createValidationInterceptor(): Interceptor {
  const validator = createValidator({ registry: createRegistry(file_fidalex_type_v1_rules) });
  return (next) => async (req) => {
    if (!req.stream) {
      const result = validator.validate(req.method.input, req.message);
      if (result.kind === "invalid") {
        throw invalidArgument(
          result.violations.map((v) => ({ field: pathToString(v.field), description: v.message })),
        );
      }
      if (result.kind === "error") {
        throw new ConnectError(
          "request validation failed",
          Code.Internal,
          undefined,
          undefined,
          result.error,
        );
      }
    }
    return next(req);
  };
}
