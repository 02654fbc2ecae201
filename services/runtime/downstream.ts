// Calls from one service to another fail in two ways a caller must tell apart: transiently (the
// peer is down, overloaded, too slow, or the connection broke), where the same call may succeed
// later, and for good. These helpers classify a failed call and turn it into what the caller's own
// client sees: UNAVAILABLE (safe to retry) or INTERNAL (our fault), never the peer's message.
import { Code, ConnectError } from "@connectrpc/connect";

/**
 * Whether a failed call to another service may succeed if simply retried: the peer was
 * unavailable, overloaded or too slow, or the connection failed. connect-node reports a refused or
 * reset connection as INTERNAL with the socket error as its cause, so that cause is looked at too.
 */
export function isTransientFailure(error: unknown): boolean {
  const err = ConnectError.from(error);
  const transientCodes = [Code.Unavailable, Code.DeadlineExceeded, Code.ResourceExhausted, Code.Aborted];
  if (transientCodes.includes(err.code)) return true;
  const cause = err.cause as { code?: unknown } | undefined;
  return (
    (err.code === Code.Internal || err.code === Code.Unknown) &&
    typeof cause?.code === "string" &&
    /^(E[A-Z]+|ERR_HTTP2_[A-Z_]+|ERR_STREAM_[A-Z_]+)$/.test(cause.code)
  );
}

/**
 * What a failed call to another service (named, e.g. "account") becomes for our own caller: a
 * transient failure becomes UNAVAILABLE, a cancelled call stays CANCELLED, anything else is
 * INTERNAL. The peer's message never reaches the client; the cause is kept for the log.
 */
export function downstreamError(service: string, error: unknown): ConnectError {
  const err = ConnectError.from(error);
  if (isTransientFailure(err)) {
    return new ConnectError(
      `the ${service} service is unavailable; retry later`,
      Code.Unavailable,
      undefined,
      [],
      err,
    );
  }
  if (err.code === Code.Canceled)
    return new ConnectError("the call was cancelled", Code.Canceled, undefined, [], err);
  return new ConnectError("internal error", Code.Internal, undefined, [], err);
}
