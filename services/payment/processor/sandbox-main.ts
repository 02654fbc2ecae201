// The sandbox payment processor as a process of the local stack (stack/components/processor.sh):
// PORT, HOST and the settlement delays from the environment, run and stopped like a service.
import { ConfigError } from "../../runtime/config.js";
import { isEntryPoint, runProcess } from "../../runtime/service.js";
import { startSandboxProcessor } from "./sandbox-processor.js";

const number = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0)
    throw new ConfigError("processor", [`${name}: must be a whole number`]);
  return value;
};

if (isEntryPoint(import.meta.url)) {
  runProcess("processor", async (logger) => {
    const sandbox = await startSandboxProcessor({
      port: number("PORT", 18114),
      host: process.env.HOST ?? "127.0.0.1",
      timings: {
        wireSettleMs: number("SANDBOX_WIRE_SETTLE_MS", 5_000),
        achSettleMs: number("SANDBOX_ACH_SETTLE_MS", 3_000),
        holdMs: number("SANDBOX_HOLD_MS", 30_000),
      },
    });
    logger.info({ url: sandbox.url }, "sandbox payment processor listening");
    return sandbox;
  });
}
