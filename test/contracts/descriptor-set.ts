// Loads the descriptor set that `npm run generate` builds for Envoy's transcoder, so that the
// tests check exactly what the edge will serve.
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { createFileRegistry, fromBinary, getOption, hasOption } from "@bufbuild/protobuf";
import type { DescMethod, DescService, FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { http } from "../../gen/ts/google/api/annotations_pb.js";

/** Path of the descriptor set Envoy loads. */
export const descriptorSetPath = fileURLToPath(new URL("../../build/fidalex.binpb", import.meta.url));

/** One REST binding of an RPC: its verb, its path template and the request body selector. */
export interface HttpBinding {
  verb: "GET" | "POST" | "PUT" | "DELETE" | "PATCH";
  path: string;
  body: string;
  method: DescMethod;
}

/** Reads the descriptor set into a registry. */
export function loadRegistry(): FileRegistry {
  if (!existsSync(descriptorSetPath)) {
    throw new Error(`${descriptorSetPath} is missing: run \`npm run generate\` first`);
  }
  return createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(descriptorSetPath)));
}

/** Every service of our own packages (fidalex.*) in the registry. */
export function fidalexServices(registry: FileRegistry): DescService[] {
  const services: DescService[] = [];
  for (const file of registry.files) {
    if (file.proto.package.startsWith("fidalex.")) services.push(...file.services);
  }
  return services;
}

/** The google.api.http bindings of a method, the primary rule first. */
export function httpBindings(method: DescMethod): HttpBinding[] {
  if (!hasOption(method, http)) return [];
  const primary = getOption(method, http);
  return [primary, ...primary.additionalBindings].map((rule) => {
    const pattern = rule.pattern;
    if (pattern.case === undefined || pattern.case === "custom") {
      throw new Error(`${method.toString()} has an http rule without a standard verb`);
    }
    return {
      verb: pattern.case.toUpperCase() as HttpBinding["verb"],
      path: pattern.value,
      body: rule.body,
      method,
    };
  });
}

/** A path template with every variable written as `{}`, so that `{id}` and `{account_id}` compare equal. */
export function normalizePath(path: string): string {
  return path.split("?")[0]!.replace(/\{[^}]*\}/g, "{}");
}

/** The names of the variables in a path template, e.g. `account_id` for `/accounts/{account_id}`. */
export function pathVariables(path: string): string[] {
  return [...path.matchAll(/\{([^}=]+)(=[^}]*)?\}/g)].map((m) => m[1]!);
}
