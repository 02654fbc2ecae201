// Throughput of the Chatbot: sentence embeddings per second (the model alone, one text at a time,
// then 16 callers at once), and chat messages per second at 16 concurrent conversations through
// the whole service (gRPC in, rate limit and session in Redis, embedding and intent, the messages
// in FerretDB, fulfilment over the real Account and Transaction services), first with questions
// the bot answers from its templates, then with a banking mix (balances, transactions, transfers
// confirmed with yes).
//
//   node --import tsx bench/chatbot-bench.ts     (BENCH_SECONDS=15 per phase, BENCH_CONVERSATIONS=16,
//                                                 EMBEDDING_WORKERS=1, FIDALEX_SKIP_STACK=1 to skip
//                                                 `stack.sh up`)
//
// The services run in this process on free ports against the local stack (bash stack/stack.sh up),
// as their tests run them (services/chatbot/test/support/harness.ts). Figures are printed, never
// asserted.
import { performance } from "node:perf_hooks";
import { createSentenceEmbedder } from "../services/chatbot/embeddings/sentence-embedder.js";
import { ensureEmbeddingModel } from "../services/chatbot/test/support/model.js";
import { startHarness, startConversation, type ChatUser } from "../services/chatbot/test/support/harness.js";
import { ensureStackUp } from "../test/support/stack.js";

const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const conversations = Number(process.env.BENCH_CONVERSATIONS ?? 16);
const workers = process.env.EMBEDDING_WORKERS ?? "1";

const sentences = [
  "what is my checking account balance",
  "how much money do I have in savings",
  "send 50 dollars to my savings",
  "show me my last five transactions",
  "when is my next loan payment due",
  "what is my credit score right now",
  "list my scheduled payments for next month",
  "hello there",
];

function summary(latencies: number[], count: number, elapsedS: number) {
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return `${(count / elapsedS).toFixed(1)}/s  p50 ${at(0.5).toFixed(1)} ms  p95 ${at(0.95).toFixed(1)} ms  p99 ${at(0.99).toFixed(1)} ms  (${count} in ${elapsedS.toFixed(1)} s)`;
}

/** Runs `callers` loops of `step` for the configured time; returns the printed figures. */
async function phase(callers: number, step: (caller: number, i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let failed = 0;
  const deadline = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: callers }, async (_, caller) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const t0 = performance.now();
        try {
          await step(caller, i);
          latencies.push(performance.now() - t0);
        } catch {
          failed++;
        }
      }
    }),
  );
  return (
    summary(latencies, latencies.length, (performance.now() - started) / 1000) +
    (failed ? `, ${failed} failed` : "")
  );
}

// FIDALEX_SKIP_STACK=1 uses the stack as it runs, as the tests' global setup does.
if (process.env.FIDALEX_SKIP_STACK !== "1") ensureStackUp();
const modelDir = ensureEmbeddingModel();

// 1. The model alone.
const embedder = await createSentenceEmbedder(modelDir, { workers: Number(workers) });
for (const text of sentences) await embedder.embed(text);
console.log(`model ${embedder.version}, ${workers} worker thread(s), one intra-op thread each`);
console.log(
  `embeddings, 1 caller:   ${await phase(1, (_, i) => embedder.embed(sentences[i % sentences.length]!))}`,
);
console.log(
  `embeddings, 16 callers: ${await phase(16, (c, i) => embedder.embed(sentences[(c + i) % sentences.length]!))}`,
);
await embedder.close();

// 2. The whole service, 16 conversations at once.
const h = await startHarness({ env: { CHAT_RATE_LIMIT: "1000000", EMBEDDING_WORKERS: workers } });
try {
  const users: Array<{ user: ChatUser; conversation: string }> = [];
  for (let i = 0; i < conversations; i++) {
    const user = await h.newCustomer(`Bench${i}`);
    const checking = await h.newAccount(user.customerId!, "checking");
    await h.newAccount(user.customerId!, "savings");
    await h.fund(checking.accountId, "100000.00");
    users.push({ user, conversation: await startConversation(user.chat) });
  }
  const send = (caller: number, text: string) =>
    users[caller]!.user.chat.sendMessage({ conversationId: users[caller]!.conversation, messageText: text });

  const talk = ["hello", "what can you do", "tell me a joke"];
  console.log(
    `chat, ${conversations} conversations, answered from templates: ${await phase(conversations, (c, i) => send(c, talk[i % talk.length]!))}`,
  );
  const banking = [
    "what's my checking balance",
    "show my last 5 transactions",
    "transfer 1 dollar to my savings",
    "yes",
  ];
  console.log(
    `chat, ${conversations} conversations, banking mix (balance, transactions, transfer + yes): ` +
      (await phase(conversations, (c, i) => send(c, banking[i % banking.length]!))),
  );
} finally {
  await h.close();
}
