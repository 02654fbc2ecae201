// The Chatbot service: configuration, the store, the embedding model and intents, Redis, the
// bank's services acting as the user, the routes, the intent watcher and the `customer.updated`
// consumer (services/runtime/service.ts runs it). It listens only when this file is run directly.
import { defineService, serviceEntry } from "../runtime/service.js";
import { chatbotDependencies } from "./chatbot-dependencies.js";
import { loadChatbotConfig } from "./config.js";
import { chatbotRoutes } from "./server.js";

export const chatbotService = defineService(import.meta.url, {
  loadConfig: loadChatbotConfig,
  dependencies: chatbotDependencies,
  routes: chatbotRoutes,
  workers: (deps) => [deps.catalog.watcher, ...(deps.customerUpdates ? [deps.customerUpdates] : [])],
});

export const start = serviceEntry(chatbotService, import.meta.url);
