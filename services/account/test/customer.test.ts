// CustomerService against the real server and database: create, read, replace, KYC decisions,
// listing with filters and pages, the link to the Auth user, and the customer.updated outbox.
import { Code, ConnectError } from "@connectrpc/connect";
import { KycStatus } from "../../../gen/ts/fidalex/account/v1/customer_pb.js";
import { sql } from "../../runtime/database.js";
import { createLogger } from "../../runtime/logger.js";
import { createCustomerLinkWorker } from "../customer/customer-link.js";
import { queryPlan } from "../../../test/support/query-plan.js";
import { listCustomersQuery } from "../customer/customer-repository.js";
import {
  customerData,
  expectRefusal,
  newCustomer,
  startHarness,
  type Clients,
  type Harness,
} from "./harness.js";

let h: Harness;
let teller: Clients;

beforeAll(async () => {
  h = await startHarness();
  teller = await h.teller();
});

afterAll(async () => {
  await h?.close();
});

interface OutboxPayload {
  customerId: string;
  changeType: string;
  updatedFields: string[];
  changedBy: string;
}

async function customerEvents(customerId: bigint): Promise<OutboxPayload[]> {
  const rows = await h.db.any(sql.unsafe`
    SELECT topic, type, aggregatetype, payload FROM outbox
    WHERE aggregatetype = 'customer' AND aggregateid = ${String(customerId)}
    ORDER BY created_at, payload->>'eventTime'
  `);
  for (const row of rows) {
    expect(row.topic).toBe("customer.updated");
    expect(row.type).toBe("fidalex.events.v1.CustomerUpdated");
  }
  return rows.map((row) => row.payload as unknown as OutboxPayload);
}

/** A CUSTOMER user who has no customer record yet. */
async function newUser(): Promise<{ userId: bigint; clients: Clients }> {
  const userId = h.newUserId();
  return { userId, clients: await h.as({ sub: String(userId), roles: ["CUSTOMER"] }) };
}

describe("creating customers", () => {
  it("lets staff create a PENDING customer and publishes CREATED with every field", async () => {
    const data = customerData(h, "create");
    const { customer } = await teller.customers.createCustomer(data);
    expect(customer).toMatchObject({
      firstName: "Ada",
      lastName: data.lastName,
      dateOfBirth: "1985-12-10",
      email: data.email,
      kycStatus: KycStatus.PENDING,
      userId: 0n,
      address: { city: "Springfield", country: "US", postalCode: "62701" },
    });
    expect(customer!.customerId).toBeGreaterThan(1n);
    expect(customer!.kycMetadata).toBeUndefined();

    const events = await customerEvents(customer!.customerId);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      customerId: String(customer!.customerId),
      changeType: "CUSTOMER_CHANGE_TYPE_CREATED",
      changedBy: expect.stringMatching(/^user:\d+$/),
    });
    expect(events[0]!.updatedFields).toEqual(
      expect.arrayContaining(["email", "address", "kyc_status", "user_id"]),
    );
    expect(h.links.calls).not.toContainEqual(expect.objectContaining({ customerId: customer!.customerId }));
  });

  it("links a CUSTOMER's own new record to their user, once", async () => {
    const { userId, clients } = await newUser();
    const { customer } = await clients.customers.createCustomer(customerData(h, "self"));
    expect(customer!.userId).toBe(userId);
    expect(h.links.calls).toContainEqual({ userId, customerId: customer!.customerId });
    const linked = await h.db.one(sql.unsafe`
      SELECT user_id, user_linked_at FROM customers WHERE customer_id = ${customer!.customerId}
    `);
    expect(linked.user_id).toBe(userId);
    expect(linked.user_linked_at).toBeInstanceOf(Date);

    // Their token has no cid yet, but the user already has a record.
    await expectRefusal(
      clients.customers.createCustomer(customerData(h, "self-again")),
      Code.AlreadyExists,
      "CUSTOMER_ALREADY_EXISTS",
    );
    const withCid = await h.as({ sub: String(userId), roles: ["CUSTOMER"], cid: customer!.customerId });
    await expectRefusal(
      withCid.customers.createCustomer(customerData(h, "self-third")),
      Code.AlreadyExists,
      "CUSTOMER_ALREADY_EXISTS",
    );
  });

  it("lets staff link a customer to a given user", async () => {
    const userId = h.newUserId();
    const { customer } = await teller.customers.createCustomer({ ...customerData(h, "onboard"), userId });
    expect(customer!.userId).toBe(userId);
    expect(h.links.calls).toContainEqual({ userId, customerId: customer!.customerId });
  });

  it("refuses a CUSTOMER creating a record for another user", async () => {
    const { clients } = await newUser();
    await expectRefusal(
      clients.customers.createCustomer({ ...customerData(h, "other-user"), userId: h.newUserId() }),
      Code.PermissionDenied,
      "PERMISSION_DENIED",
    );
  });

  it("refuses a second customer with the same email, ignoring case", async () => {
    const data = customerData(h, "dup-email");
    await teller.customers.createCustomer(data);
    await expectRefusal(
      teller.customers.createCustomer({ ...data, email: data.email.toUpperCase() }),
      Code.AlreadyExists,
      "EMAIL_TAKEN",
    );
  });

  it.each([
    ["a day that does not exist", { dateOfBirth: "2001-02-30" }, "date_of_birth"],
    ["a birth date in the future", { dateOfBirth: "2999-01-01" }, "date_of_birth"],
    ["a malformed email", { email: "not-an-email" }, "email"],
    ["a lower-case country", { country: "us" }, "address.country"],
  ])("refuses %s", async (_name, change, field) => {
    const data = customerData(h, "invalid");
    const { country, ...rest } = change as { country?: string };
    const request = { ...data, ...rest, address: { ...data.address, ...(country ? { country } : {}) } };
    const error = await expectRefusal(teller.customers.createCustomer(request), Code.InvalidArgument);
    expect(error.rawMessage).toContain(field);
  });

  it("refuses a caller without a valid token", async () => {
    const anonymous = h.anonymous();
    await expectRefusal(
      anonymous.customers.getCustomer({ customerId: 1n }),
      Code.Unauthenticated,
      "TOKEN_MISSING",
    );
    await expectRefusal(
      anonymous.customers.getCustomer({ customerId: 1n }, { headers: { authorization: "Bearer nonsense" } }),
      Code.Unauthenticated,
      "TOKEN_INVALID",
    );
  });
});

describe("reading and replacing a customer", () => {
  it("shows a customer their own record and no other, without telling which ids exist", async () => {
    const mine = await newCustomer(h, teller, "reader", { verified: false });
    const theirs = await newCustomer(h, teller, "someone-else", { verified: false });
    const me = await h.as({ sub: String(h.newUserId()), roles: ["CUSTOMER"], cid: mine });

    const { customer } = await me.customers.getCustomer({ customerId: mine });
    expect(customer!.customerId).toBe(mine);
    await expectRefusal(
      me.customers.getCustomer({ customerId: theirs }),
      Code.PermissionDenied,
      "PERMISSION_DENIED",
    );
    await expectRefusal(
      me.customers.getCustomer({ customerId: 9_000_000_000_000n }),
      Code.PermissionDenied,
      "PERMISSION_DENIED",
    );
    await expectRefusal(
      teller.customers.getCustomer({ customerId: 9_000_000_000_000n }),
      Code.NotFound,
      "CUSTOMER_NOT_FOUND",
    );
    const noCid = await h.as({ sub: String(h.newUserId()), roles: ["CUSTOMER"] });
    await expectRefusal(noCid.customers.getCustomer({ customerId: mine }), Code.PermissionDenied);
  });

  it("replaces the editable fields and names the changed ones in the event", async () => {
    const id = await newCustomer(h, teller, "update", { verified: false });
    const me = await h.as({ sub: String(h.newUserId()), roles: ["CUSTOMER"], cid: id });
    const data = customerData(h, "update");
    const { customer } = await me.customers.updateCustomer({
      customerId: id,
      ...data,
      email: `new.${h.runId}@example.com`,
      phoneNumber: "",
      address: { ...data.address, line1: "1 New Street" },
    });
    expect(customer).toMatchObject({
      email: `new.${h.runId}@example.com`,
      phoneNumber: "",
      address: { line1: "1 New Street" },
      kycStatus: KycStatus.PENDING,
    });
    const events = await customerEvents(id);
    expect(events.map((e) => e.changeType)).toEqual([
      "CUSTOMER_CHANGE_TYPE_CREATED",
      "CUSTOMER_CHANGE_TYPE_UPDATED",
    ]);
    expect(events[1]!.updatedFields.sort()).toEqual(["address", "email", "phone_number"]);
    expect(events[1]!.changedBy).toMatch(/^user:\d+$/);

    // The same data again changes nothing and publishes nothing.
    await me.customers.updateCustomer({
      customerId: id,
      ...data,
      email: `new.${h.runId}@example.com`,
      phoneNumber: "",
      address: { ...data.address, line1: "1 New Street" },
    });
    expect(await customerEvents(id)).toHaveLength(2);
  });

  it("refuses replacing another customer, an unknown one, or taking a used email", async () => {
    const id = await newCustomer(h, teller, "upd-a", { verified: false });
    const other = await newCustomer(h, teller, "upd-b", { verified: false });
    const me = await h.as({ sub: String(h.newUserId()), roles: ["CUSTOMER"], cid: id });
    await expectRefusal(
      me.customers.updateCustomer({ customerId: other, ...customerData(h, "upd-b") }),
      Code.PermissionDenied,
    );
    await expectRefusal(
      teller.customers.updateCustomer({ customerId: 9_000_000_000_001n, ...customerData(h, "upd-x") }),
      Code.NotFound,
      "CUSTOMER_NOT_FOUND",
    );
    await expectRefusal(
      me.customers.updateCustomer({
        customerId: id,
        ...customerData(h, "upd-a"),
        email: customerData(h, "upd-b").email,
      }),
      Code.AlreadyExists,
      "EMAIL_TAKEN",
    );
  });
});

describe("KYC decisions", () => {
  it("lets staff verify a customer, recording who and when, and publishes KYC_CHANGED", async () => {
    const id = await newCustomer(h, teller, "kyc", { verified: false });
    const admin = await h.as({ sub: "777001", roles: ["ADMIN"] });
    const before = Date.now();
    const { customer } = await admin.customers.verifyCustomerKyc({
      customerId: id,
      decision: KycStatus.VERIFIED,
      comment: "passport and utility bill match",
      documents: ["doc-1", "doc-2"],
    });
    expect(customer!.kycStatus).toBe(KycStatus.VERIFIED);
    expect(customer!.kycMetadata).toMatchObject({
      verifiedBy: "777001",
      comment: "passport and utility bill match",
      documents: ["doc-1", "doc-2"],
    });
    const at = Number(customer!.kycMetadata!.verifiedAt!.seconds) * 1000;
    expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);

    const events = await customerEvents(id);
    expect(events[events.length - 1]).toMatchObject({
      changeType: "CUSTOMER_CHANGE_TYPE_KYC_CHANGED",
      updatedFields: ["kyc_status", "kyc_metadata"],
      changedBy: "user:777001",
    });

    await expectRefusal(
      admin.customers.verifyCustomerKyc({
        customerId: id,
        decision: KycStatus.REJECTED,
        comment: "x",
        documents: ["d"],
      }),
      Code.FailedPrecondition,
      "KYC_ALREADY_VERIFIED",
    );
  });

  it("lets a rejected customer be verified later", async () => {
    const id = await newCustomer(h, teller, "kyc-rej", { verified: false });
    const decide = (decision: KycStatus) =>
      teller.customers.verifyCustomerKyc({ customerId: id, decision, comment: "review", documents: ["doc"] });
    expect((await decide(KycStatus.REJECTED)).customer!.kycStatus).toBe(KycStatus.REJECTED);
    expect((await decide(KycStatus.VERIFIED)).customer!.kycStatus).toBe(KycStatus.VERIFIED);
  });

  it("refuses decisions by customers, PENDING as a decision, and unknown customers", async () => {
    const id = await newCustomer(h, teller, "kyc-self", { verified: false });
    const me = await h.as({ sub: String(h.newUserId()), roles: ["CUSTOMER"], cid: id });
    const request = { customerId: id, decision: KycStatus.VERIFIED, comment: "me", documents: ["selfie"] };
    await expectRefusal(me.customers.verifyCustomerKyc(request), Code.PermissionDenied);
    await expectRefusal(
      teller.customers.verifyCustomerKyc({ ...request, decision: KycStatus.PENDING }),
      Code.InvalidArgument,
    );
    await expectRefusal(
      teller.customers.verifyCustomerKyc({ ...request, customerId: 9_000_000_000_002n }),
      Code.NotFound,
      "CUSTOMER_NOT_FOUND",
    );
  });
});

describe("listing customers", () => {
  const city = () => `Ravensburg-${h.runId}`;

  beforeAll(async () => {
    for (const tag of ["list-1", "list-2", "list-3", "list-4", "list-5"]) {
      await newCustomer(h, teller, tag, { verified: tag === "list-2" || tag === "list-4", city: city() });
    }
  });

  it("pages through a city's customers, matching the city ignoring case", async () => {
    const seen: bigint[] = [];
    let pageToken = "";
    let pages = 0;
    do {
      const page = await teller.customers.listCustomers({
        city: city().toUpperCase(),
        pageSize: 2,
        pageToken,
      });
      seen.push(...page.customers.map((c) => c.customerId));
      pageToken = page.nextPageToken;
      pages++;
    } while (pageToken !== "");
    expect(seen).toHaveLength(5);
    expect(pages).toBe(3);
    expect([...seen].sort((a, b) => (a < b ? -1 : 1))).toEqual(seen);
  });

  it("filters by KYC status and by email ignoring case", async () => {
    const verified = await teller.customers.listCustomers({ city: city(), kycStatus: KycStatus.VERIFIED });
    expect(verified.customers.map((c) => c.lastName).sort()).toEqual(["Lovelace-list-2", "Lovelace-list-4"]);
    const byEmail = await teller.customers.listCustomers({
      email: customerData(h, "list-3").email.toUpperCase(),
    });
    expect(byEmail.customers.map((c) => c.lastName)).toEqual(["Lovelace-list-3"]);
  });

  it("is for staff only and refuses page tokens it did not issue", async () => {
    const me = await h.as({ sub: String(h.newUserId()), roles: ["CUSTOMER"], cid: 2n });
    await expectRefusal(me.customers.listCustomers({}), Code.PermissionDenied);
    await expectRefusal(
      teller.customers.listCustomers({ pageToken: "bm90LWEtdG9rZW4" }),
      Code.InvalidArgument,
      "INVALID_PAGE_TOKEN",
    );
  });

  it("finds the city through the address GIN index (jsonb_path_ops)", async () => {
    const plan = await queryPlan(h.db, listCustomersQuery({ cityFolded: "ravensburg" }, 0n, 51));
    expect(plan).toContain("idx_customers_address_gin");
  });
});

describe("the link to the Auth user", () => {
  const worker = () =>
    createCustomerLinkWorker(
      { db: h.db, customerLinks: h.links, logger: createLogger("link-test", "silent") },
      { intervalMs: 60_000 },
    );

  it("keeps a link pending while Auth is unreachable and makes it in the background", async () => {
    const { userId, clients } = await newUser();
    h.links.failNext(new ConnectError("auth is down", Code.Unavailable), 3);
    const { customer } = await clients.customers.createCustomer(customerData(h, "link-later"));
    expect(customer!.userId).toBe(userId);
    const pending = await h.db.one(sql.unsafe`
      SELECT user_linked_at, user_link_next_at, user_link_error FROM customers
      WHERE customer_id = ${customer!.customerId}
    `);
    expect(pending.user_linked_at).toBeNull();
    expect(pending.user_link_next_at).toBeInstanceOf(Date);
    expect(String(pending.user_link_error)).toContain("Unavailable");

    await h.db.query(sql.unsafe`
      UPDATE customers SET user_link_next_at = NOW() WHERE customer_id = ${customer!.customerId}
    `);
    await worker().runOnce();
    const linked = await h.db.one(sql.unsafe`
      SELECT user_id, user_linked_at FROM customers WHERE customer_id = ${customer!.customerId}
    `);
    expect(linked.user_id).toBe(userId);
    expect(linked.user_linked_at).toBeInstanceOf(Date);
    expect(h.links.calls.filter((c) => c.customerId === customer!.customerId)).toHaveLength(4);
  });

  it("drops a link Auth refuses for good, keeping the customer, and says so in an event", async () => {
    const userId = h.newUserId();
    h.links.failNext(new ConnectError("the user was not found", Code.NotFound));
    const { customer } = await teller.customers.createCustomer({
      ...customerData(h, "link-refused"),
      userId,
    });
    expect(customer!.userId).toBe(0n);
    const row = await h.db.one(sql.unsafe`
      SELECT user_id, user_link_error FROM customers WHERE customer_id = ${customer!.customerId}
    `);
    expect(row.user_id).toBeNull();
    expect(String(row.user_link_error)).toContain("NotFound");
    const events = await customerEvents(customer!.customerId);
    expect(events.map((e) => [e.changeType, e.updatedFields])).toEqual([
      ["CUSTOMER_CHANGE_TYPE_CREATED", expect.any(Array)],
      ["CUSTOMER_CHANGE_TYPE_UPDATED", ["user_id"]],
    ]);
  });
});
