// The address a call comes from, for per-address rate limits: the edge's view when the call came
// through Envoy, else the TCP peer. Handlers cannot see the socket, so every service's server
// copies the peer address into a request header of its own before Connect reads the headers.
import type { Http2Server } from "node:http2";

/** The header the server sets to the TCP peer's address; any value a client sends is overwritten. */
export const peerAddressHeader = "x-fidalex-peer-address";

/** Makes every request carry its TCP peer address in peerAddressHeader. */
export function recordPeerAddresses(server: Http2Server): void {
  server.prependListener("request", (req) => {
    req.headers[peerAddressHeader] = normalize(req.socket?.remoteAddress ?? "");
  });
}

/**
 * The client's address: Envoy's `x-envoy-external-address` (the trusted edge's view of the
 * client), else the last `x-forwarded-for` entry (the one the nearest proxy appended, the only one a
 * client cannot choose when a proxy is in front), else the TCP peer.
 */
export function clientAddress(headers: Headers): string {
  const external = headers.get("x-envoy-external-address")?.trim();
  if (external) return normalize(external);
  const forwarded = headers
    .get("x-forwarded-for")
    ?.split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .at(-1);
  if (forwarded) return normalize(forwarded);
  return headers.get(peerAddressHeader) || "unknown";
}

/** An IPv4 address that arrived as IPv6-mapped ("::ffff:10.0.0.1") counts as the IPv4 one. */
function normalize(address: string): string {
  return address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "").slice(0, 100);
}
