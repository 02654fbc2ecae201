// Keyset pages of the Account service's lists that are ordered by one id column.
import { Code } from "@connectrpc/connect";
import { domainError } from "../runtime/errors.js";
import { decodePageToken, encodePageToken } from "../runtime/pagination.js";

/** The id a page token carries: rows after it come next (0n for the first page). */
export function decodeIdToken(token: string): bigint {
  const key = decodePageToken(token, ["id"]);
  if (!key) return 0n;
  if (!/^[0-9]{1,19}$/.test(key.id)) {
    throw domainError(
      Code.InvalidArgument,
      "INVALID_PAGE_TOKEN",
      "page_token is not a token this list issued",
    );
  }
  return BigInt(key.id);
}

/**
 * Cuts a page from rows fetched with one row more than the page size, and makes the token of the
 * next page from the page's last id ("" when the extra row shows there is no next page).
 */
export function pageOf<Row>(
  rows: readonly Row[],
  size: number,
  idOf: (row: Row) => bigint | number,
): { rows: readonly Row[]; nextPageToken: string } {
  if (rows.length <= size) return { rows, nextPageToken: "" };
  const page = rows.slice(0, size);
  return { rows: page, nextPageToken: encodePageToken({ id: String(idOf(page[page.length - 1]!)) }) };
}
