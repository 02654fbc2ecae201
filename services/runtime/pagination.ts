// Keyset pagination for every list: page sizes clamped to the contract's limits, and opaque page
// tokens that carry the sort key of a page's last row. A query asks for one row more than the
// page holds; if it comes back there is a next page.
import { Code } from "@connectrpc/connect";
import type { FragmentSqlToken } from "slonik";
import { sql } from "./database.js";
import { domainError } from "./errors.js";

/** The page size when a request leaves page_size at 0. */
export const defaultPageSize = 50;
/** The largest page a request may get; larger requests are capped, not refused. */
export const maxPageSize = 500;

/** The number of rows to return for a requested page_size (0 = default, capped at the maximum). */
export function pageSize(requested: number): number {
  return requested <= 0 ? defaultPageSize : Math.min(requested, maxPageSize);
}

/** A page of items and the token of the next page ("" when there is none). */
export interface Page<T> {
  items: readonly T[];
  nextPageToken: string;
}

/** Patterns of the values page tokens carry. */
export const tokenPatterns = {
  /** A positive 64-bit id. */
  id: /^[0-9]{1,19}$/,
  /** A signed 64-bit integer, e.g. microseconds since the epoch. */
  integer: /^-?[0-9]{1,19}$/,
  /** A calendar day, YYYY-MM-DD. */
  day: /^\d{4}-\d{2}-\d{2}$/,
  /** An ISO-4217 currency code. */
  currency: /^[A-Z]{3}$/,
};

/** Encodes the sort key of a page's last row into an opaque token. */
export function encodePageToken(key: Record<string, string>): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

function invalidPageToken() {
  return domainError(
    Code.InvalidArgument,
    "INVALID_PAGE_TOKEN",
    "page_token is not a token this list issued",
  );
}

/**
 * Decodes a page token into its sort key: exactly the given fields, each matching its pattern.
 * An empty token is the first page (undefined); anything this list did not issue is
 * INVALID_ARGUMENT (INVALID_PAGE_TOKEN).
 */
export function readPageToken<K extends string>(
  token: string,
  fields: Record<K, RegExp>,
): Record<K, string> | undefined {
  if (token === "") return undefined;
  const names = Object.keys(fields) as K[];
  let key: Record<string, unknown>;
  try {
    key = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    throw invalidPageToken();
  }
  const valid =
    key !== null &&
    typeof key === "object" &&
    Object.keys(key).length === names.length &&
    names.every((name) => typeof key[name] === "string" && fields[name].test(key[name]));
  if (!valid) throw invalidPageToken();
  return key as Record<K, string>;
}

/** Cuts the limit+1 rows a query returned into a page, with the next page's token. */
export function toPage<T>(
  rows: readonly T[],
  limit: number,
  keyOf: (row: T) => Record<string, string>,
): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextPageToken: rows.length > limit && last ? encodePageToken(keyOf(last)) : "" };
}

/** What a list request says about its page. */
export interface PageRequest {
  pageSize: number;
  pageToken: string;
}

/**
 * One page of a list in keyset order: reads the request's token (checking its fields), asks
 * `fetch` for one row more than the page holds after that key, and cuts the page.
 */
export async function fetchPage<K extends string, T>(
  request: PageRequest,
  token: Record<K, RegExp>,
  fetch: (after: Record<K, string> | undefined, limit: number) => Promise<readonly T[]>,
  keyOf: (row: T) => Record<K, string>,
): Promise<Page<T>> {
  const limit = pageSize(request.pageSize);
  const after = readPageToken(request.pageToken, token);
  return toPage(await fetch(after, limit + 1), limit, keyOf);
}

/** fetchPage for a list ordered by one id column; the first page starts after id 0. */
export function fetchIdPage<T>(
  request: PageRequest,
  fetch: (afterId: bigint, limit: number) => Promise<readonly T[]>,
  idOf: (row: T) => bigint | number,
): Promise<Page<T>> {
  return fetchPage(
    request,
    { id: tokenPatterns.id },
    (after, limit) => fetch(after ? BigInt(after.id) : 0n, limit),
    (row) => ({ id: String(idOf(row)) }),
  );
}

/** Where a newest-first page continues: after the row with this time (µs since the epoch) and id. */
export interface NewestFirstCursor {
  us: bigint;
  id: bigint;
}

/**
 * One page of a list ordered newest first by a timestamp and then an id. The token carries the
 * last row's time and id and the first 16 hex digits of `filterKey` (a fingerprint of the list's
 * filters), so a token is refused for other filters than the ones it was issued for.
 */
export function fetchNewestFirst<T>(
  request: PageRequest,
  filterKey: string,
  fetch: (after: NewestFirstCursor | undefined, limit: number) => Promise<readonly T[]>,
  keyOf: (row: T) => NewestFirstCursor,
): Promise<Page<T>> {
  const filter = filterKey.slice(0, 16);
  return fetchPage(
    request,
    { t: tokenPatterns.integer, id: tokenPatterns.id, f: new RegExp(`^${filter}$`) },
    (after, limit) => fetch(after && { us: BigInt(after.t), id: BigInt(after.id) }, limit),
    (row) => {
      const key = keyOf(row);
      return { t: String(key.us), id: String(key.id), f: filter };
    },
  );
}

/**
 * The query of one newest-first page: `select` from `from` the rows that meet every `where`
 * condition and come after the cursor, newest first by the `time` column and then the `id` column
 * (each a column name, qualified as "alias.column" where `from` joins), at most `limit` rows.
 */
export function newestFirstQuery(query: {
  select: FragmentSqlToken;
  from: FragmentSqlToken;
  where: FragmentSqlToken[];
  time: string;
  id: string;
  after?: NewestFirstCursor | undefined;
  limit: number;
}): FragmentSqlToken {
  const time = sql.identifier(query.time.split("."));
  const id = sql.identifier(query.id.split("."));
  const conditions = [...query.where];
  if (query.after) {
    const at = sql.fragment`TIMESTAMPTZ 'epoch' + ${query.after.us}::bigint * INTERVAL '1 microsecond'`;
    conditions.push(sql.fragment`(${time}, ${id}) < (${at}, ${query.after.id})`);
  }
  const where = conditions.length
    ? sql.fragment`WHERE ${sql.join(conditions, sql.fragment` AND `)}`
    : sql.fragment``;
  return sql.fragment`
    SELECT ${query.select} FROM ${query.from} ${where}
     ORDER BY ${time} DESC, ${id} DESC
     LIMIT ${query.limit}`;
}
