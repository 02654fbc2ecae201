// IssueServiceToken (client credentials → a 5-minute SERVICE token) and LinkCustomer (SERVICE
// callers only), also through the runtime's client helpers the other services use.
import { Code, createClient } from "@connectrpc/connect";
import { CustomerLinkService } from "../../../gen/ts/fidalex/auth/v1/customer_link_service_pb.js";
import { createKeySetResolver, verifyAccessToken } from "../../runtime/auth.js";
import {
  createAuthKeySetFetcher,
  createServiceTokenInterceptor,
  createServiceTransport,
} from "../../runtime/clients.js";
import {
  bearer,
  inspectAccessToken,
  observable,
  reasonOf,
  refusal,
  registerAndLogin,
  type AuthClients,
} from "./auth-client-kit.js";
import { useAuthTestServer, type AuthTestServer } from "./auth-test-server.js";

let server: AuthTestServer;
let clients: AuthClients;
let serviceToken: string;

useAuthTestServer(async (started) => {
  ({ server, clients } = started);
  serviceToken = (
    await clients.serviceTokens.issueServiceToken({
      clientId: "account",
      clientSecret: server.serviceClients.account!,
    })
  ).accessToken;
});

describe("IssueServiceToken", () => {
  it("issues a 5-minute SERVICE token for valid client credentials", async () => {
    const { accessToken, expiresAt } = await clients.serviceTokens.issueServiceToken({
      clientId: "transaction",
      clientSecret: server.serviceClients.transaction!,
    });
    const { header, claims } = inspectAccessToken(accessToken);
    expect(header).toMatchObject({ alg: "ES256", kid: server.service.deps.keys.currentKeyId });
    expect(claims).toMatchObject({
      iss: "fidalex-auth",
      aud: "fidalex-mesh",
      sub: "svc:transaction",
      roles: ["SERVICE"],
    });
    expect(claims.cid).toBeUndefined();
    expect(claims.exp! - claims.iat!).toBe(300);
    expect(Number(expiresAt!.seconds)).toBe(claims.exp);
  });

  it("refuses a wrong secret and an unknown client alike (INVALID_CLIENT)", async () => {
    const wrong = await refusal(
      clients.serviceTokens.issueServiceToken({
        clientId: "transaction",
        clientSecret: server.serviceClients.account!,
      }),
    );
    const unknown = await refusal(
      clients.serviceTokens.issueServiceToken({
        clientId: "payment",
        clientSecret: server.serviceClients.account!,
      }),
    );
    expect(wrong.code).toBe(Code.Unauthenticated);
    expect(reasonOf(wrong)).toBe("INVALID_CLIENT");
    expect(observable(unknown)).toEqual(observable(wrong));
  });

  it("gives a service no user profile", async () => {
    const error = await refusal(clients.auth.getMe({}, bearer(serviceToken)));
    expect(error.code).toBe(Code.PermissionDenied);
  });

  it("works with the runtime's key-set fetcher and service-token interceptor", async () => {
    const authTransport = createServiceTransport(server.url);
    const keys = createKeySetResolver(createAuthKeySetFetcher(authTransport));
    const principal = await verifyAccessToken(serviceToken, keys);
    expect(principal).toMatchObject({ subject: "svc:account", userId: 0n });
    expect([...principal.roles]).toEqual(["SERVICE"]);

    const customer = await registerAndLogin(clients.auth);
    const links = createClient(
      CustomerLinkService,
      createServiceTransport(server.url, [
        createServiceTokenInterceptor(authTransport, {
          clientId: "account",
          clientSecret: server.serviceClients.account!,
        }),
      ]),
    );
    const customerId = 7_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e9));
    const { user } = await links.linkCustomer({ userId: customer.user.userId, customerId });
    expect(user?.customerId).toBe(customerId);
  });
});

describe("LinkCustomer", () => {
  const newCustomerId = () => 8_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e12));

  it("links a user to a customer; the next access token carries cid and GetMe shows it", async () => {
    const alice = await registerAndLogin(clients.auth);
    const customerId = newCustomerId();
    const { user } = await clients.links.linkCustomer(
      { userId: alice.user.userId, customerId },
      bearer(serviceToken),
    );
    expect(user?.customerId).toBe(customerId);

    const { tokens } = await clients.auth.refreshToken({ refreshToken: alice.tokens.refreshToken });
    expect(inspectAccessToken(tokens!.accessToken).claims.cid).toBe(customerId.toString());
    const me = await clients.auth.getMe({}, bearer(tokens!.accessToken));
    expect(me.user?.customerId).toBe(customerId);
  });

  it("is a no-op for the same pair, and refuses another customer (ALREADY_LINKED)", async () => {
    const alice = await registerAndLogin(clients.auth);
    const customerId = newCustomerId();
    await clients.links.linkCustomer({ userId: alice.user.userId, customerId }, bearer(serviceToken));
    const again = await clients.links.linkCustomer(
      { userId: alice.user.userId, customerId },
      bearer(serviceToken),
    );
    expect(again.user?.customerId).toBe(customerId);

    const error = await refusal(
      clients.links.linkCustomer(
        { userId: alice.user.userId, customerId: newCustomerId() },
        bearer(serviceToken),
      ),
    );
    expect(error.code).toBe(Code.FailedPrecondition);
    expect(reasonOf(error)).toBe("ALREADY_LINKED");
  });

  it("refuses a customer that is linked to another user (CUSTOMER_ALREADY_LINKED)", async () => {
    const alice = await registerAndLogin(clients.auth);
    const bob = await registerAndLogin(clients.auth);
    const customerId = newCustomerId();
    await clients.links.linkCustomer({ userId: alice.user.userId, customerId }, bearer(serviceToken));
    const error = await refusal(
      clients.links.linkCustomer({ userId: bob.user.userId, customerId }, bearer(serviceToken)),
    );
    expect(error.code).toBe(Code.FailedPrecondition);
    expect(reasonOf(error)).toBe("CUSTOMER_ALREADY_LINKED");
  });

  it("answers NOT_FOUND for an unknown user", async () => {
    const error = await refusal(
      clients.links.linkCustomer(
        { userId: 9_000_000_000n, customerId: newCustomerId() },
        bearer(serviceToken),
      ),
    );
    expect(error.code).toBe(Code.NotFound);
  });

  it("refuses user tokens, even an ADMIN's, and calls without a token", async () => {
    const alice = await registerAndLogin(clients.auth);
    const { tokens } = await clients.auth.login({
      username: server.admin.username,
      password: server.admin.password,
    });
    for (const token of [alice.tokens.accessToken, tokens!.accessToken]) {
      const error = await refusal(
        clients.links.linkCustomer({ userId: alice.user.userId, customerId: newCustomerId() }, bearer(token)),
      );
      expect(error.code).toBe(Code.PermissionDenied);
    }
    const anonymous = await refusal(
      clients.links.linkCustomer({ userId: alice.user.userId, customerId: newCustomerId() }),
    );
    expect(anonymous.code).toBe(Code.Unauthenticated);
  });
});
