/** Polls `check` until it returns a truthy value; never a fixed sleep. */
export async function waitFor<T>(check: () => Promise<T | undefined | false | null> | T | undefined | false | null, { timeoutMs = 20_000, intervalMs = 20, what = 'condition' } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
