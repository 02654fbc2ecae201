// Transport of the intents' RPCs: the principal and the request in, the contract's messages out.
import type { ServiceImpl } from "@connectrpc/connect";
import type { ChatbotService } from "../../../gen/ts/fidalex/chatbot/v1/chatbot_service_pb.js";
import { requirePrincipal } from "../../runtime/auth.js";
import { toIntentMessage, type IntentService } from "./intent-service.js";

/** The ListIntents and UpsertIntent RPCs of ChatbotService. */
export function createIntentHandlers(
  intents: IntentService,
): Pick<ServiceImpl<typeof ChatbotService>, "listIntents" | "upsertIntent"> {
  return {
    async listIntents(req, ctx) {
      requirePrincipal(ctx);
      const page = await intents.list(req);
      return { intents: page.items.map(toIntentMessage), nextPageToken: page.nextPageToken };
    },
    async upsertIntent(req, ctx) {
      const { intent, created } = await intents.upsert(requirePrincipal(ctx), req);
      return { intent: toIntentMessage(intent), created };
    },
  };
}
