// Calls between services: gRPC over HTTP/2 cleartext, with the Auth service's key set for token
// verification and a service access token (client credentials) for internal RPCs.
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { createClient, type Interceptor, type Transport } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import type { JSONWebKeySet, JWK } from "jose";
import { AuthService } from "../../gen/ts/fidalex/auth/v1/auth_service_pb.js";
import { ServiceTokenService } from "../../gen/ts/fidalex/auth/v1/service_token_service_pb.js";

/** A gRPC transport to another service at a base URL such as "http://127.0.0.1:50051". */
export function createServiceTransport(baseUrl: string, interceptors: Interceptor[] = []): Transport {
  return createGrpcTransport({ baseUrl, interceptors });
}

/** Fetches the Auth service's public key set (GetJwks) in the form jose reads. */
export function createAuthKeySetFetcher(authTransport: Transport): () => Promise<JSONWebKeySet> {
  const auth = createClient(AuthService, authTransport);
  return async () => {
    const { keys } = await auth.getJwks({}, { timeoutMs: 5_000 });
    return {
      keys: keys.map((key) => {
        // JWK members are omitted, not empty, when a key type does not use them.
        const jwk: Record<string, string> = {};
        for (const [name, value] of Object.entries(key)) {
          if (typeof value === "string" && value !== "" && !name.startsWith("$")) jwk[name] = value;
        }
        return jwk as JWK;
      }),
    };
  };
}

/**
 * Returns a client interceptor that sends this service's access token (client credentials from
 * the Auth service), renewed a minute before it expires. Only internal RPCs need it.
 */
export function createServiceTokenInterceptor(
  authTransport: Transport,
  credentials: { clientId: string; clientSecret: string },
): Interceptor {
  const tokens = createClient(ServiceTokenService, authTransport);
  let cached: { token: string; renewAt: number } | undefined;
  let inflight: Promise<string> | undefined;
  const token = async () => {
    if (cached && Date.now() < cached.renewAt) return cached.token;
    inflight ??= tokens
      .issueServiceToken(credentials, { timeoutMs: 5_000 })
      .then((res) => {
        const expiresAt = res.expiresAt ? timestampDate(res.expiresAt).getTime() : Date.now();
        cached = { token: res.accessToken, renewAt: expiresAt - 60_000 };
        return res.accessToken;
      })
      .finally(() => {
        inflight = undefined;
      });
    return inflight;
  };
  return (next) => async (req) => {
    req.header.set("authorization", `Bearer ${await token()}`);
    return next(req);
  };
}
