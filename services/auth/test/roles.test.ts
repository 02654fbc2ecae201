// Roles: the bootstrap admin from configuration, AssignRole/RevokeRole for ADMINs only (permission
// before existence), the last-admin guard, and roles reaching the next access token.
import { randomBytes } from "node:crypto";
import { Code } from "@connectrpc/connect";
import pg from "pg";
import { Role } from "../../../gen/ts/fidalex/auth/v1/user_pb.js";
import { stackVar } from "../../../test/support/stack.js";
import {
  authClients,
  bearer,
  inspectAccessToken,
  randomAddress,
  reasonOf,
  refusal,
  registerAndLogin,
  type AuthClients,
} from "./auth-client-kit.js";
import { startAuthTestServer, useAuthTestServer, type AuthTestServer } from "./auth-test-server.js";

let server: AuthTestServer;
let auth: AuthClients["auth"];
let adminToken: string;

useAuthTestServer(async (started) => {
  ({ server, auth } = started);
  const { tokens } = await auth.login({ username: server.admin.username, password: server.admin.password });
  adminToken = tokens!.accessToken;
});

describe("the bootstrap admin", () => {
  it("is created at start with the ADMIN role", async () => {
    const { user, tokens } = await auth.login({
      username: server.admin.username,
      password: server.admin.password,
    });
    expect(user?.roles).toEqual([Role.ADMIN]);
    expect(inspectAccessToken(tokens!.accessToken).claims.roles).toEqual(["ADMIN"]);
  });

  it("is left alone by a later start with the same username (idempotent)", async () => {
    const before = await auth.login({ username: server.admin.username, password: server.admin.password });
    const restarted = await startAuthTestServer({
      admin: { ...server.admin, password: "Another-Pa55word!" },
    });
    try {
      const restartedAuth = authClients(restarted.transportFrom(randomAddress())).auth;
      const after = await restartedAuth.login({
        username: server.admin.username,
        password: server.admin.password,
      });
      expect(after.user?.userId).toBe(before.user?.userId);
      const { rows } = await server.db.query("SELECT 1 FROM users WHERE lower(username) = lower($1)", [
        server.admin.username,
      ]);
      expect(rows).toHaveLength(1);
    } finally {
      await restarted.close();
    }
  });
});

describe("AssignRole", () => {
  it("gives a role; the next login carries it; assigning it again changes nothing", async () => {
    const teller = await registerAndLogin(auth);
    const { user } = await auth.assignRole(
      { userId: teller.user.userId, role: Role.TELLER },
      bearer(adminToken),
    );
    expect(user?.roles).toEqual([Role.CUSTOMER, Role.TELLER]);
    const again = await auth.assignRole(
      { userId: teller.user.userId, role: Role.TELLER },
      bearer(adminToken),
    );
    expect(again.user?.roles).toEqual([Role.CUSTOMER, Role.TELLER]);

    const { tokens } = await auth.login({
      username: teller.registration.username,
      password: teller.registration.password,
    });
    expect(inspectAccessToken(tokens!.accessToken).claims.roles).toEqual(["CUSTOMER", "TELLER"]);
  });

  it("refuses a caller who is not an ADMIN, before looking the user up", async () => {
    const customer = await registerAndLogin(auth);
    for (const userId of [customer.user.userId, 9_000_000_000n]) {
      const error = await refusal(
        auth.assignRole({ userId, role: Role.ADMIN }, bearer(customer.tokens.accessToken)),
      );
      expect(error.code).toBe(Code.PermissionDenied);
    }
  });

  it("refuses a call without a token", async () => {
    const error = await refusal(auth.assignRole({ userId: 1n, role: Role.TELLER }));
    expect(error.code).toBe(Code.Unauthenticated);
  });

  it("answers NOT_FOUND to an ADMIN for an unknown user", async () => {
    const error = await refusal(
      auth.assignRole({ userId: 9_000_000_000n, role: Role.TELLER }, bearer(adminToken)),
    );
    expect(error.code).toBe(Code.NotFound);
  });

  it("refuses ROLE_UNSPECIFIED by the contract's rules", async () => {
    const customer = await registerAndLogin(auth);
    const error = await refusal(
      auth.assignRole({ userId: customer.user.userId, role: Role.UNSPECIFIED }, bearer(adminToken)),
    );
    expect(error.code).toBe(Code.InvalidArgument);
  });

  it("refuses an ADMIN whose role was revoked: their token is revoked with it (TOKEN_REVOKED)", async () => {
    const deputy = await registerAndLogin(auth);
    await auth.assignRole({ userId: deputy.user.userId, role: Role.ADMIN }, bearer(adminToken));
    const { tokens } = await auth.login({
      username: deputy.registration.username,
      password: deputy.registration.password,
    });
    await auth.revokeRole({ userId: deputy.user.userId, role: Role.ADMIN }, bearer(adminToken));
    const error = await refusal(
      auth.assignRole({ userId: deputy.user.userId, role: Role.ADMIN }, bearer(tokens!.accessToken)),
    );
    expect([error.code, reasonOf(error)]).toEqual([Code.Unauthenticated, "TOKEN_REVOKED"]);
  });
});

describe("RevokeRole", () => {
  it("takes a role; taking a role the user does not hold changes nothing", async () => {
    const teller = await registerAndLogin(auth);
    await auth.assignRole({ userId: teller.user.userId, role: Role.TELLER }, bearer(adminToken));
    const { user } = await auth.revokeRole(
      { userId: teller.user.userId, role: Role.TELLER },
      bearer(adminToken),
    );
    expect(user?.roles).toEqual([Role.CUSTOMER]);
    const again = await auth.revokeRole(
      { userId: teller.user.userId, role: Role.TELLER },
      bearer(adminToken),
    );
    expect(again.user?.roles).toEqual([Role.CUSTOMER]);
  });

  it("refuses to leave a user without any role (LAST_ROLE)", async () => {
    const customer = await registerAndLogin(auth);
    const error = await refusal(
      auth.revokeRole({ userId: customer.user.userId, role: Role.CUSTOMER }, bearer(adminToken)),
    );
    expect(error.code).toBe(Code.FailedPrecondition);
    expect(reasonOf(error)).toBe("LAST_ROLE");
  });

  it("refuses a caller who is not an ADMIN", async () => {
    const customer = await registerAndLogin(auth);
    const error = await refusal(
      auth.revokeRole(
        { userId: customer.user.userId, role: Role.CUSTOMER },
        bearer(customer.tokens.accessToken),
      ),
    );
    expect(error.code).toBe(Code.PermissionDenied);
  });

  it("lets an ADMIN give up the role while another active ADMIN remains", async () => {
    const deputy = await registerAndLogin(auth);
    await auth.assignRole({ userId: deputy.user.userId, role: Role.ADMIN }, bearer(adminToken));
    const { tokens } = await auth.login({
      username: deputy.registration.username,
      password: deputy.registration.password,
    });
    const { user } = await auth.revokeRole(
      { userId: deputy.user.userId, role: Role.ADMIN },
      bearer(tokens!.accessToken),
    );
    expect(user?.roles).toEqual([Role.CUSTOMER]);
  });
});

describe("the last-admin guard", () => {
  // The shared database always holds other admins, so this runs against a schema of its own.
  const schema = `auth_test_${randomBytes(4).toString("hex")}`;
  const baseUrl = stackVar("AUTH_DATABASE_URL");
  let isolated: AuthTestServer | undefined;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    await admin.end();
    const url = new URL(baseUrl);
    url.searchParams.set("options", `-c search_path=${schema}`);
    // Its user ids repeat the shared database's: published token versions go to a Redis database
    // of their own, or revoking its admin would revoke the stack's.
    const redisUrl = new URL(stackVar("REDIS_URL"));
    redisUrl.pathname = "/7";
    isolated = await startAuthTestServer({
      databaseUrl: url.toString(),
      env: { REDIS_URL: redisUrl.toString() },
    });
  }, 60_000);

  afterAll(async () => {
    await isolated?.close();
    const admin = new pg.Client({ connectionString: baseUrl });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  });

  it("refuses to take ADMIN from the last active ADMIN (LAST_ADMIN), also when others are inactive", async () => {
    const isolatedAuth = authClients(isolated!.transportFrom(randomAddress())).auth;
    const { user, tokens } = await isolatedAuth.login({
      username: isolated!.admin.username,
      password: isolated!.admin.password,
    });
    const token = bearer(tokens!.accessToken);

    // A second ADMIN who is deactivated does not count.
    const sleeper = await registerAndLogin(isolatedAuth);
    await isolatedAuth.assignRole({ userId: sleeper.user.userId, role: Role.ADMIN }, token);
    await isolated!.db.query(`UPDATE ${schema}.users SET is_active = FALSE WHERE user_id = $1`, [
      sleeper.user.userId.toString(),
    ]);

    const error = await refusal(isolatedAuth.revokeRole({ userId: user!.userId, role: Role.ADMIN }, token));
    expect(error.code).toBe(Code.FailedPrecondition);
    expect(reasonOf(error)).toBe("LAST_ADMIN");

    // With another active ADMIN, the first one may step down.
    const successor = await registerAndLogin(isolatedAuth);
    await isolatedAuth.assignRole({ userId: successor.user.userId, role: Role.ADMIN }, token);
    await isolatedAuth.assignRole({ userId: user!.userId, role: Role.CUSTOMER }, token);
    const { user: after } = await isolatedAuth.revokeRole({ userId: user!.userId, role: Role.ADMIN }, token);
    expect(after?.roles).toEqual([Role.CUSTOMER]);
  });
});
