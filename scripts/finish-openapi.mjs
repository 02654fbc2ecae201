// Makes the merged OpenAPI document (protoc-gen-openapiv2) a contract of the API that runs:
//   * title, version, security scheme and a stable layout (the generator names a merged document
//     after its first input file);
//   * per-route security: the routes envoy/envoy.yaml lets through without a token (its JWT rules'
//     public paths) have `security: []`;
//   * the request rules of the contracts (protovalidate: required fields, lengths, patterns, the
//     shared fidalex.type.v1 rules, ranges, enum subsets, list sizes) as schema keywords, and the
//     JSON forms the transcoder accepts for 64-bit integers and 32-bit ranges;
//   * the error answers: every error, a service's or Envoy's own (no token, no route, a body that is
//     not JSON), is a JSON google.rpc.Status (definitions.rpcStatus), listed per status code.
// Reads the descriptor set build/fidalex.binpb, which scripts/generate.sh builds first.
import { readFileSync, writeFileSync } from "node:fs";
import { createFileRegistry, fromBinary, getOption, hasOption, toJson } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";

const file = process.argv[2];
const descriptorSet = process.argv[3] ?? "build/fidalex.binpb";
const envoyConfig = new URL("../envoy/envoy.yaml", import.meta.url);
const doc = JSON.parse(readFileSync(file, "utf8"));
const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
const registry = createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(descriptorSet)));
const extension = (name) => {
  const ext = registry.getExtension(name);
  if (!ext) throw new Error(`finish-openapi: the descriptor set has no extension ${name}`);
  return ext;
};
const fieldRules = extension("buf.validate.field");
const predefined = extension("buf.validate.predefined");

doc.info = {
  title: "Fidalex Bank API",
  description:
    "REST surface of the Fidalex mesh, transcoded by Envoy to gRPC. Every route needs an access token (Authorization: Bearer; never in the URL) except the ones whose `security` is empty: registration, login, refresh, password reset, the JWKS. Request bodies are JSON (Content-Type: application/json). Every error is a JSON google.rpc.Status (`rpcStatus`) whose `code` is the gRPC code, whether a service or the edge answers it.",
  version: pkg.version,
};
doc.securityDefinitions = {
  bearer: { type: "apiKey", name: "Authorization", in: "header", description: "Bearer <access token>" },
};
doc.security = [{ bearer: [] }];
doc.consumes = ["application/json"];
doc.produces = ["application/json"];
// Services without HTTP rules are internal to the mesh; their tags would only confuse REST users.
const routed = new Set(
  Object.values(doc.paths ?? {}).flatMap((ops) => Object.values(ops).flatMap((op) => op.tags ?? [])),
);
doc.tags = (doc.tags ?? []).filter((tag) => routed.has(tag.name));

// --- public routes: the JWT rules of envoy/envoy.yaml that name a path and require nothing ------------
const publicMethods = new Set(
  [
    ...readFileSync(envoyConfig, "utf8").matchAll(
      /- match: \{ path: "\/(fidalex\.[A-Za-z0-9_.]+\/[A-Za-z0-9_]+)" \}/g,
    ),
  ].map((m) => m[1]),
);

// --- operations and their RPCs ----------------------------------------------------------------------
/** "Service_Method" (the generator's operationId) → the method descriptor. */
const methods = new Map();
for (const f of registry.files) {
  if (!f.proto.package.startsWith("fidalex.")) continue;
  for (const service of f.services) {
    for (const method of service.methods) methods.set(`${service.name}_${method.name}`, method);
  }
}
const methodOf = (operationId) => methods.get(operationId) ?? methods.get(operationId.replace(/\d+$/, ""));

// --- protovalidate rules as schema keywords -----------------------------------------------------------
const int64Kinds = new Set(["int64", "sint64", "sfixed64"]);
const uint64Kinds = new Set(["uint64", "fixed64"]);
const ranges = {
  int32: [-2147483648, 2147483647],
  sint32: [-2147483648, 2147483647],
  sfixed32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
  fixed32: [0, 4294967295],
};

/** The regular expression of a predefined string rule such as fidalex.type.v1.currency. */
function predefinedPattern(name) {
  const ext = registry.getExtension(name);
  if (!ext || !hasOption(ext, predefined)) return undefined;
  const cel = toJson(predefined.message, getOption(ext, predefined), { registry }).cel ?? [];
  for (const rule of cel) {
    const match = /this\.matches\('([^']*)'\)/.exec(rule.expression ?? "");
    if (match) return match[1];
  }
  return undefined;
}

/** A field's protovalidate rules as JSON (undefined when it has none). */
function rulesOf(field) {
  if (!hasOption(field, fieldRules)) return undefined;
  return toJson(fieldRules.message, getOption(field, fieldRules), { registry });
}

/** The scalar kind protobuf-es gives a field's value type ("int64", "string", …), or undefined. */
function scalarName(field) {
  const scalar =
    field.fieldKind === "scalar" ? field.scalar : field.fieldKind === "list" ? field.scalar : undefined;
  if (scalar === undefined) return undefined;
  return [
    "double",
    "float",
    "int64",
    "uint64",
    "int32",
    "fixed64",
    "fixed32",
    "bool",
    "string",
    "",
    "",
    "bytes",
    "uint32",
    "",
    "sfixed32",
    "sfixed64",
    "sint32",
    "sint64",
  ][scalar - 1];
}

/**
 * Text without the code points every service refuses (services/runtime/interceptors.ts): C0
 * controls but tab, LF and CR; DEL and C1 controls; the noncharacters of the Basic Multilingual
 * Plane. The pattern of every request string that has none of its own.
 */
const freeText =
  "^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\uFDD0-\\uFDEF\\uFFFE\\uFFFF]*$";

/** Applies scalar rules (string, number) to a schema or parameter `s` of a value of `kind`. */
function applyScalar(s, kind, rules, ignoreZero) {
  if (int64Kinds.has(kind) || uint64Kinds.has(kind)) {
    // proto3 JSON writes 64-bit integers as strings; the transcoder accepts digits only, in range.
    const positive = rules?.int64?.gt === "0" || rules?.uint64?.gt === "0" || rules?.int64?.gte === "1";
    const nonNegative = uint64Kinds.has(kind) || rules?.int64?.gte === "0";
    s.pattern = positive
      ? ignoreZero
        ? "^(0|[1-9][0-9]{0,17})$"
        : "^[1-9][0-9]{0,17}$"
      : nonNegative
        ? "^[0-9]{1,18}$"
        : "^-?[0-9]{1,18}$";
    return;
  }
  if (ranges[kind]) {
    const numeric = rules?.[kind] ?? {};
    let [min, max] = ranges[kind];
    if (numeric.gte !== undefined) min = Math.max(min, Number(numeric.gte));
    if (numeric.gt !== undefined) min = Math.max(min, Number(numeric.gt) + 1);
    if (numeric.lte !== undefined) max = Math.min(max, Number(numeric.lte));
    if (numeric.lt !== undefined) max = Math.min(max, Number(numeric.lt) - 1);
    if (ignoreZero && min > 0) min = 0;
    s.minimum = min;
    s.maximum = max;
    if (numeric.in) s.enum = numeric.in.map(Number);
    return;
  }
  if (kind === "double" || kind === "float") {
    const numeric = rules?.[kind] ?? {};
    if (numeric.gte !== undefined) s.minimum = Number(numeric.gte);
    if (numeric.gt !== undefined) Object.assign(s, { minimum: Number(numeric.gt), exclusiveMinimum: true });
    if (numeric.lte !== undefined) s.maximum = Number(numeric.lte);
    if (numeric.lt !== undefined) Object.assign(s, { maximum: Number(numeric.lt), exclusiveMaximum: true });
    return;
  }
  if (kind !== "string") return;
  const str = rules?.string ?? {};
  const patterns = [];
  if (str.pattern) patterns.push(str.pattern);
  for (const [key, value] of Object.entries(str)) {
    if (key.startsWith("[") && value === true) {
      const pattern = predefinedPattern(key.slice(1, -1));
      if (pattern) patterns.push(pattern);
    }
  }
  const min = str.len ?? str.minLen;
  const max = str.len ?? str.maxLen;
  if (min !== undefined && Number(min) > 0 && !ignoreZero) s.minLength = Number(min);
  if (max !== undefined) s.maxLength = Number(max);
  if (str.email) s.format = "email";
  if (str.uuid) s.format = "uuid";
  if (str.in) s.enum = ignoreZero ? ["", ...str.in] : str.in;
  if (str.const !== undefined) s.enum = [str.const];
  if (patterns.length > 0) {
    // One pattern keyword: several rules become lookaheads of one expression.
    const anchored = patterns.map((p) => (p.startsWith("^") ? p : `^(?:${p})`));
    let pattern = anchored.length === 1 ? anchored[0] : anchored.map((p) => `(?=${p.slice(1)})`).join("");
    if (anchored.length > 1) pattern = `^${pattern}`;
    s.pattern = ignoreZero ? `^$|${pattern}` : pattern;
  } else if (!s.enum && !s.format) {
    s.pattern = freeText;
  }
}

/**
 * The enum value names a field may take in a request, given its rules: never the zero value
 * (…_UNSPECIFIED means "not set", which the field's absence says), which the enum definitions keep
 * for answers.
 */
function allowedEnumNames(field, rules) {
  let allowed = field.enum.values.filter((v) => v.number !== 0);
  const rule = rules?.enum;
  if (rule?.in) allowed = allowed.filter((v) => rule.in.includes(v.number));
  if (rule?.notIn) allowed = allowed.filter((v) => !rule.notIn.includes(v.number));
  if (rule?.const !== undefined) allowed = allowed.filter((v) => v.number === rule.const);
  return allowed.map((v) => v.name);
}

/**
 * Whether a field is required in effect: a proto3 scalar without presence whose zero value (what
 * an absent property or parameter means) breaks its rules, e.g. an id that must be positive or a
 * currency that must match [A-Z]{3}.
 */
function zeroBreaksRules(s, field, rules) {
  if (field.oneof || field.proto.proto3Optional) return false;
  if (field.fieldKind === "list") return s.minItems > 0;
  if (field.fieldKind === "enum") {
    const rule = rules?.enum ?? {};
    return Boolean(rule.notIn?.includes(0) || (rule.in && !rule.in.includes(0)) || (rule.const ?? 0) !== 0);
  }
  if (field.fieldKind !== "scalar") return false;
  const kind = scalarName(field);
  const zero = int64Kinds.has(kind) || uint64Kinds.has(kind) ? "0" : kind === "string" ? "" : undefined;
  if (zero !== undefined) {
    if (s.minLength > 0 || s.format === "email") return true;
    if (s.enum && !s.enum.includes(zero)) return true;
    return s.pattern !== undefined && !new RegExp(s.pattern).test(zero);
  }
  if (ranges[kind]) return s.minimum > 0 || s.maximum < 0;
  return false;
}

const resolve = (schema) =>
  schema?.$ref ? doc.definitions[schema.$ref.replace("#/definitions/", "")] : schema;
const done = new Set();

/** Applies the rules of message `desc` to the object schema `schema` (a definition or inline). */
function applyMessage(schema, desc) {
  if (!schema || done.has(schema)) return;
  done.add(schema);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const field = desc.fields.find((f) => f.jsonName === name || f.name === name);
    if (!field) continue;
    const rules = rulesOf(field);
    const ignoreZero =
      rules?.ignore === "IGNORE_IF_ZERO_VALUE" || rules?.ignore === "IGNORE_IF_DEFAULT_VALUE";
    if (rules?.required) schema.required = [...new Set([...(schema.required ?? []), name])];
    applyField(property, field, rules, ignoreZero, (replacement) => (schema.properties[name] = replacement));
    if (zeroBreaksRules(schema.properties[name], field, rules)) {
      schema.required = [...new Set([...(schema.required ?? []), name])];
    }
  }
  // proto3 JSON reads null as "not set" (the default value): an optional property may be null.
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    if ((schema.required ?? []).includes(name)) continue;
    schema.properties[name] = property.$ref
      ? { allOf: [{ $ref: property.$ref }], "x-nullable": true, description: property.description }
      : { ...property, "x-nullable": true };
  }
}

/** Applies a field's rules to its schema (property or parameter); `replace` swaps the schema. */
function applyField(s, field, rules, ignoreZero, replace) {
  if (field.fieldKind === "message") {
    applyMessage(resolve(s), field.message);
  } else if (field.fieldKind === "list") {
    const items = s.items ?? {};
    if (rules?.repeated?.minItems !== undefined) s.minItems = Number(rules.repeated.minItems);
    if (rules?.repeated?.maxItems !== undefined) s.maxItems = Number(rules.repeated.maxItems);
    if (rules?.repeated?.unique) s.uniqueItems = true;
    if (field.listKind === "message") applyMessage(resolve(items), field.message);
    else if (field.listKind === "scalar")
      applyScalar(items, scalarName(field), rules?.repeated?.items, false);
  } else if (field.fieldKind === "enum") {
    const names = allowedEnumNames(field, rules);
    if (s.$ref) replace({ type: "string", enum: names, description: s.description });
    else s.enum = names;
  } else if (field.fieldKind === "scalar") {
    applyScalar(s, scalarName(field), rules, ignoreZero);
  }
}

/** The field a parameter names ("accountId", "filter.status"), from the request message. */
function fieldAt(desc, path) {
  let field;
  for (const part of path.split(".")) {
    field = desc?.fields.find((f) => f.jsonName === part || f.name === part);
    desc = field?.fieldKind === "message" ? field.message : undefined;
  }
  return field;
}

// --- error answers ------------------------------------------------------------------------------------
doc.definitions.rpcStatus.description =
  "google.rpc.Status, the body of every error answer: a service's (transcoded from gRPC) or the edge's own (a missing or invalid token, no such route, a body that is not JSON, a token in the URL). `code` is the gRPC status code (3 INVALID_ARGUMENT, 5 NOT_FOUND, 16 UNAUTHENTICATED, …); `details` may hold google.rpc.ErrorInfo (a `reason` to branch on) and google.rpc.BadRequest (the offending fields).";
const error = (description) => ({ description, schema: { $ref: "#/definitions/rpcStatus" } });

for (const ops of Object.values(doc.paths)) {
  for (const [verb, op] of Object.entries(ops)) {
    const method = methodOf(op.operationId);
    if (!method) throw new Error(`finish-openapi: no RPC for operation ${op.operationId}`);
    const isPublic = publicMethods.has(`${method.parent.typeName}/${method.name}`);
    if (isPublic) op.security = [];
    for (const param of op.parameters ?? []) {
      if (param.in === "body") {
        const schema = resolve(param.schema);
        const body = hasOption(method, extension("google.api.http"))
          ? toJson(extension("google.api.http").message, getOption(method, extension("google.api.http")), {
              registry,
            }).body
          : "*";
        if (body === "*" || body === undefined) {
          applyMessage(schema, method.input);
          // A body of optional fields may be left out: the transcoder reads it as {}.
          param.required = (schema?.required ?? []).length > 0;
        } else {
          const field = fieldAt(method.input, body);
          if (field) applyField(param.schema, field, rulesOf(field), false, (r) => (param.schema = r));
        }
        continue;
      }
      const field = fieldAt(method.input, param.name);
      if (!field) continue;
      const rules = rulesOf(field);
      const ignoreZero =
        rules?.ignore === "IGNORE_IF_ZERO_VALUE" || rules?.ignore === "IGNORE_IF_DEFAULT_VALUE";
      if (rules?.required) param.required = true;
      if (field.fieldKind === "list")
        applyScalar(param.items ?? {}, scalarName(field), rules?.repeated?.items, false);
      else if (field.fieldKind === "enum") {
        param.enum = allowedEnumNames(field, rules);
        // The generator's default is the zero value, which a request leaves out rather than sends.
        if (!param.enum.includes(param.default)) delete param.default;
      } else if (field.fieldKind === "scalar") applyScalar(param, scalarName(field), rules, ignoreZero);
      if (zeroBreaksRules(param, field, rules)) param.required = true;
    }
    const responses = { ...op.responses };
    responses["400"] = error(
      "INVALID_ARGUMENT (or FAILED_PRECONDITION / OUT_OF_RANGE): a field breaks the contract's rules, the JSON is malformed, a query parameter is unknown or repeats a path id, or the state does not allow the call.",
    );
    if (!isPublic) {
      responses["401"] = error(
        "UNAUTHENTICATED: no access token, or one that is not valid (the edge or a service).",
      );
      responses["403"] = error("PERMISSION_DENIED: the token's roles or owner do not allow this call.");
    }
    responses["404"] = error("NOT_FOUND: the resource does not exist or is not the caller's.");
    if (verb === "post" || verb === "put" || verb === "patch") {
      responses["415"] = error("The request body is not JSON (Content-Type must be application/json).");
    }
    responses["429"] = error("RESOURCE_EXHAUSTED: a rate limit; retry later.");
    responses["503"] = error("UNAVAILABLE: the service behind the route is not reachable; retry later.");
    op.responses = Object.fromEntries(
      Object.entries(responses).sort(([a], [b]) =>
        a === "default" ? 1 : b === "default" ? -1 : a.localeCompare(b),
      ),
    );
  }
}

writeFileSync(file, JSON.stringify(doc, null, 2) + "\n");
