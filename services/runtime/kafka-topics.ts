// Topics a consumer reads must exist before it subscribes: kafkajs refuses to subscribe to a topic
// the broker does not know yet, even where the broker would create it on first use. A consumer that
// may start before its producers (a CDC loader before its connectors) declares its topics first.
import { Kafka, logLevel } from "kafkajs";
import type { Logger } from "./logger.js";

/**
 * Creates those of the topics that do not exist yet, with the broker's default partition count
 * and replication factor (as if the broker had auto-created them); existing topics are left as
 * they are. Returns the names it created.
 */
export async function ensureTopics(brokers: string[], topics: string[], logger: Logger): Promise<string[]> {
  const admin = new Kafka({ clientId: "topic-check", brokers, logLevel: logLevel.WARN }).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((topic) => !existing.has(topic));
    if (missing.length > 0) {
      await admin.createTopics({ topics: missing.map((topic) => ({ topic })), waitForLeaders: true });
      logger.info({ topics: missing }, "created topics that did not exist yet");
    }
    return missing;
  } finally {
    await admin.disconnect();
  }
}
