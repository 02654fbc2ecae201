// Redis of the local stack, reached with ioredis as the services will.
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
