/**
 * Retry delays for reaching the server while offline.
 *
 * Exponential backoff with "full jitter" (delay drawn uniformly from [floor, cap]) so that many
 * clients that lost the network together do not all come back in the same second. Randomness is
 * injected so tests are deterministic.
 */

export interface BackoffPolicy {
  /** Cap of the first retry, ms. */
  baseMs: number;
  /** Largest cap, ms: we never wait longer than this between attempts. */
  maxMs: number;
  /** Growth of the cap per attempt. */
  factor: number;
  /** Smallest delay, ms: full jitter can draw ~0, and a retry loop with no pause hammers the server. */
  minMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 60_000, factor: 2, minMs: 250 };

/** The cap (upper bound) for attempt `attempt` (0-based), before jitter. */
export function backoffCap(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const n = Math.max(0, Math.floor(attempt));
  // Guard the exponent so huge attempt counts do not overflow to Infinity/NaN.
  const grown = policy.baseMs * Math.pow(policy.factor, Math.min(n, 64));
  return Math.max(policy.minMs, Math.min(policy.maxMs, Number.isFinite(grown) ? grown : policy.maxMs));
}

/**
 * Delay before retry number `attempt` (0-based). `random` returns a number in [0, 1).
 * Always within [policy.minMs, backoffCap(attempt)].
 */
export function backoffDelay(attempt: number, random: () => number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const cap = backoffCap(attempt, policy);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(policy.minMs + r * (cap - policy.minMs));
}

/** Honour a server's Retry-After when it asks for more than our own backoff would wait. */
export function retryDelayWithHint(
  attempt: number,
  random: () => number,
  retryAfterMs: number | null | undefined,
  policy: BackoffPolicy = DEFAULT_BACKOFF,
): number {
  const own = backoffDelay(attempt, random, policy);
  return retryAfterMs != null && retryAfterMs > own ? Math.min(retryAfterMs, Math.max(policy.maxMs, own)) : own;
}
