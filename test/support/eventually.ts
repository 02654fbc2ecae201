// Waiting in tests for what the mesh does asynchronously (an event on Kafka, a row the warehouse
// loads, a refreshed view), bounded in time, reporting what it was still waiting for.

/** How long to wait and how often to look. */
export interface EventuallyOptions {
  /** Default 40 s. */
  timeoutMs?: number;
  /** Default 250 ms. */
  intervalMs?: number;
}

/**
 * Calls `probe` until it returns a value other than undefined without throwing, and returns that
 * value. After the timeout it fails naming `what`, with the probe's last error: an assertion's
 * diff shows what the test was still waiting for.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined> | T | undefined,
  options: EventuallyOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? 40_000;
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      if (lastError instanceof Error) {
        lastError.message = `timed out after ${timeoutMs} ms waiting for ${what}: ${lastError.message}`;
        throw lastError;
      }
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 250));
  }
}

/** Calls `assertion` until it passes (returns without throwing). */
export async function eventuallyPasses(
  what: string,
  assertion: () => Promise<unknown> | unknown,
  options?: EventuallyOptions,
): Promise<void> {
  await eventually(
    what,
    async () => {
      await assertion();
      return true;
    },
    options,
  );
}
