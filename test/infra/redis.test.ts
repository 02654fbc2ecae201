// Redis of the local stack, reached with ioredis as the services will, with the ACL users the stack
// writes (stack/components/redis.sh).
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
  const plain = () => {
    const url = new URL(stackVar("REDIS_URL"));
    return `redis://${url.host}`;
  };
  const client = (url: string) => new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });

  test("a client without credentials can neither read nor delete a key, the login lockout's included", async () => {
    const anonymous = client(plain());
    try {
      await anonymous.connect().catch(() => undefined);
      await expect(anonymous.del("rl:login:user:admin")).rejects.toThrow(/NOAUTH|NOPERM/);
      await expect(anonymous.get("rl:login:user:admin")).rejects.toThrow(/NOAUTH|NOPERM/);
    } finally {
      anonymous.disconnect();
    }
  });

  test("a service's user works with keys but may not flush, reconfigure or manage users", async () => {
    const chatbot = client(stackVar("FIDALEX_CHATBOT_REDIS_URL"));
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

  test("a service's user name does not open with another service's password", async () => {
    const url = new URL(stackVar("FIDALEX_AUTH_REDIS_URL"));
    url.password = stackVar("FIDALEX_CHATBOT_REDIS_PASSWORD");
    const wrong = client(url.toString());
    try {
      await expect(wrong.connect()).rejects.toThrow(/WRONGPASS|invalid username-password/);
    } finally {
      wrong.disconnect();
    }
  });
});
