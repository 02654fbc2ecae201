// Conversations as a user sees them: a greeting by name, balances and transactions with the real
// figures of the Account and Transaction services, each message stored with what the bot
// understood, the history page by page, a goodbye that ends the conversation, and help instead of
// a guess when the bot does not understand.
import { Code } from "@connectrpc/connect";
import { SenderType } from "../../../gen/ts/fidalex/chatbot/v1/message_pb.js";
import { expectRefusal, say, startConversation, useHarness } from "./support/harness.js";

const h = useHarness();

describe("a conversation", () => {
  it("greets the customer by name and answers the balance with the real figure", async () => {
    const ada = await h.newCustomer("Ada");
    const checking = await h.newAccount(ada.customerId!, "checking");
    await h.fund(checking.accountId, "512.34");
    const id = await startConversation(ada.chat);

    expect(await say(ada.chat, id, "hello there")).toMatch(/^(Hello|Hi) Ada!/);
    const reply = await say(ada.chat, id, "how much money is in my checking account?");
    expect(reply).toContain("512.34 USD");
    expect(reply).toContain(checking.accountNumber);
  });

  it("stores each message with its nlp_metadata and lists the history oldest first, page by page", async () => {
    const ada = await h.newCustomer("Ada");
    const savings = await h.newAccount(ada.customerId!, "savings");
    await h.fund(savings.accountId, "80.00");
    const id = await startConversation(ada.chat);

    const sent = await ada.chat.sendMessage({ conversationId: id, messageText: "what's my savings balance" });
    expect(sent.userMessage).toMatchObject({
      conversationId: id,
      senderType: SenderType.USER,
      messageText: "what's my savings balance",
      nlpMetadata: { intent: "account_balance", entities: { account_type: "savings" } },
    });
    expect(sent.userMessage!.nlpMetadata!.confidence).toBeGreaterThan(0.34);
    expect(sent.botMessage!.senderType).toBe(SenderType.BOT);
    expect(sent.botMessage!.nlpMetadata).toBeUndefined();
    expect(sent.botMessage!.messageText).toContain("80.00 USD");
    await say(ada.chat, id, "show my recent transactions");

    const first = await ada.chat.listConversationMessages({ conversationId: id, pageSize: 3 });
    expect(first.messages.map((m) => m.senderType)).toEqual([
      SenderType.USER,
      SenderType.BOT,
      SenderType.USER,
    ]);
    expect(first.messages[0]!.messageId).toBe(sent.userMessage!.messageId);
    expect(first.messages[0]!.nlpMetadata!.intent).toBe("account_balance");
    const second = await ada.chat.listConversationMessages({
      conversationId: id,
      pageSize: 3,
      pageToken: first.nextPageToken,
    });
    expect(second.messages).toHaveLength(1);
    expect(second.messages[0]!.messageText).toContain("+80.00 USD");
    expect(second.nextPageToken).toBe("");
    await expectRefusal(
      ada.chat.listConversationMessages({ conversationId: id, pageToken: "not-a-token" }),
      Code.InvalidArgument,
      "INVALID_PAGE_TOKEN",
    );
  });

  it("lists transactions of a period with their direction", async () => {
    const ada = await h.newCustomer("Ada");
    const checking = await h.newAccount(ada.customerId!, "checking");
    await h.fund(checking.accountId, "40.00");
    await h.fund(checking.accountId, "2.50");
    const id = await startConversation(ada.chat);
    const reply = await say(ada.chat, id, "show me the last 10 transactions on my checking account");
    expect(reply).toContain(checking.accountNumber);
    expect(reply).toMatch(/deposit: \+2\.50 USD[\s\S]*deposit: \+40\.00 USD/);
    const lastYear = await say(ada.chat, id, "what did I spend in 2001");
    expect(lastYear).toContain("I found no transactions");
  });

  it("offers help instead of guessing, and ends the conversation on goodbye", async () => {
    const ada = await h.newCustomer("Ada");
    const id = await startConversation(ada.chat);
    const unsure = await ada.chat.sendMessage({
      conversationId: id,
      messageText: "give me a recipe for lasagna",
    });
    expect(unsure.botMessage!.messageText).toMatch(/can't help with that|not sure I understood/);
    expect(unsure.userMessage!.nlpMetadata!.intent).toMatch(/^(fallback|)$/);

    expect(await say(ada.chat, id, "thanks, that's all, bye")).toMatch(/Goodbye|See you/);
    await expectRefusal(
      ada.chat.sendMessage({ conversationId: id, messageText: "one more thing" }),
      Code.FailedPrecondition,
      "CONVERSATION_ENDED",
    );
    const { messages } = await ada.chat.listConversationMessages({ conversationId: id });
    expect(messages).toHaveLength(4);
  });

  it("tells a user without a customer record that there is nothing to show yet", async () => {
    const newcomer = await h.newUser();
    const id = await startConversation(newcomer.chat);
    expect(await say(newcomer.chat, id, "what's my balance")).toContain("can't find a customer record");
  });
});

describe("authorization", () => {
  it("keeps a conversation to its user; staff may read it but not write to it", async () => {
    const ada = await h.newCustomer("Ada");
    const eve = await h.newCustomer("Eve");
    const id = await startConversation(ada.chat);
    await say(ada.chat, id, "hi");

    await expectRefusal(
      eve.chat.sendMessage({ conversationId: id, messageText: "hi" }),
      Code.PermissionDenied,
    );
    await expectRefusal(eve.chat.listConversationMessages({ conversationId: id }), Code.PermissionDenied);
    // An id that does not exist looks the same to a user as someone else's.
    const missing = "conv-doesnotexist0000000";
    await expectRefusal(
      eve.chat.listConversationMessages({ conversationId: missing }),
      Code.PermissionDenied,
    );
    await expectRefusal(
      eve.chat.sendMessage({ conversationId: missing, messageText: "hi" }),
      Code.PermissionDenied,
    );

    const teller = await h.staff();
    const { messages } = await teller.chat.listConversationMessages({ conversationId: id });
    expect(messages).toHaveLength(2);
    await expectRefusal(
      teller.chat.sendMessage({ conversationId: id, messageText: "hi" }),
      Code.PermissionDenied,
    );
    await expectRefusal(teller.chat.listConversationMessages({ conversationId: missing }), Code.NotFound);
  });

  it("never answers with another customer's data", async () => {
    const ada = await h.newCustomer("Ada");
    const eve = await h.newCustomer("Eve");
    await h.newAccount(ada.customerId!, "checking");
    const eveAccount = await h.newAccount(eve.customerId!, "checking");
    await h.fund(eveAccount.accountId, "777.77");
    const id = await startConversation(ada.chat);

    for (const text of [
      `what's the balance of account ${eveAccount.accountId}`,
      `what is the balance of ${eveAccount.accountNumber}`,
      `show the transactions of account ${eveAccount.accountId}`,
      `transfer 10 dollars from account ${eveAccount.accountId} to my checking`,
    ]) {
      const reply = await say(ada.chat, id, text);
      expect(reply).not.toContain("777.77");
      expect(reply).toMatch(/can't find .* among your accounts/);
    }
    expect(await h.balance(eveAccount.accountId)).toBe("777.77");
  });
});

describe("bad input", () => {
  it("refuses empty, oversized and invisible messages, and malformed conversation ids", async () => {
    const ada = await h.newCustomer("Ada");
    const id = await startConversation(ada.chat);
    await expectRefusal(ada.chat.sendMessage({ conversationId: id, messageText: "" }), Code.InvalidArgument);
    await expectRefusal(
      ada.chat.sendMessage({ conversationId: id, messageText: "a".repeat(10 * 1024) }),
      Code.InvalidArgument,
    );
    await expectRefusal(
      ada.chat.sendMessage({ conversationId: id, messageText: " \u0000\u0007\u200b\u202e\t " }),
      Code.InvalidArgument,
      "INVALID_ARGUMENT",
    );
    await expectRefusal(
      ada.chat.sendMessage({ conversationId: "not-a-conversation", messageText: "hi" }),
      Code.InvalidArgument,
    );
    const { messages } = await ada.chat.listConversationMessages({ conversationId: id });
    expect(messages).toEqual([]);
  });

  it("refuses control characters (the mesh's input hygiene) and stores other hostile text as sent", async () => {
    const ada = await h.newCustomer("Ada");
    await h.newAccount(ada.customerId!, "checking");
    const id = await startConversation(ada.chat);
    await expectRefusal(
      ada.chat.sendMessage({ conversationId: id, messageText: "what\u0000 is my balance\u0007 \u001b[31m" }),
      Code.InvalidArgument,
    );
    const sent = await ada.chat.sendMessage({
      conversationId: id,
      messageText: "what is my\u202e balance {balance} ${x}\r\n",
    });
    expect(sent.userMessage!.nlpMetadata!.intent).toBe("account_balance");
    expect(sent.botMessage!.messageText).toContain("0.00 USD");
  });

  it("refuses metadata the store cannot hold", async () => {
    const ada = await h.newCustomer("Ada");
    await expectRefusal(ada.chat.startConversation({ metadata: { $where: "1" } }), Code.InvalidArgument);
    await expectRefusal(ada.chat.startConversation({ metadata: { "a.b": 1 } }), Code.InvalidArgument);
    await expectRefusal(
      ada.chat.startConversation({ metadata: { big: "x".repeat(5000) } }),
      Code.InvalidArgument,
    );
    const { conversation } = await ada.chat.startConversation({
      metadata: { device: "web", location: "NYC" },
    });
    expect(conversation).toMatchObject({ userId: ada.userId, metadata: { device: "web", location: "NYC" } });
  });
});
