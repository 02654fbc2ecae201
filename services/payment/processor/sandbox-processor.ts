// The sandbox payment processor: the processor API of payment-processor.ts with deterministic
// outcomes, so that every path of a payment can be shown and tested. It keeps the payments it was
// sent in memory (a restart forgets them, as a sandbox may). Its rules (README, "Sandbox
// processor"):
//   - an amount ending in .13 is declined (code 05, "Do not honor");
//   - a reference starting with TIMEOUT- never gets an answer (the caller times out);
//   - a reference starting with FLAKY- gets no answer on its first attempt (the submission's
//     `attempt` is 1), then is processed normally: the sandbox keeps no state about it, so any
//     number of sandboxes answer a payment alike;
//   - CARD and EXTERNAL are approved at once;
//   - WIRE and ACH are accepted (pending) and settle after a delay;
//   - an ACH payment whose beneficiary reference starts with RETURN settles, then is returned
//     (code R01, "Insufficient funds" at the beneficiary's bank) after another delay.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** How long the asynchronous networks take in the sandbox. */
export interface SandboxTimings {
  wireSettleMs: number;
  achSettleMs: number;
  /** How long a TIMEOUT- payment is held before the sandbox gives up on the connection. */
  holdMs: number;
}

interface SandboxPayment {
  id: string;
  method: string;
  amount: string;
  reference: string;
  beneficiaryReference: string;
  acceptedAt: number;
}

type Answer = {
  id: string;
  status: "approved" | "pending" | "declined" | "returned";
  code: string;
  message: string;
};

/** The sandbox's decision on a payment at a moment: a pure function of the payment and the time. */
export function sandboxOutcome(payment: SandboxPayment, now: number, timings: SandboxTimings): Answer {
  const answer = (status: Answer["status"], code: string, message: string): Answer => ({
    id: payment.id,
    status,
    code,
    message,
  });
  if (payment.amount.endsWith(".13")) return answer("declined", "05", "Do not honor");
  if (payment.method === "CARD" || payment.method === "EXTERNAL") return answer("approved", "00", "Approved");
  const settleMs = payment.method === "WIRE" ? timings.wireSettleMs : timings.achSettleMs;
  const age = now - payment.acceptedAt;
  if (age < settleMs) return answer("pending", "P0", "Accepted; settlement pending");
  if (payment.method === "ACH" && payment.beneficiaryReference.startsWith("RETURN") && age >= 2 * settleMs) {
    return answer("returned", "R01", "Returned: insufficient funds at the beneficiary's bank");
  }
  return answer("approved", "00", "Settled");
}

/** A running sandbox processor. */
export interface SandboxProcessor {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

function readJson(req: IncomingMessage): Promise<Record<string, unknown> | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= 64 * 1024) chunks.push(chunk);
    });
    req.on("end", () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>);
      } catch {
        resolve(undefined);
      }
    });
    req.on("error", () => resolve(undefined));
  });
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/** Starts the sandbox on a port (0 picks a free one). */
export async function startSandboxProcessor(options: {
  port: number;
  host?: string;
  timings: SandboxTimings;
}): Promise<SandboxProcessor> {
  const payments = new Map<string, SandboxPayment>();
  const held = new Set<ServerResponse>();

  const submit = async (req: IncomingMessage, res: ServerResponse) => {
    const key = req.headers["idempotency-key"];
    const body = await readJson(req);
    const beneficiary = body?.beneficiary as Record<string, unknown> | undefined;
    if (
      typeof key !== "string" ||
      !body ||
      typeof body.amount !== "string" ||
      typeof body.method !== "string"
    ) {
      return send(res, 400, { error: "an Idempotency-Key header and a payment body are required" });
    }
    const reference = String(body.reference ?? "");
    const firstAttempt = !(typeof body.attempt === "number" && body.attempt > 1);
    if (reference.startsWith("TIMEOUT-") || (reference.startsWith("FLAKY-") && firstAttempt)) {
      // No answer: the connection is held until the caller gives up (or the hold ends).
      held.add(res);
      setTimeout(() => {
        held.delete(res);
        res.destroy();
      }, options.timings.holdMs).unref();
      return;
    }
    let payment = payments.get(key);
    if (!payment) {
      payment = {
        id: `sbx_${key}`,
        method: body.method,
        amount: body.amount,
        reference,
        beneficiaryReference: String(beneficiary?.reference ?? ""),
        acceptedAt: Date.now(),
      };
      payments.set(key, payment);
    }
    send(res, 200, sandboxOutcome(payment, Date.now(), options.timings));
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://sandbox");
    if (req.method === "GET" && url.pathname === "/health") return send(res, 200, { status: "SERVING" });
    if (req.method === "POST" && url.pathname === "/v1/payments") return void submit(req, res);
    const match = /^\/v1\/payments\/([0-9]{1,19})$/.exec(url.pathname);
    if (req.method === "GET" && match) {
      const payment = payments.get(match[1]!);
      if (!payment) return send(res, 404, { error: "no such payment" });
      return send(res, 200, sandboxOutcome(payment, Date.now(), options.timings));
    }
    send(res, 404, { error: "not found" });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${address.address}:${address.port}`,
    port: address.port,
    async close() {
      held.forEach((res) => res.destroy());
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
