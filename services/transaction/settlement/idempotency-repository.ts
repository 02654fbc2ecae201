// SQL of the idempotency keys: which transaction a (scope, key) led to, and with which request.
import { z } from "zod";
import { sql, type CommonQueryMethods } from "../../runtime/database.js";

/** What a key is unique within: an account (transfers, deposits, withdrawals) or a transaction (reversals). */
export interface IdempotencyScope {
  kind: "ACCOUNT" | "TRANSACTION";
  id: bigint;
}

const idempotencyRow = z.object({
  request_fingerprint: z.string(),
  transaction_id: z.bigint(),
});
export type IdempotencyRow = z.infer<typeof idempotencyRow>;

/** The recorded use of a key in a scope, or null when the key is new. */
export function findIdempotencyKey(
  db: CommonQueryMethods,
  scope: IdempotencyScope,
  key: string,
): Promise<IdempotencyRow | null> {
  return db.maybeOne(sql.type(idempotencyRow)`
    SELECT request_fingerprint, transaction_id FROM idempotency_keys
     WHERE scope_kind = ${scope.kind} AND scope_id = ${scope.id} AND idempotency_key = ${key}
  `);
}

/**
 * Records that a key led to a transaction. Returns false, changing nothing, when the key is
 * already recorded (a concurrent request with the same key won the race).
 */
export async function insertIdempotencyKey(
  db: CommonQueryMethods,
  scope: IdempotencyScope,
  key: string,
  fingerprint: string,
  transactionId: bigint,
): Promise<boolean> {
  const result = await db.query(sql.unsafe`
    INSERT INTO idempotency_keys (scope_kind, scope_id, idempotency_key, request_fingerprint, transaction_id)
    VALUES (${scope.kind}, ${scope.id}, ${key}, ${fingerprint}, ${transactionId})
    ON CONFLICT DO NOTHING
  `);
  return result.rowCount === 1;
}
