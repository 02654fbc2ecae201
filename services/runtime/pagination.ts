// Keyset pagination: page sizes clamped to the contract's limits, and opaque page tokens that
// carry the last row's sort key.
import { Code } from "@connectrpc/connect";
import { domainError } from "./errors.js";

/** The page size when a request leaves page_size at 0. */
export const defaultPageSize = 50;
/** The largest page a request may get; larger requests are capped, not refused. */
export const maxPageSize = 500;

/** The number of rows to return for a requested page_size (0 = default, capped at the maximum). */
export function pageSize(requested: number): number {
  return requested <= 0 ? defaultPageSize : Math.min(requested, maxPageSize);
}

/** Encodes the sort key of a page's last row into an opaque token. */
export function encodePageToken(key: Record<string, string>): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

/**
 * Decodes a page token into its sort key, checking it carries exactly the expected fields;
 * an empty token is the first page (undefined). A malformed token is INVALID_ARGUMENT.
 */
export function decodePageToken<K extends string>(token: string, fields: K[]): Record<K, string> | undefined {
  if (token === "") return undefined;
  try {
    const key = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Record<string, unknown>;
    if (fields.every((f) => typeof key[f] === "string") && Object.keys(key).length === fields.length) {
      return key as Record<K, string>;
    }
  } catch {
    // fall through to the error below
  }
  throw domainError(Code.InvalidArgument, "INVALID_PAGE_TOKEN", "page_token is not a token this list issued");
}
