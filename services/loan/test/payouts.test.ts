// An approved loan, end to end through the real stores: the decision's loan.decided event leaves
// through the outbox and Debezium to Kafka; the Account service consumes it and opens the
// customer's LOAN account once, also when the event is delivered twice; and the principal reaches
// the customer's account exactly once, whatever was delivered.
import { randomUUID } from "node:crypto";
import { Kafka, logLevel } from "kafkajs";
import { AccountType } from "../../../gen/ts/fidalex/account/v1/account_pb.js";
import { LoanApplicationStatus } from "../../../gen/ts/fidalex/loan/v1/loan_application_pb.js";
import { sql } from "../../runtime/database.js";
import { eventually } from "../../../test/support/eventually.js";
import { stackVar } from "../../../test/support/stack.js";
import { apply, payoutTransfers, startHarness, type Applicant, type Harness } from "./support/harness.js";

let h: Harness;
const kafka = new Kafka({
  clientId: "loan-payout-test",
  brokers: stackVar("KAFKA_BROKERS").split(","),
  logLevel: logLevel.NOTHING,
});

beforeAll(async () => {
  h = await startHarness({ kafka: true });
});

afterAll(() => h?.close());

/** The customer's LOAN accounts, as the Account service lists them. */
const loanAccounts = async (applicant: Applicant) => {
  const { accounts } = await applicant.clients.accounts.listCustomerAccounts({
    customerId: applicant.customerId,
  });
  return accounts.filter((a) => a.accountType === AccountType.LOAN);
};

/** Reads loan.decided from the start until the event about the application arrives. */
async function decidedEventOnKafka(applicationId: bigint) {
  const consumer = kafka.consumer({ groupId: `loan-payout-test-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: "loan.decided", fromBeginning: true });
  try {
    return await new Promise<{ key: string; id: string; value: Record<string, unknown> }>(
      (resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("no loan.decided event within 60 s")), 60_000);
        void consumer.run({
          eachMessage: async ({ message }) => {
            // Debezium's JSON converter writes the key (the aggregate id) as a JSON string.
            const key = message.key ? (JSON.parse(message.key.toString()) as unknown) : undefined;
            if (key !== String(applicationId)) return;
            clearTimeout(timer);
            resolve({
              key: message.key!.toString(),
              id: String(message.headers?.id),
              value: JSON.parse(message.value!.toString()) as Record<string, unknown>,
            });
          },
        });
      },
    );
  } finally {
    await consumer.disconnect();
  }
}

describe("an approved loan", () => {
  let applicant: Applicant;
  let applicationId: bigint;
  let loanId: bigint;

  beforeAll(async () => {
    applicant = await h.applicant("GOOD");
    const { loanApplication } = await apply(applicant, "2400.00");
    expect(loanApplication!.status).toBe(LoanApplicationStatus.APPROVED);
    applicationId = loanApplication!.applicationId;
    loanId = loanApplication!.loanId;
  });

  it("is announced on Kafka as loan.decided, keyed by the application, with the event id in a header", async () => {
    const event = await decidedEventOnKafka(applicationId);
    expect(event.key).toBe(JSON.stringify(String(applicationId)));
    expect(event.value).toMatchObject({
      applicationId: String(applicationId),
      status: "LOAN_APPLICATION_STATUS_APPROVED",
      loanId: String(loanId),
      amount: "2400.00",
      currency: "USD",
    });
    expect(event.id).toBe(event.value.eventId);
  });

  it("gets one LOAN account at the Account service, also when loan.decided is delivered twice", async () => {
    const opened = await eventually("the LOAN account", async () => {
      const found = await loanAccounts(applicant);
      return found.length > 0 ? found : undefined;
    });
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ currency: "USD", balance: "0.00", branchId: 2 });

    // The same event again, under its own id (redelivered) and as a second event about the loan.
    const original = await decidedEventOnKafka(applicationId);
    const copyId = randomUUID();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic: "loan.decided",
      messages: [
        { key: original.key, value: JSON.stringify(original.value), headers: { id: original.id } },
        {
          key: original.key,
          value: JSON.stringify({ ...original.value, eventId: copyId }),
          headers: { id: copyId },
        },
      ],
    });
    await producer.disconnect();
    await eventually("the copy consumed", async () => {
      const processed = await h.accountDb.maybeOneFirst(sql.unsafe`
        SELECT event_id FROM processed_events WHERE consumer = 'account-loan-accounts' AND event_id = ${copyId}
      `);
      return processed ?? undefined;
    });
    expect(await loanAccounts(applicant)).toEqual(opened);
    const links = await h.accountDb.oneFirst(sql.unsafe`
      SELECT COUNT(*)::int FROM loan_account_links WHERE loan_id = ${loanId}
    `);
    expect(links).toBe(1);

    // And the principal was paid out once, whatever was delivered.
    expect(await payoutTransfers(h.transactionDb, loanId)).toBe(1);
    expect(await h.balance(applicant.accountId)).toBe("5400.00");
  });
});
