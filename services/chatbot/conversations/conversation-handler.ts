// Transport of the conversations' RPCs: reads the principal and the authorization header the bot
// forwards to the bank's services, passes the call's abort signal on, and shapes the responses.
import type { ServiceImpl } from "@connectrpc/connect";
import type { JsonObject } from "@bufbuild/protobuf";
import type { ChatbotService } from "../../../gen/ts/fidalex/chatbot/v1/chatbot_service_pb.js";
import { requirePrincipal } from "../../runtime/auth.js";
import { toChatMessage, toConversationMessage, type ConversationService } from "./conversation-service.js";

/** The StartConversation, SendMessage and ListConversationMessages RPCs of ChatbotService. */
export function createConversationHandlers(
  conversations: ConversationService,
): Pick<
  ServiceImpl<typeof ChatbotService>,
  "startConversation" | "sendMessage" | "listConversationMessages"
> {
  return {
    async startConversation(req, ctx) {
      const conversation = await conversations.start(
        requirePrincipal(ctx),
        req.metadata as JsonObject | undefined,
      );
      return { conversation: toConversationMessage(conversation) };
    },
    async sendMessage(req, ctx) {
      const caller = {
        principal: requirePrincipal(ctx),
        // The authentication interceptor verified this very header: the bot forwards it unchanged.
        authorization: ctx.requestHeader.get("authorization") ?? "",
        signal: ctx.signal,
      };
      const { user, bot } = await conversations.send(caller, req.conversationId, req.messageText);
      return { userMessage: toChatMessage(user), botMessage: toChatMessage(bot) };
    },
    async listConversationMessages(req, ctx) {
      const page = await conversations.messages(requirePrincipal(ctx), req.conversationId, req);
      return { messages: page.items.map(toChatMessage), nextPageToken: page.nextPageToken };
    },
  };
}
