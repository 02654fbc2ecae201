// MongoDB wire protocol of the local stack: FerretDB over PostgreSQL, reached with the official
// `mongodb` driver as the Chatbot service will.
import { MongoClient, MongoServerError } from "mongodb";
import { stackVar } from "../support/stack.js";

let uri: string;
let client: MongoClient;

beforeAll(async () => {
  uri = stackVar("MONGO_URI");
  client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  await client.connect();
});

afterAll(async () => {
  await client?.close();
});

test("a document is inserted, queried, updated and read back", async () => {
  const messages = client
    .db()
    .collection<{ sessionId: string; sender: string; text: string; at: Date; seen?: boolean }>(
      `infra_probe_${Date.now()}`,
    );
  const at = new Date("2026-11-24T10:15:30.123Z");
  const { insertedId } = await messages.insertOne({
    sessionId: "s-1",
    sender: "USER",
    text: "What is my balance?",
    at,
  });
  await messages.insertOne({ sessionId: "s-2", sender: "BOT", text: "Hello", at });

  const found = await messages.findOne({ sessionId: "s-1" });
  expect(found).toEqual({
    _id: insertedId,
    sessionId: "s-1",
    sender: "USER",
    text: "What is my balance?",
    at,
  });

  await messages.updateOne({ _id: insertedId }, { $set: { seen: true } });
  expect(await messages.findOne({ _id: insertedId }, { projection: { _id: 0, seen: 1 } })).toEqual({
    seen: true,
  });
  expect(await messages.countDocuments({ at: { $gte: at } })).toBe(2);
  await messages.drop();
});

test("the server speaks the MongoDB protocol and refuses a wrong password", async () => {
  const info = await client.db().admin().command({ buildInfo: 1 });
  expect(info.version).toMatch(/^7\./);
  expect(info.ferretdbVersion).toMatch(/^v1\.24\./);

  const wrong = new MongoClient(uri.replace(/:[^:@/]+@/, ":not-the-password@"), {
    serverSelectionTimeoutMS: 5_000,
  });
  try {
    const attempt = wrong.db().collection("x").findOne({});
    await expect(attempt).rejects.toBeInstanceOf(MongoServerError);
    await expect(attempt).rejects.toThrow(/password authentication failed/);
  } finally {
    await wrong.close();
  }
});
