// Transport of GetEmbedding: the caller's principal and text in, the contract's response out.
import type { ServiceImpl } from "@connectrpc/connect";
import type { ChatbotService } from "../../../gen/ts/fidalex/chatbot/v1/chatbot_service_pb.js";
import { requirePrincipal } from "../../runtime/auth.js";
import type { EmbeddingService } from "./embedding-service.js";

/** The GetEmbedding RPC of ChatbotService. */
export function createEmbeddingHandlers(
  embeddings: EmbeddingService,
): Pick<ServiceImpl<typeof ChatbotService>, "getEmbedding"> {
  return {
    async getEmbedding(req, ctx) {
      return { embedding: await embeddings.embeddingFor(requirePrincipal(ctx), req.text) };
    },
  };
}
