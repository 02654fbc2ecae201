// Redis of the local stack, reached with ioredis as the services will, with the ACL users the stack
// writes (stack/components/redis.sh).
import { connect } from "node:net";
import { Redis } from "ioredis";
import { stackVar } from "../support/stack.js";

let redis: Redis;

beforeAll(async () => {
  redis = new Redis(stackVar("REDIS_URL"), { lazyConnect: true, maxRetriesPerRequest: 2 });
  await redis.connect();
});

afterAll(async () => {
  await redis?.quit();
});

test("a value written with a TTL is read back, and expires", async () => {
  const key = `infra:probe:${process.pid}:${Date.now()}`;
  expect(await redis.set(key, "SERVING", "PX", 400)).toBe("OK");
  expect(await redis.get(key)).toBe("SERVING");
  expect(await redis.pttl(key)).toBeGreaterThan(0);
  await new Promise((r) => setTimeout(r, 600));
  expect(await redis.get(key)).toBeNull();
});

test("a lock key is taken once (SET NX), as the transfer locks will be", async () => {
  const key = `lock:acct:infra-${process.pid}-${Date.now()}`;
  expect(await redis.set(key, "owner-a", "PX", 5_000, "NX")).toBe("OK");
  expect(await redis.set(key, "owner-b", "PX", 5_000, "NX")).toBeNull();
  expect(await redis.get(key)).toBe("owner-a");
  await redis.del(key);
});

describe("credentials (issue 14, finding 8): no anonymous client, a user per service", () => {
  const address = new URL(stackVar("REDIS_URL"));
  /** Sends inline commands over a plain connection and resolves with Redis's first reply line to each. */
  const raw = (...commands: string[]) =>
    new Promise<string[]>((resolve, reject) => {
      const socket = connect(Number(address.port), address.hostname);
      let data = "";
      socket.setTimeout(5_000, () => socket.destroy(new Error("no reply from Redis")));
      socket.on("error", reject);
      socket.on("data", (chunk) => {
        data += chunk.toString("utf8");
        const lines = data.split("\r\n").filter(Boolean);
        if (lines.length >= commands.length) {
          socket.end();
          resolve(lines.slice(0, commands.length));
        }
      });
      socket.write(commands.map((c) => `${c}\r\n`).join(""));
    });

  test("a client without credentials can neither read nor delete a key, the login lockout's included", async () => {
    const replies = await raw("GET rl:login:user:admin", "DEL rl:login:user:admin", "FLUSHALL");
    for (const reply of replies) expect(reply).toMatch(/^-NOAUTH/);
  });

  test("a service's user works with keys but may not flush, reconfigure or manage users", async () => {
    const chatbot = new Redis(stackVar("FIDALEX_CHATBOT_REDIS_URL"), {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
    });
    try {
      await chatbot.connect();
      const key = `infra:acl:${process.pid}:${Date.now()}`;
      expect(await chatbot.set(key, "1", "PX", 5_000)).toBe("OK");
      expect(await chatbot.get(key)).toBe("1");
      await expect(chatbot.flushall()).rejects.toThrow(/NOPERM/);
      await expect(chatbot.config("GET", "requirepass")).rejects.toThrow(/NOPERM/);
      await expect(chatbot.call("ACL", "LIST")).rejects.toThrow(/NOPERM/);
      await chatbot.del(key);
    } finally {
      chatbot.disconnect();
    }
  });

  test("a service's user name does not open with another service's password, nor the default user", async () => {
    const auth = new URL(stackVar("FIDALEX_AUTH_REDIS_URL"));
    const [wrong, anonymous] = await raw(
      `AUTH ${auth.username} ${stackVar("FIDALEX_CHATBOT_REDIS_PASSWORD")}`,
      "AUTH default nopass",
    );
    expect(wrong).toMatch(/^-WRONGPASS/);
    expect(anonymous).toMatch(/^-WRONGPASS/);
    expect(await raw(`AUTH ${auth.username} ${decodeURIComponent(auth.password)}`, "PING")).toEqual([
      "+OK",
      "+PONG",
    ]);
  });
});
