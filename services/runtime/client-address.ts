// The address a call comes from, for per-address rate limits: the edge's view when the call
// provably came through Envoy, else the TCP peer. Handlers cannot see the socket, so every
// service's server copies the peer address into a request header of its own before Connect reads
// the headers.
//
// Forwarded addresses (x-envoy-external-address, x-forwarded-for) are trusted only on calls that
// carry the edge's proof: the header x-fidalex-edge with the secret Envoy adds to every request it
// forwards (overwriting any value a client sent). On loopback, as in the local stack, a peer
// address cannot tell Envoy from any other local process, so trusting configured peers would not
// do; the secret does, and in a deployment with mTLS between Envoy and the services it still holds.
// A call without the proof (straight at a service's port) is counted by its TCP peer, whatever
// forwarded headers it sends.
import { createHash, timingSafeEqual } from "node:crypto";
import type { Http2Server } from "node:http2";

/** The header the server sets to the TCP peer's address; any value a client sends is overwritten. */
export const peerAddressHeader = "x-fidalex-peer-address";

/** The header carrying the edge's proof (EDGE_SECRET) on calls Envoy forwards. */
export const edgeProofHeader = "x-fidalex-edge";

/** Makes every request carry its TCP peer address in peerAddressHeader. */
export function recordPeerAddresses(server: Http2Server): void {
  server.prependListener("request", (req) => {
    req.headers[peerAddressHeader] = normalize(req.socket?.remoteAddress ?? "");
  });
}

/** Reads a call's client address from its headers. */
export type ClientAddressOf = (headers: Headers) => string;

const digest = (value: string) => createHash("sha256").update(value, "utf8").digest();

/**
 * The client address of a call: with the edge's proof, Envoy's `x-envoy-external-address` (its
 * view of the client), else the last `x-forwarded-for` entry (the one the nearest proxy appended);
 * without it, or when no edge secret is configured, the TCP peer.
 */
export function createClientAddress(edgeSecret: string | undefined): ClientAddressOf {
  const expected = edgeSecret ? digest(edgeSecret) : undefined;
  const fromEdge = (headers: Headers) => {
    const proof = headers.get(edgeProofHeader);
    return expected !== undefined && proof !== null && timingSafeEqual(digest(proof), expected);
  };
  return (headers) => {
    if (fromEdge(headers)) {
      const external = headers.get("x-envoy-external-address")?.trim();
      if (external) return normalize(external);
      const forwarded = headers
        .get("x-forwarded-for")
        ?.split(",")
        .map((part) => part.trim())
        .filter(Boolean)
        .at(-1);
      if (forwarded) return normalize(forwarded);
    }
    return headers.get(peerAddressHeader) || "unknown";
  };
}

/** An IPv4 address that arrived as IPv6-mapped ("::ffff:10.0.0.1") counts as the IPv4 one. */
function normalize(address: string): string {
  return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "").slice(0, 100);
}
