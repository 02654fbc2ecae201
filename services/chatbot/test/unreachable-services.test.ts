// The Payment and Loan services are being written; until they run, the bot answers their questions
// gracefully. Here their URLs point where nothing listens (UNAVAILABLE), or at a real server that
// does not serve them (the Account service: UNIMPLEMENTED), and the conversation goes on.
import { say, startConversation, useHarness } from "./support/harness.js";

const h = useHarness();

it("says it cannot reach scheduled payments, loans or the credit score when nothing listens", async () => {
  const ada = await h.newCustomer("Ada");
  await h.newAccount(ada.customerId!, "checking");
  const conversation = await startConversation(ada.chat);
  expect(await say(ada.chat, conversation, "show my scheduled payments")).toBe(
    "I can't reach your scheduled payments right now. Please try again in a little while.",
  );
  expect(await say(ada.chat, conversation, "what's my loan status")).toMatch(
    /can't reach your loans right now/,
  );
  expect(await say(ada.chat, conversation, "what is my credit score")).toMatch(
    /can't reach your credit score/,
  );
  expect(await say(ada.chat, conversation, "pay 100 dollars on my car loan")).toMatch(
    /can't reach your loans/,
  );
  // The conversation goes on.
  expect(await say(ada.chat, conversation, "what's my balance")).toContain("0.00 USD");
});

it("says the same when a server answers that it does not serve them", async () => {
  const bot = await h.startChatbot({ PAYMENT_URL: h.accountUrl, LOAN_URL: h.accountUrl });
  try {
    const ada = await h.newCustomer("Ada");
    await h.newAccount(ada.customerId!, "checking");
    const chat = bot.chatAs(ada);
    const conversation = await startConversation(chat);
    expect(await say(chat, conversation, "which standing orders are active")).toMatch(
      /can't reach your scheduled payments/,
    );
    expect(await say(chat, conversation, "how much do I still owe on my mortgage")).toMatch(
      /can't reach your loans/,
    );
    const stored = await chat.listConversationMessages({ conversationId: conversation });
    expect(stored.messages.map((m) => m.nlpMetadata?.intent ?? "")).toEqual([
      "scheduled_payments",
      "",
      "loan_status",
      "",
    ]);
  } finally {
    await bot.close();
  }
});
