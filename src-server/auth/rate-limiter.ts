/**
 * Sliding-window failure counter for login throttling. Pure: every call takes `now`, so the
 * window logic is unit-tested without timers. In memory on purpose: one embedded server process.
 */
export interface RateLimitDecision {
  allowed: boolean;
  /** When not allowed: milliseconds until the oldest failure leaves the window. */
  retryAfterMs: number;
}

export class SlidingWindowLimiter {
  private readonly hits = new Map<string, number[]>();

  constructor(
    private readonly max: number,
    private readonly windowMs: number,
    /** Bound on tracked keys so a flood of distinct keys cannot grow memory without limit. */
    private readonly maxKeys = 100_000,
  ) {}

  check(key: string, now: number): RateLimitDecision {
    const times = this.live(key, now);
    if (times.length < this.max) return { allowed: true, retryAfterMs: 0 };
    // The window reopens when enough old failures expire to bring the count below max.
    const reopenAt = times[times.length - this.max]! + this.windowMs;
    return { allowed: false, retryAfterMs: Math.max(1, reopenAt - now) };
  }

  recordFailure(key: string, now: number): void {
    const times = this.live(key, now);
    times.push(now);
    if (times.length > this.max) times.splice(0, times.length - this.max);
    this.hits.delete(key); // re-insert to keep Map order roughly least-recently-used first
    this.hits.set(key, times);
    if (this.hits.size > this.maxKeys) this.prune(now);
  }

  /** Undo one recorded failure (an attempt counted up front that turned out to succeed). */
  forget(key: string, at: number): void {
    const times = this.hits.get(key);
    const i = times ? times.lastIndexOf(at) : -1;
    if (times && i >= 0) times.splice(i, 1);
  }

  reset(key: string): void {
    this.hits.delete(key);
  }

  private live(key: string, now: number): number[] {
    const times = this.hits.get(key) ?? [];
    const cutoff = now - this.windowMs;
    let drop = 0;
    while (drop < times.length && times[drop]! <= cutoff) drop++;
    if (drop > 0) times.splice(0, drop);
    return times;
  }

  private prune(now: number): void {
    for (const key of [...this.hits.keys()]) {
      if (this.live(key, now).length === 0) this.hits.delete(key);
    }
    // Still over the bound: drop the oldest-touched keys.
    for (const key of this.hits.keys()) {
      if (this.hits.size <= this.maxKeys) break;
      this.hits.delete(key);
    }
  }
}
