// `customer.updated` as the customer notices it: the bot greets by the name it has cached; when the
// customer changes their name through the real Account service, its outbox event travels through
// Debezium and Kafka to the bot, which drops the cached context, and the next greeting uses the
// new name. The cache lives an hour here, so only the event can explain the change. Malformed
// events are refused for the dead-letter topic instead of blocking the partition.
import { NonRetryableError } from "../../runtime/kafka-consumer.js";
import { eventually } from "../../../test/support/eventually.js";
import { customerOfEvent } from "../fulfilment/customer-updates.js";
import { say, startConversation, useHarness } from "./support/harness.js";

const h = useHarness({ env: { CUSTOMER_CONTEXT_TTL_SECONDS: "3600" } });

it("drops the cached customer context when the customer changes, so the bot greets by the new name", async () => {
  const grace = await h.newCustomer("Grace");
  const conversation = await startConversation(grace.chat);
  expect(await say(grace.chat, conversation, "hello")).toMatch(/^(Hello|Hi) Grace!/);

  const { customer } = await grace.customers.getCustomer({ customerId: grace.customerId! });
  await grace.customers.updateCustomer({
    customerId: customer!.customerId,
    firstName: "Gracie",
    lastName: customer!.lastName,
    dateOfBirth: customer!.dateOfBirth,
    email: customer!.email,
    phoneNumber: customer!.phoneNumber,
    address: customer!.address,
  });

  const greeting = await eventually(
    "a greeting with the new name",
    async () => {
      const reply = await say(grace.chat, conversation, "hi again");
      return /Gracie!/.test(reply) ? reply : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 1_000 },
  );
  expect(greeting).toMatch(/^(Hello|Hi) Gracie!/);
}, 90_000);

it("reads the customer id of an event, and dead-letters what is not one", () => {
  expect(
    customerOfEvent({
      eventId: "e-1",
      customerId: "42",
      changeType: "CUSTOMER_CHANGE_TYPE_UPDATED",
      updatedFields: ["firstName"],
    }),
  ).toBe(42n);
  expect(() => customerOfEvent(undefined)).toThrow(NonRetryableError);
  expect(() => customerOfEvent({ customerId: "not a number" })).toThrow(NonRetryableError);
  expect(() => customerOfEvent({ eventId: "e-2" })).toThrow(NonRetryableError);
});
