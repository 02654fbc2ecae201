// Business rules for customers (who may create, change and decide on whom; what a change is) and
// the one mapper from a stored row to the contract's Customer message.
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import {
  AddressSchema,
  CustomerSchema,
  KycMetadataSchema,
  KycStatus,
  type Address,
  type Customer,
} from "../../../gen/ts/fidalex/account/v1/customer_pb.js";
import type {
  CreateCustomerRequest,
  ListCustomersRequest,
  UpdateCustomerRequest,
  VerifyCustomerKycRequest,
} from "../../../gen/ts/fidalex/account/v1/customer_service_pb.js";
import {
  CustomerChangeType,
  CustomerUpdatedSchema,
} from "../../../gen/ts/fidalex/events/v1/customer_updated_pb.js";
import { isStaff, refuseOwnRecord, requireCustomerAccess, requireStaff } from "../../runtime/access.js";
import type { Principal } from "../../runtime/auth.js";
import type { CommonQueryMethods } from "../../runtime/database.js";
import { domainError, invalidArgument } from "../../runtime/errors.js";
import { appendOutboxEvent, newEventHeader } from "../../runtime/outbox.js";
import { fetchIdPage, type Page } from "../../runtime/pagination.js";
import {
  findCustomer,
  insertCustomer,
  listCustomers as listCustomerRows,
  updateCustomerFields,
  updateKyc,
  type CustomerFields,
  type CustomerRow,
  type KycStatusName,
  type StoredAddress,
} from "./customer-repository.js";

/** The Customer message of a stored customer. */
export function toCustomer(row: CustomerRow): Customer {
  const a = row.address;
  const kyc = row.kyc_metadata;
  return create(CustomerSchema, {
    customerId: row.customer_id,
    firstName: row.first_name,
    lastName: row.last_name,
    dateOfBirth: row.date_of_birth,
    email: row.email ?? "",
    phoneNumber: row.phone_number ?? "",
    address: create(AddressSchema, {
      line1: a.line1,
      line2: a.line2,
      city: a.city,
      state: a.state,
      postalCode: a.postal_code,
      country: a.country,
    }),
    kycStatus: KycStatus[row.kyc_status],
    kycMetadata: kyc
      ? create(KycMetadataSchema, {
          documents: kyc.documents,
          verifiedBy: kyc.verified_by,
          verifiedAt: timestampFromDate(new Date(kyc.verified_at)),
          comment: kyc.comment,
        })
      : undefined,
    createdAt: timestampFromDate(row.created_at),
    updatedAt: timestampFromDate(row.updated_at),
    userId: row.user_id ?? 0n,
  });
}

/**
 * The case-folded form of a city that the case-insensitive city filter compares: upper- then
 * lower-casing folds the cases toLowerCase alone misses (e.g. "Straße" and "STRASSE").
 */
export function foldCity(city: string): string {
  return city.normalize("NFC").toUpperCase().toLowerCase();
}

/** The stored form of an address. */
export function toStoredAddress(address: Address): StoredAddress {
  return {
    line1: address.line1,
    line2: address.line2,
    city: address.city,
    state: address.state,
    postal_code: address.postalCode,
    country: address.country,
    city_folded: foldCity(address.city),
  };
}

/** Refuses a date of birth that is not a real calendar day, lies in the future or before 1900. */
function checkDateOfBirth(value: string): void {
  const date = new Date(`${value}T00:00:00Z`);
  const real = !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
  if (!real) throw invalidArgument([{ field: "date_of_birth", description: "is not a calendar date" }]);
  if (value < "1900-01-01" || date.getTime() > Date.now()) {
    throw invalidArgument([{ field: "date_of_birth", description: "must lie between 1900-01-01 and today" }]);
  }
}

/** The editable fields of a create or update request, checked and normalized (empty → null). */
function customerFields(req: CreateCustomerRequest | UpdateCustomerRequest): CustomerFields {
  checkDateOfBirth(req.dateOfBirth);
  // The contract's rules make the address required; this guards the type, not the wire.
  if (!req.address) throw invalidArgument([{ field: "address", description: "value is required" }]);
  return {
    firstName: req.firstName,
    lastName: req.lastName,
    dateOfBirth: req.dateOfBirth,
    email: req.email === "" ? null : req.email,
    phoneNumber: req.phoneNumber === "" ? null : req.phoneNumber,
    address: toStoredAddress(req.address),
  };
}

/** The names of the Customer fields an update changes (contract field names). */
function changedFields(row: CustomerRow, next: CustomerFields): string[] {
  const changed: string[] = [];
  if (row.first_name !== next.firstName) changed.push("first_name");
  if (row.last_name !== next.lastName) changed.push("last_name");
  if (row.date_of_birth !== next.dateOfBirth) changed.push("date_of_birth");
  if (row.email !== next.email) changed.push("email");
  if (row.phone_number !== next.phoneNumber) changed.push("phone_number");
  if (!sameAddress(row.address, next.address)) changed.push("address");
  return changed;
}

function sameAddress(a: StoredAddress, b: StoredAddress): boolean {
  return (
    a.line1 === b.line1 &&
    a.line2 === b.line2 &&
    a.city === b.city &&
    a.state === b.state &&
    a.postal_code === b.postal_code &&
    a.country === b.country
  );
}

/** Every field of the Customer message: what a CREATED event names. */
const allCustomerFields = CustomerSchema.fields.map((field) => field.name);

/** Publishes customer.updated through the outbox, in the caller's transaction. */
export async function publishCustomerUpdated(
  tx: CommonQueryMethods,
  row: CustomerRow,
  changeType: CustomerChangeType,
  updatedFields: string[],
  changedBy: string,
): Promise<void> {
  await appendOutboxEvent(tx, {
    topic: "customer.updated",
    aggregateType: "customer",
    aggregateId: row.customer_id,
    schema: CustomerUpdatedSchema,
    message: create(CustomerUpdatedSchema, {
      ...newEventHeader(),
      customerId: row.customer_id,
      changeType,
      updatedFields,
      timestamp: timestampFromDate(row.updated_at),
      changedBy,
    }),
  });
}

/**
 * The user a new customer record is linked to, or null for none. A CUSTOMER creates only their
 * own record (user_id 0 or their own id) and only one; staff may link any user or none.
 */
function userToLink(principal: Principal, requested: bigint): bigint | null {
  if (isStaff(principal)) return requested === 0n ? null : requested;
  if (!principal.roles.has("CUSTOMER") || principal.userId === 0n) {
    throw domainError(Code.PermissionDenied, "PERMISSION_DENIED", "the caller may not create customers");
  }
  if (requested !== 0n && requested !== principal.userId) {
    throw domainError(
      Code.PermissionDenied,
      "PERMISSION_DENIED",
      "a customer may create only their own record",
    );
  }
  if (principal.customerId !== undefined) {
    throw domainError(
      Code.AlreadyExists,
      "CUSTOMER_ALREADY_EXISTS",
      "the user already has a customer record",
    );
  }
  return principal.userId;
}

/** Creates a customer (KYC PENDING) and its CREATED event. The Auth link is made after commit. */
export async function createCustomer(
  tx: CommonQueryMethods,
  principal: Principal,
  req: CreateCustomerRequest,
  changedBy: string,
): Promise<CustomerRow> {
  const userId = userToLink(principal, req.userId);
  const row = await insertCustomer(tx, { ...customerFields(req), userId });
  await publishCustomerUpdated(tx, row, CustomerChangeType.CREATED, allCustomerFields, changedBy);
  return row;
}

/** The customer with this id, for a caller allowed to see it (checked before the lookup). */
export async function getCustomer(
  db: CommonQueryMethods,
  principal: Principal,
  customerId: bigint,
  options: { forUpdate?: boolean } = {},
): Promise<CustomerRow> {
  requireCustomerAccess(principal, customerId);
  const row = await findCustomer(db, customerId, options);
  if (!row) throw domainError(Code.NotFound, "CUSTOMER_NOT_FOUND", "no customer has this id");
  return row;
}

/**
 * Replaces a customer's personal data. A request that changes nothing writes nothing and
 * publishes nothing; otherwise the event names the changed fields.
 */
export async function updateCustomer(
  tx: CommonQueryMethods,
  principal: Principal,
  req: UpdateCustomerRequest,
  changedBy: string,
): Promise<CustomerRow> {
  const fields = customerFields(req);
  const current = await getCustomer(tx, principal, req.customerId, { forUpdate: true });
  const changed = changedFields(current, fields);
  if (changed.length === 0) return current;
  const row = await updateCustomerFields(tx, req.customerId, fields);
  await publishCustomerUpdated(tx, row, CustomerChangeType.UPDATED, changed, changedBy);
  return row;
}

/**
 * Records a staff KYC decision. PENDING moves to VERIFIED or REJECTED; a REJECTED customer may be
 * decided on again (new documents); a VERIFIED one is final.
 */
export async function decideKyc(
  tx: CommonQueryMethods,
  principal: Principal,
  req: VerifyCustomerKycRequest,
  changedBy: string,
): Promise<CustomerRow> {
  requireStaff(principal);
  const current = await getCustomer(tx, principal, req.customerId, { forUpdate: true });
  // Four eyes on identity: staff never verify their own record (by the token's customer, or by
  // the user the record is linked to, which a token issued before the link does not show).
  refuseOwnRecord(principal, current.customer_id, current.user_id);
  if (current.kyc_status === "VERIFIED") {
    throw domainError(Code.FailedPrecondition, "KYC_ALREADY_VERIFIED", "the customer is already verified", {
      customer_id: String(req.customerId),
    });
  }
  const decision: KycStatusName = req.decision === KycStatus.VERIFIED ? "VERIFIED" : "REJECTED";
  const row = await updateKyc(tx, req.customerId, decision, {
    documents: req.documents,
    verified_by: principal.subject,
    verified_at: new Date().toISOString(),
    comment: req.comment,
  });
  const fields = current.kyc_status === decision ? ["kyc_metadata"] : ["kyc_status", "kyc_metadata"];
  await publishCustomerUpdated(tx, row, CustomerChangeType.KYC_CHANGED, fields, changedBy);
  return row;
}

/** One page of customers for staff, with the token of the next page ("" after the last). */
export async function listCustomers(
  db: CommonQueryMethods,
  principal: Principal,
  req: ListCustomersRequest,
): Promise<Page<CustomerRow>> {
  requireStaff(principal);
  const filter = {
    kycStatus:
      req.kycStatus === KycStatus.UNSPECIFIED ? undefined : (KycStatus[req.kycStatus] as KycStatusName),
    email: req.email === "" ? undefined : req.email,
    cityFolded: req.city === "" ? undefined : foldCity(req.city),
  };
  return fetchIdPage(
    req,
    (after, limit) => listCustomerRows(db, filter, after, limit),
    (row) => row.customer_id,
  );
}
