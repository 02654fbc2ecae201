// Waiting for the asynchronous pipeline (Kafka → loader → warehouse → refresh) in tests.

/**
 * Calls `check` until it returns without throwing, and returns its result; after the timeout the
 * last failure is thrown, so the test reports what it was still waiting for.
 */
export async function eventually<T>(
  check: () => Promise<T> | T,
  timeoutMs = 40_000,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
