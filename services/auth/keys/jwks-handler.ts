// The public key set, twice: as the GetJwks RPC (for services and transcoded REST) and as a plain
// HTTP document at /.well-known/jwks.json, which Envoy's jwt_authn fetches from the auth cluster.
import { create } from "@bufbuild/protobuf";
import type { ServerResponse } from "node:http";
import type { ServiceImpl } from "@connectrpc/connect";
import type { ConnectNodeAdapterOptions } from "@connectrpc/connect-node";
import { AuthService } from "../../../gen/ts/fidalex/auth/v1/auth_service_pb.js";
import { JsonWebKeySchema } from "../../../gen/ts/fidalex/auth/v1/token_pb.js";
import type { SigningKeySet } from "./signing-key-set.js";
import { answerNoSuchRoute } from "../../runtime/server.js";

/** Where the plain HTTP key set is served. */
export const jwksPath = "/.well-known/jwks.json";

/** GetJwks: the public keys, current first. */
export function createJwksHandlers(keys: SigningKeySet): Pick<ServiceImpl<typeof AuthService>, "getJwks"> {
  const response = {
    keys: keys.publicKeys.keys.map((k) =>
      create(JsonWebKeySchema, {
        kty: k.kty,
        use: k.use ?? "sig",
        alg: k.alg ?? "",
        kid: k.kid ?? "",
        // Members a key type does not use stay absent (JWK), not empty.
        crv: k.crv,
        x: k.x,
        y: k.y,
        n: k.n,
        e: k.e,
      }),
    ),
  };
  return {
    getJwks() {
      return response;
    },
  };
}

/**
 * The server's fallback for requests that are not RPCs: GET or HEAD of /.well-known/jwks.json
 * answers the key set as JSON (RFC 7517), anything else is 404 with a JSON status.
 */
export function createJwksDocumentFallback(
  keys: SigningKeySet,
): NonNullable<ConnectNodeAdapterOptions["fallback"]> {
  const body = Buffer.from(JSON.stringify(keys.publicKeys));
  return (req, res) => {
    const path = (req.url ?? "").split("?")[0];
    // HTTP/1 and HTTP/2 compatibility responses share this surface; the union's overloads do not.
    const response = res as ServerResponse;
    if (path === jwksPath && (req.method === "GET" || req.method === "HEAD")) {
      response.writeHead(200, {
        "content-type": "application/json",
        "content-length": String(body.length),
        // Short enough that a rotation reaches every verifier well within a token's lifetime.
        "cache-control": "public, max-age=300",
      });
      response.end(req.method === "HEAD" ? undefined : body);
      return;
    }
    answerNoSuchRoute(req, response);
  };
}
