// Keyset pages of query results: ask the database for one row more than the page holds; if it
// comes back there is a next page, whose token carries the sort key of this page's last row.
import { Code } from "@connectrpc/connect";
import { domainError } from "../runtime/errors.js";
import { decodePageToken, encodePageToken } from "../runtime/pagination.js";

/** A page of items and the token of the next page ("" when there is none). */
export interface Page<T> {
  items: T[];
  nextPageToken: string;
}

/** Cuts the limit+1 rows a query returned into a page. */
export function toPage<T>(
  rows: readonly T[],
  limit: number,
  keyOf: (row: T) => Record<string, string>,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextPageToken: rows.length > limit && last ? encodePageToken(keyOf(last)) : "" };
}

/**
 * Decodes a page token and checks each field against its pattern; a token this RPC did not issue
 * is INVALID_ARGUMENT (INVALID_PAGE_TOKEN).
 */
export function readPageToken<K extends string>(
  token: string,
  fields: Record<K, RegExp>,
): Record<K, string> | undefined {
  const names = Object.keys(fields) as K[];
  const key = decodePageToken(token, names);
  if (key && names.some((name) => !fields[name].test(key[name]))) {
    throw domainError(
      Code.InvalidArgument,
      "INVALID_PAGE_TOKEN",
      "page_token is not a token this list issued",
    );
  }
  return key;
}

/** Token field patterns. */
export const tokenPatterns = {
  day: /^\d{4}-\d{2}-\d{2}$/,
  id: /^\d{1,19}$/,
  currency: /^[A-Z]{3}$/,
};
