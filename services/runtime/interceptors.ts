// Server interceptors every service installs, outermost first: error translation, then (after
// authentication) input hygiene (forbidden code points, REST paths whose query repeats a path id)
// and request validation against the contract's protovalidate rules.
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import {
  createRegistry,
  getOption,
  hasOption,
  type DescField,
  type DescMessage,
  type DescMethod,
} from "@bufbuild/protobuf";
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
import { http } from "../../gen/ts/google/api/annotations_pb.js";
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

/**
 * Code points no text field of the contract may hold: C0 controls except tab, LF and CR; DEL and
 * the C1 controls; unpaired surrogates (a JSON string can carry one, and PostgreSQL refuses it as it
 * refuses NUL); and the Unicode noncharacters (U+FDD0–U+FDEF, U+FFFE, U+FFFF and their kin in every
 * plane). A field whose own rules are stricter (a pattern, an id) says so in the contract.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const forbiddenCodePoint = /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\p{Cs}\p{Noncharacter_Code_Point}]/u;

/** What an INVALID_ARGUMENT answer says of a string with a forbidden code point. */
export const forbiddenCodePointMessage =
  "must not contain control characters (other than tab, line feed and carriage return), unpaired surrogates or noncharacters";

/**
 * The string fields (at any depth: nested messages, lists, map keys and values, oneofs) of a
 * message that hold a forbidden code point, named by their path ("address.line1", "documents[0]").
 */
export function textViolations(schema: DescMessage, message: unknown, prefix = ""): string[] {
  const out: string[] = [];
  const msg = message as Record<string, unknown>;
  const checkString = (value: unknown, path: string) => {
    if (typeof value === "string" && forbiddenCodePoint.test(value)) out.push(path);
  };
  for (const field of schema.fields) {
    let value: unknown;
    if (field.oneof) {
      const selected = msg[field.oneof.localName] as { case?: string; value?: unknown } | undefined;
      if (selected?.case !== field.localName) continue;
      value = selected.value;
    } else {
      value = msg[field.localName];
    }
    if (value === undefined || value === null) continue;
    const path = prefix + field.name;
    switch (field.fieldKind) {
      case "scalar":
        checkString(value, path);
        break;
      case "message":
        out.push(...messageViolations(field.message, value, path));
        break;
      case "list":
        (value as unknown[]).forEach((item, i) => {
          if (field.listKind === "scalar") checkString(item, `${path}[${i}]`);
          else if (field.listKind === "message")
            out.push(...messageViolations(field.message, item, `${path}[${i}]`));
        });
        break;
      case "map":
        for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
          checkString(key, `${path}[${JSON.stringify(key)}]`);
          const itemPath = `${path}[${JSON.stringify(key)}]`;
          if (field.mapKind === "scalar") checkString(item, itemPath);
          else if (field.mapKind === "message") out.push(...messageViolations(field.message, item, itemPath));
        }
        break;
      default:
        break;
    }
  }
  return out;
}

/**
 * A message field's violations. protobuf-es holds some well-known types as plain values: Struct,
 * Value and ListValue as JSON, the wrappers (StringValue, …) as the wrapped value.
 */
function messageViolations(schema: DescMessage, value: unknown, path: string): string[] {
  switch (schema.typeName) {
    case "google.protobuf.Struct":
    case "google.protobuf.Value":
    case "google.protobuf.ListValue":
      return jsonViolations(value, path);
    case "google.protobuf.StringValue":
      return typeof value === "string" && forbiddenCodePoint.test(value) ? [path] : [];
    default:
      return textViolations(schema, value, path + ".");
  }
}

/** The strings (keys included) of a JSON value that hold a forbidden code point. */
function jsonViolations(value: unknown, path: string): string[] {
  if (typeof value === "string") return forbiddenCodePoint.test(value) ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => jsonViolations(item, `${path}[${i}]`));
  if (value !== null && typeof value === "object") {
    return Object.entries(value).flatMap(([key, item]) => {
      const itemPath = `${path}[${JSON.stringify(key)}]`;
      return forbiddenCodePoint.test(key) ? [itemPath] : jsonViolations(item, itemPath);
    });
  }
  return [];
}

/**
 * Refuses, with INVALID_ARGUMENT naming each field, a request whose text holds a forbidden code
 * point (NUL above all): one rule for every field of every RPC, so that no such string reaches a
 * store (PostgreSQL refuses NUL with an error that used to surface as INTERNAL) or a log.
 */
export function createTextHygieneInterceptor(): Interceptor {
  return (next) => async (req) => {
    if (!req.stream) {
      const fields = textViolations(req.method.input, req.message);
      if (fields.length > 0) {
        throw invalidArgument(fields.map((field) => ({ field, description: forbiddenCodePointMessage })));
      }
    }
    return next(req);
  };
}

/**
 * The header in which the edge (Envoy) hands a service the original path and query of a REST call
 * it transcoded; absent for gRPC, gRPC-Web and Connect calls.
 */
export const restPathHeader = "x-fidalex-rest-path";

/** A path template's variables ("/accounts/{account_id}/balance" → account_id) if the path matches it. */
export function matchTemplate(template: string, path: string): string[] | undefined {
  const parts = template.split("/");
  const actual = path.split("/");
  if (parts.length !== actual.length) return undefined;
  const variables: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const variable = /^\{([^}=]+)(=[^}]*)?\}$/.exec(parts[i]!);
    if (variable) {
      if (actual[i] === "") return undefined;
      variables.push(variable[1]!);
    } else if (parts[i] !== actual[i]) {
      return undefined;
    }
  }
  return variables;
}

/** A field path as the transcoder accepts it in a query, compared without case and underscores. */
const fieldKey = (name: string) => name.replace(/_/g, "").toLowerCase();

/**
 * The fields of a REST call's path that its query names again, e.g. account_id for
 * `GET /accounts/266/balance?accountId=269`: the transcoder would let the query win, so the call
 * would act on another resource than its path names.
 */
export function pathFieldsRepeatedInQuery(method: DescMethod, restPath: string): string[] {
  if (!hasOption(method, http)) return [];
  const rule = getOption(method, http);
  const [path = "", query = ""] = restPath.split("?", 2);
  const queryKeys = new Set([...new URLSearchParams(query).keys()].map(fieldKey));
  if (queryKeys.size === 0) return [];
  for (const binding of [rule, ...rule.additionalBindings]) {
    if (binding.pattern.case === undefined || binding.pattern.case === "custom") continue;
    const variables = matchTemplate(binding.pattern.value, path);
    if (variables) return variables.filter((v) => queryKeys.has(fieldKey(v)));
  }
  return [];
}

/**
 * The query parameters of a REST call that give an enum field a number: the REST surface (and
 * its OpenAPI document) takes enum values by name, so "?status=2" is refused, not read as a value.
 */
export function numericEnumsInQuery(method: DescMethod, restPath: string): string[] {
  const query = restPath.split("?", 2)[1] ?? "";
  const out: string[] = [];
  for (const [key, value] of new URLSearchParams(query)) {
    let message: DescMessage | undefined = method.input;
    let field: DescField | undefined;
    for (const part of key.split(".")) {
      field = message?.fields.find((f) => fieldKey(f.name) === fieldKey(part));
      message = field?.fieldKind === "message" ? field.message : undefined;
    }
    const isEnum = field?.fieldKind === "enum" || (field?.fieldKind === "list" && field.listKind === "enum");
    if (field && isEnum && /^-?[0-9]+$/.test(value.trim())) out.push(field.name);
  }
  return out;
}

/**
 * Refuses a REST call whose query repeats a field its path binds (the path names the resource,
 * and a query parameter must not override it) or gives an enum a number, with INVALID_ARGUMENT
 * naming the field.
 */
export function createPathQueryInterceptor(): Interceptor {
  return (next) => async (req) => {
    const restPath = req.header.get(restPathHeader);
    if (restPath) {
      const violations = [
        ...pathFieldsRepeatedInQuery(req.method, restPath).map((field) => ({
          field,
          description: "is given by the path; the query must not repeat or override it",
        })),
        ...numericEnumsInQuery(req.method, restPath).map((field) => ({
          field,
          description: "must be one of the enum's names, not a number",
        })),
      ];
      if (violations.length > 0) throw invalidArgument(violations);
    }
    return next(req);
  };
}
