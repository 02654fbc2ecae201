// The sandbox processor's rules (README, "Sandbox processor"), as pure decisions over time.
import { sandboxOutcome } from "../processor/sandbox-processor.js";

const timings = { wireSettleMs: 1_000, achSettleMs: 500, holdMs: 100 };
const payment = (method: string, amount = "20.00", beneficiaryReference = "") => ({
  id: "sbx_1",
  method,
  amount,
  reference: "INV-1",
  beneficiaryReference,
  acceptedAt: 10_000,
});

it("approves CARD and EXTERNAL payments at once", () => {
  expect(sandboxOutcome(payment("CARD"), 10_000, timings).status).toBe("approved");
  expect(sandboxOutcome(payment("EXTERNAL"), 10_000, timings).status).toBe("approved");
});

it("declines any amount ending in .13 with code 05", () => {
  expect(sandboxOutcome(payment("CARD", "100.13"), 10_000, timings)).toMatchObject({
    status: "declined",
    code: "05",
  });
  expect(sandboxOutcome(payment("WIRE", "0.13"), 99_000, timings)).toMatchObject({
    status: "declined",
    code: "05",
  });
});

it("keeps WIRE and ACH pending until they settle", () => {
  expect(sandboxOutcome(payment("WIRE"), 10_999, timings).status).toBe("pending");
  expect(sandboxOutcome(payment("WIRE"), 11_000, timings).status).toBe("approved");
  expect(sandboxOutcome(payment("ACH"), 10_499, timings).status).toBe("pending");
  expect(sandboxOutcome(payment("ACH"), 10_500, timings).status).toBe("approved");
});

it("returns an ACH payment to a RETURN reference after it settled", () => {
  const returned = payment("ACH", "20.00", "RETURN-ME");
  expect(sandboxOutcome(returned, 10_600, timings).status).toBe("approved");
  expect(sandboxOutcome(returned, 11_000, timings)).toMatchObject({ status: "returned", code: "R01" });
});
