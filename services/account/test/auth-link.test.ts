// The Account service with the real Auth service (in process): tokens verified against Auth's
// published key set, and a customer's link to its user made through Auth's internal
// CustomerLinkService with this service's own service token, so that the user's next token
// carries the customer id.
import { randomBytes } from "node:crypto";
import { Code, createClient, type Interceptor } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { AuthService } from "../../../gen/ts/fidalex/auth/v1/auth_service_pb.js";
import { CustomerService } from "../../../gen/ts/fidalex/account/v1/customer_service_pb.js";
import { createDatabasePool, sql, type DatabasePool } from "../../runtime/database.js";
import { createLogger } from "../../runtime/logger.js";
import { stackVar } from "../../../test/support/stack.js";
import { startAuthTestServer, type AuthTestServer } from "../../auth/test/auth-test-server.js";
import { start } from "../main.js";
import { customerData, expectRefusal } from "./harness.js";

let auth: AuthTestServer;
let account: Awaited<ReturnType<typeof start>>;
let db: DatabasePool;
let accountUrl: string;
const runId = randomBytes(4).toString("hex");

beforeAll(async () => {
  auth = await startAuthTestServer();
  const url = stackVar("ACCOUNT_DATABASE_URL");
  // The real wiring: the key set and service tokens come from the Auth service at AUTH_URL.
  account = await start({
    env: {
      DATABASE_URL: url,
      AUTH_URL: auth.url,
      SERVICE_CLIENT_ID: "account",
      SERVICE_CLIENT_SECRET: auth.serviceClients.account!,
      CUSTOMER_LINK_RETRY_MS: "3600000",
    },
    port: 0,
    logger: createLogger("account-test", process.env.LOG_LEVEL ?? "silent"),
  });
  accountUrl = account.url;
  db = await createDatabasePool(url, { maximumPoolSize: 4 });
});

afterAll(async () => {
  await account?.close();
  await db?.end();
  await auth?.close();
});

const authClient = () => createClient(AuthService, createGrpcTransport({ baseUrl: auth.url }));

function customersAs(accessToken: string) {
  const bearer: Interceptor = (next) => (req) => {
    req.header.set("authorization", `Bearer ${accessToken}`);
    return next(req);
  };
  return createClient(CustomerService, createGrpcTransport({ baseUrl: accountUrl, interceptors: [bearer] }));
}

const run = { runId };

it("links a customer's own new record to their Auth user; the next token reaches it", async () => {
  const client = authClient();
  const username = `acct_${runId}`;
  const password = `Tr0ub4dor&3-${randomBytes(6).toString("base64url")}`;
  await client.register({ username, email: `${username}@example.test`, password, fullName: "Ada Account" });
  const login = await client.login({ username, password });
  const userId = login.user!.userId;

  const { customer } = await customersAs(login.tokens!.accessToken).createCustomer(
    customerData(run, "auth-link"),
  );
  expect(customer!.userId).toBe(userId);
  const row = await db.one(sql.unsafe`
    SELECT user_linked_at FROM customers WHERE customer_id = ${customer!.customerId}
  `);
  expect(row.user_linked_at).toBeInstanceOf(Date);

  // The token issued before the link has no cid: it reaches no customer data yet.
  await expectRefusal(
    customersAs(login.tokens!.accessToken).getCustomer({ customerId: customer!.customerId }),
    Code.PermissionDenied,
  );
  const refreshed = await client.refreshToken({ refreshToken: login.tokens!.refreshToken });
  const { customer: seen } = await customersAs(refreshed.tokens!.accessToken).getCustomer({
    customerId: customer!.customerId,
  });
  expect(seen!.customerId).toBe(customer!.customerId);
});

it("drops the link when Auth knows no such user, keeping the customer", async () => {
  const client = authClient();
  const login = await client.login({ username: auth.admin.username, password: auth.admin.password });
  const { customer } = await customersAs(login.tokens!.accessToken).createCustomer({
    ...customerData(run, "auth-unknown-user"),
    userId: 9_000_000_000_000n,
  });
  expect(customer!.userId).toBe(0n);
});
