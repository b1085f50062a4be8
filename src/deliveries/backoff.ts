export interface BackoffPolicy {
  /** Delay before the second attempt; doubles per attempt. */
  baseMs: number;
  /** Longest computed delay (a provider's own retry hint may ask for longer). */
  maxMs: number;
}

/**
 * Delay before the next attempt after `attempt` attempts failed (1 = the first attempt failed).
 * "Equal jitter": half of the exponential step is fixed and half random, so delays spread out
 * across deliveries yet never shrink from one attempt to the next; the result is capped at
 * `maxMs`. A provider's hint (Retry-After) wins: retrying earlier than asked would only be
 * refused again.
 */
export function retryDelayMs(policy: BackoffPolicy, attempt: number, retryAfterMs?: number, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs >= 0) return Math.ceil(retryAfterMs);
  const stepMs = policy.baseMs * 2 ** Math.min(Math.max(attempt, 1) - 1, 52);
  return Math.min(policy.maxMs, Math.round(stepMs / 2 + random() * (stepMs / 2)));
}
