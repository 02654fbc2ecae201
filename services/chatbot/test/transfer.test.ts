// Transfers in the chat as the customer sees them, against the real Account and Transaction
// services: nothing moves until the customer says yes in the same conversation; a yes moves the
// money once, however often it is said or retried; no, a new request, a refusal of the bank or an
// expired session move nothing.
import type { Client } from "@connectrpc/connect";
import type { ChatbotService } from "../../../gen/ts/fidalex/chatbot/v1/chatbot_service_pb.js";
import { say, startConversation, useHarness, type ChatUser } from "./support/harness.js";

const h = useHarness();

/** A customer with a funded checking account and an empty savings account. */
async function customerWithTwoAccounts(opening = "300.00") {
  const user = await h.newCustomer("Ada");
  const checking = await h.newAccount(user.customerId!, "checking");
  const savings = await h.newAccount(user.customerId!, "savings");
  await h.fund(checking.accountId, opening);
  return { user, checking, savings, conversation: await startConversation(user.chat) };
}

async function balances(a: { accountId: bigint }, b: { accountId: bigint }) {
  return [await h.balance(a.accountId), await h.balance(b.accountId)];
}

describe("a transfer in the chat", () => {
  it("moves no money before the yes, moves it on the yes, and not again on a second yes", async () => {
    const { user, checking, savings, conversation } = await customerWithTwoAccounts();

    const question = await say(user.chat, conversation, "transfer 120.50 dollars to my savings");
    expect(question).toContain(`transfer 120.50 USD from your checking account ${checking.accountNumber}`);
    expect(question).toContain(`to your savings account ${savings.accountNumber}`);
    expect(question).toMatch(/Reply yes to confirm/);
    expect(await balances(checking, savings)).toEqual(["300.00", "0.00"]);

    const done = await user.chat.sendMessage({ conversationId: conversation, messageText: "yes please" });
    expect(done.userMessage!.nlpMetadata!.intent).toBe("confirm");
    expect(done.botMessage!.messageText).toMatch(/120\.50 USD/);
    expect(done.botMessage!.messageText).toContain("179.50 USD");
    expect(await balances(checking, savings)).toEqual(["179.50", "120.50"]);

    expect(await say(user.chat, conversation, "yes")).toMatch(/nothing waiting/);
    expect(await balances(checking, savings)).toEqual(["179.50", "120.50"]);
    const history = await say(user.chat, conversation, "show my savings transactions");
    expect(history.match(/transfer from your checking/g)).toHaveLength(1);
    // Across both accounts the transfer is one line, from one to the other.
    const everything = await say(user.chat, conversation, "show my recent transactions");
    expect(
      everything.match(/transfer from your checking account \S+ to your savings account \S+: 120\.50 USD/g),
    ).toHaveLength(1);
  });

  it("moves the money once when two yes messages race", async () => {
    const { user, checking, savings, conversation } = await customerWithTwoAccounts();
    await say(user.chat, conversation, "move 100 into my savings");
    const replies = await Promise.all([
      say(user.chat, conversation, "yes"),
      say(user.chat, conversation, "yes, go ahead"),
    ]);
    expect(replies.filter((r) => r.includes("200.00 USD"))).toHaveLength(1);
    expect(await balances(checking, savings)).toEqual(["200.00", "100.00"]);
  });

  it("cancels on no, and when the customer asks something else instead", async () => {
    const { user, checking, savings, conversation } = await customerWithTwoAccounts();
    await say(user.chat, conversation, "send 50 to my savings account");
    expect(await say(user.chat, conversation, "no, don't do it")).toMatch(/cancelled.*Nothing was sent/);
    expect(await say(user.chat, conversation, "yes")).toMatch(/nothing waiting/);

    await say(user.chat, conversation, "send 60 to my savings account");
    const other = await say(user.chat, conversation, "what's my checking balance?");
    expect(other).toMatch(/^I've cancelled the request you hadn't confirmed\./);
    expect(other).toContain("300.00 USD");
    expect(await say(user.chat, conversation, "yes")).toMatch(/nothing waiting/);
    expect(await balances(checking, savings)).toEqual(["300.00", "0.00"]);
  });

  it("asks for what is missing, then confirms the completed request", async () => {
    const { user, checking, savings, conversation } = await customerWithTwoAccounts();
    expect(await say(user.chat, conversation, "I want to move money to my savings")).toMatch(/How much/);
    expect(await say(user.chat, conversation, "25 dollars")).toContain("transfer 25.00 USD");
    await say(user.chat, conversation, "confirm");
    expect(await balances(checking, savings)).toEqual(["275.00", "25.00"]);
  });

  it("answers a refusal of the bank in words, and moves nothing", async () => {
    const { user, checking, savings, conversation } = await customerWithTwoAccounts("20.00");
    await say(user.chat, conversation, "transfer 50 dollars to my savings");
    expect(await say(user.chat, conversation, "yes")).toMatch(/doesn't have enough money.*Nothing was sent/);
    expect(await balances(checking, savings)).toEqual(["20.00", "0.00"]);
    expect(await say(user.chat, conversation, "send 5 euros to my savings")).toMatch(/holds USD/);
    expect(await say(user.chat, conversation, "send 5 dollars to John")).toMatch(
      /can't send money to John by name/,
    );
  });

  it("retries an execution whose outcome was unknown with the same key, and moves the money once", async () => {
    const { user, checking, savings, conversation } = await customerWithTwoAccounts();
    await say(user.chat, conversation, "transfer 30 dollars to my savings");
    const restart = await h.stopTransaction();
    try {
      expect(await say(user.chat, conversation, "yes")).toMatch(
        /couldn't reach the transfer service.*Reply yes to try again/,
      );
    } finally {
      await restart();
    }
    expect(await say(user.chat, conversation, "yes")).toContain("270.00 USD");
    expect(await say(user.chat, conversation, "yes")).toMatch(/nothing waiting/);
    expect(await balances(checking, savings)).toEqual(["270.00", "30.00"]);
  });

  it("sends to another customer's account by its id, but only from the customer's own", async () => {
    const { user, checking, conversation } = await customerWithTwoAccounts();
    const friend = await h.newCustomer("Bob");
    const friendAccount = await h.newAccount(friend.customerId!, "checking");
    expect(await say(user.chat, conversation, `send 12.34 to account ${friendAccount.accountId}`)).toContain(
      `to account ${friendAccount.accountId}`,
    );
    await say(user.chat, conversation, "yes");
    expect(await h.balance(friendAccount.accountId)).toBe("12.34");
    expect(await h.balance(checking.accountId)).toBe("287.66");

    const friendConversation = await startConversation(friend.chat);
    const reply = await say(
      friend.chat,
      friendConversation,
      `transfer 5 from account ${checking.accountId} to my checking`,
    );
    expect(reply).toMatch(/can't find account .* among your accounts/);
    expect(await h.balance(checking.accountId)).toBe("287.66");
  });
});

describe("an expired session", () => {
  let shortLived: { chat: (user: ChatUser) => Client<typeof ChatbotService>; close(): Promise<void> };

  beforeAll(async () => {
    const instance = await h.startChatbot({ SESSION_TTL_SECONDS: "1" });
    shortLived = { chat: (user) => instance.chatAs(user), close: () => instance.close() };
  });

  afterAll(async () => {
    await shortLived?.close();
  });

  it("cancels the transfer it held: a late yes moves nothing", async () => {
    const { user, checking, savings } = await customerWithTwoAccounts();
    const chat = shortLived.chat(user);
    const conversation = await startConversation(chat);
    expect(await say(chat, conversation, "transfer 40 dollars to my savings")).toMatch(/expires in/);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await say(chat, conversation, "yes")).toMatch(/nothing waiting|expired/);
    expect(await balances(checking, savings)).toEqual(["300.00", "0.00"]);
  });
});
