// What a client sees when the chat store (FerretDB) fails (issue 14, finding 8): never FerretDB's
// own message, which may name its backend user, SQL and Go source frames.
import { Code, ConnectError } from "@connectrpc/connect";
import { MongoNetworkError, MongoServerError } from "mongodb";
import { toConnectError } from "../../runtime/interceptors.js";
import { withStore } from "../chatbot-database.js";

/** The error a client receives when the operation fails with `error`. */
async function seen(error: Error): Promise<ConnectError> {
  return toConnectError(
    await withStore(() => Promise.reject(error)).then(
      () => undefined,
      (e: unknown) => e,
    ),
  );
}

const leaky =
  "ERROR: permission denied for table _ferretdb_database_metadata (SQLSTATE 42501) user=chatbot_svc " +
  "github.com/FerretDB/FerretDB/internal/backends/postgresql/collection.go:123";

test("a store error is INTERNAL with a generic message, nothing of FerretDB's", async () => {
  const error = await seen(new MongoServerError({ errmsg: leaky, code: 1, codeName: "InternalError" }));
  expect({ code: error.code, message: error.rawMessage }).toEqual({
    code: Code.Internal,
    message: "internal error",
  });
});

test("a duplicate key is ALREADY_EXISTS, an unreachable store UNAVAILABLE, both without FerretDB's words", async () => {
  const duplicate = await seen(
    new MongoServerError({ errmsg: `E11000 duplicate key ${leaky}`, code: 11000 }),
  );
  expect({ code: duplicate.code, message: duplicate.rawMessage }).toEqual({
    code: Code.AlreadyExists,
    message: "the resource already exists",
  });
  const down = await seen(new MongoNetworkError(`connection refused ${leaky}`));
  expect({ code: down.code, message: down.rawMessage }).toEqual({
    code: Code.Unavailable,
    message: "the chat store is unavailable; retry later",
  });
});
