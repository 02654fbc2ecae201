// The payment processor as the Payment service sees it: the network that actually pays the
// beneficiary (an ACH originator, a wire gateway, a card acquirer). One implementation talks to a
// processor's HTTP/JSON API; the local stack runs the sandbox processor (sandbox-processor.ts)
// behind the same API. Every call ends in one of a few outcomes, so the payment's state machine
// never interprets HTTP itself.

/** What the processor is asked to pay. */
export interface ProcessorPayment {
  /** Our payment id: the processor's idempotency key, so a retried submit never pays twice. */
  paymentId: bigint;
  method: "ACH" | "WIRE" | "CARD" | "EXTERNAL";
  amount: string;
  currency: string;
  /** The client's reference of the payment. */
  reference: string;
  /** Which submission of the payment this is (1 for the first): processors report retries by it. */
  attempt: number;
  beneficiary: {
    name: string;
    accountNumber?: string;
    iban?: string;
    bankCode?: string;
    reference?: string;
  };
}

/** What the processor said about a payment. */
export type ProcessorOutcome =
  /** Paid: the beneficiary has the money. */
  | { kind: "approved"; reference: string; code: string; message: string }
  /** Accepted; the network settles it later (ask again with status). */
  | { kind: "pending"; reference: string; code: string; message: string }
  /** Refused for good; code is the processor's reason. */
  | { kind: "declined"; reference: string; code: string; message: string }
  /** Paid, then sent back by the beneficiary's bank (an ACH return). */
  | { kind: "returned"; reference: string; code: string; message: string }
  /** The processor has no payment under this id: it never received the submission. */
  | { kind: "unknown_payment"; code: string; message: string }
  /** No answer (timeout, connection refused, 5xx): the outcome is unknown; retry the same call. */
  | { kind: "unreachable"; code: string; message: string };

/** The processor's API. */
export interface PaymentProcessor {
  /** Submits a payment; submitting the same payment id again answers the first outcome. */
  submit(payment: ProcessorPayment): Promise<ProcessorOutcome>;
  /** The current outcome of a payment, looked up by our payment id (its idempotency key). */
  status(paymentId: bigint): Promise<ProcessorOutcome>;
}

/** The processor's answer on the wire. */
interface ProcessorAnswer {
  id: string;
  status: "approved" | "pending" | "declined" | "returned";
  code: string;
  message: string;
}

function isAnswer(value: unknown): value is ProcessorAnswer {
  const v = value as Partial<ProcessorAnswer> | null;
  return (
    typeof v?.id === "string" &&
    ["approved", "pending", "declined", "returned"].includes(v.status ?? "") &&
    typeof v.code === "string" &&
    typeof v.message === "string"
  );
}

/**
 * A processor behind an HTTP/JSON API: POST /v1/payments with an Idempotency-Key header, and
 * GET /v1/payments/{idempotency key} for the outcome (404 when it never received the payment).
 */
export function createHttpProcessor(options: { baseUrl: string; timeoutMs: number }): PaymentProcessor {
  const call = async (path: string, init: RequestInit): Promise<ProcessorOutcome> => {
    let response: Response;
    try {
      response = await fetch(new URL(path, options.baseUrl), {
        ...init,
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      const timedOut = (error as Error).name === "TimeoutError";
      return {
        kind: "unreachable",
        code: timedOut ? "TIMEOUT" : "UNAVAILABLE",
        message: timedOut ? `no answer within ${options.timeoutMs} ms` : "the processor is unreachable",
      };
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (response.status === 404) {
      return { kind: "unknown_payment", code: "NOT_FOUND", message: "the processor has no such payment" };
    }
    if (response.status >= 500 || !isAnswer(body)) {
      return {
        kind: "unreachable",
        code: `HTTP_${response.status}`,
        message: "the processor failed to answer",
      };
    }
    return { kind: body.status, reference: body.id, code: body.code, message: body.message };
  };
  return {
    submit: (payment) =>
      call("/v1/payments", {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": String(payment.paymentId) },
        body: JSON.stringify({ ...payment, paymentId: String(payment.paymentId) }),
      }),
    status: (paymentId) => call(`/v1/payments/${paymentId}`, { method: "GET" }),
  };
}
