// Intents and limits as their users see them: staff teach the bot a new intent and every instance
// answers with it; customers may list intents but not change them; a conversation that sends too
// fast is refused with RESOURCE_EXHAUSTED and a retry delay, without slowing other conversations.
import { Code } from "@connectrpc/connect";
import { RetryInfoSchema } from "../../../gen/ts/google/rpc/error_details_pb.js";
import { eventually } from "../../../test/support/eventually.js";
import {
  expectRefusal,
  say,
  startConversation,
  useHarness,
  type ChatbotInstance,
} from "./support/harness.js";

const h = useHarness({ env: { CHAT_RATE_LIMIT: "4", CHAT_RATE_WINDOW_SECONDS: "60" } });

describe("intents", () => {
  it("lists the seeded intents by name, page by page", async () => {
    const ada = await h.newCustomer("Ada");
    const first = await ada.chat.listIntents({ pageSize: 5 });
    expect(first.intents.map((i) => i.name)).toEqual([
      "account_balance",
      "cancel",
      "confirm",
      "credit_score",
      "fallback",
    ]);
    expect(first.intents[0]).toMatchObject({ intentId: "intent_account_balance" });
    expect(first.intents[0]!.trainingPhrases).toContain("what is my balance");
    const rest = await ada.chat.listIntents({ pageSize: 50, pageToken: first.nextPageToken });
    expect(rest.intents.map((i) => i.name)).toEqual([
      "goodbye",
      "greeting",
      "help",
      "loan_payment",
      "loan_status",
      "recent_transactions",
      "scheduled_payments",
      "transfer_money",
    ]);
    expect(rest.nextPageToken).toBe("");
  });

  it("lets staff add an intent that this and every other instance then answers with", async () => {
    const ada = await h.newCustomer("Ada");
    const teller = await h.staff();
    const other: ChatbotInstance = await h.startChatbot({ INTENT_REFRESH_MS: "200" });
    try {
      const change = {
        name: "branch_hours",
        trainingPhrases: [
          "when is the branch open",
          "what are your opening hours",
          "is the branch open on saturday",
          "what time does the bank close",
        ],
        responseTemplates: ["Our branches are open Monday to Friday, 9:00 to 17:00."],
      };
      await expectRefusal(ada.chat.upsertIntent(change), Code.PermissionDenied);
      const created = await teller.chat.upsertIntent(change);
      expect(created).toMatchObject({
        created: true,
        intent: { name: "branch_hours", intentId: "intent_branch_hours" },
      });

      const conversation = await startConversation(ada.chat);
      const sent = await ada.chat.sendMessage({
        conversationId: conversation,
        messageText: "what time do you open on saturday?",
      });
      expect(sent.userMessage!.nlpMetadata!.intent).toBe("branch_hours");
      expect(sent.botMessage!.messageText).toBe("Our branches are open Monday to Friday, 9:00 to 17:00.");

      // The other instance notices the change on its next check.
      const elsewhere = other.chatAs(ada);
      const otherConversation = await startConversation(elsewhere);
      await eventually(
        "the other instance to know branch_hours",
        async () => {
          const reply = await say(elsewhere, otherConversation, "when does the branch close today?");
          return reply.startsWith("Our branches are open") ? reply : undefined;
        },
        { timeoutMs: 10_000, intervalMs: 300 },
      );

      // Replacing it keeps the name and says it was not created.
      const replaced = await teller.chat.upsertIntent({ ...change, responseTemplates: ["We open at 9:00."] });
      expect(replaced.created).toBe(false);
      expect(replaced.intent!.responseTemplates).toEqual(["We open at 9:00."]);
      expect(await say(ada.chat, conversation, "are you open on saturday")).toBe("We open at 9:00.");
    } finally {
      await other.close();
    }
  });

  it("refuses intents that break the contract's rules", async () => {
    const teller = await h.staff();
    await expectRefusal(
      teller.chat.upsertIntent({ name: "Bad Name", trainingPhrases: ["x"], responseTemplates: ["y"] }),
      Code.InvalidArgument,
    );
    await expectRefusal(
      teller.chat.upsertIntent({ name: "empty_phrases", trainingPhrases: [], responseTemplates: ["y"] }),
      Code.InvalidArgument,
    );
    await expectRefusal(
      teller.chat.upsertIntent({
        name: "invisible",
        trainingPhrases: ["\u0000\u200b"],
        responseTemplates: ["y"],
      }),
      Code.InvalidArgument,
    );
  });
});

describe("the rate limit of a conversation", () => {
  it("refuses messages beyond the limit with a retry delay, and leaves other conversations alone", async () => {
    const ada = await h.newCustomer("Ada");
    const busy = await startConversation(ada.chat);
    for (let i = 0; i < 4; i++) await say(ada.chat, busy, "hi");
    const refused = await expectRefusal(
      ada.chat.sendMessage({ conversationId: busy, messageText: "hi again" }),
      Code.ResourceExhausted,
      "RATE_LIMITED",
    );
    const retry = refused.findDetails(RetryInfoSchema)[0];
    expect(Number(retry!.retryDelay!.seconds)).toBeGreaterThan(0);
    const { messages } = await ada.chat.listConversationMessages({ conversationId: busy });
    expect(messages).toHaveLength(8);

    const calm = await startConversation(ada.chat);
    expect(await say(ada.chat, calm, "hello")).toMatch(/Ada/);
  });

  it("is not spent by someone else's refused calls", async () => {
    const ada = await h.newCustomer("Ada");
    const eve = await h.newCustomer("Eve");
    const conversation = await startConversation(ada.chat);
    for (let i = 0; i < 6; i++) {
      await expectRefusal(
        eve.chat.sendMessage({ conversationId: conversation, messageText: "hi" }),
        Code.PermissionDenied,
      );
    }
    expect(await say(ada.chat, conversation, "hi")).toMatch(/Ada/);
  });
});
