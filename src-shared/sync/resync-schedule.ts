/**
 * When to send the next clock.ping: a burst of 8 pings 50 ms apart at join (so the min-RTT filter
 * has a choice: one queueing episode rarely spoils all eight), then a burst every 10 s, sooner when
 * the estimator's error bound has aged past twice its fresh value (drift not yet measured, or a
 * reset after a clock jump), never more often than every 2 s. NTP polls the same way: a burst at
 * start (ntpd's iburst option), then an interval that adapts to how well the clock holds.
 *
 * Pure: the caller reports pings it sent and asks for the next due time with the estimator's
 * current bounds; it sends when localNow ≥ nextPingAt(...).
 */
export interface ResyncPolicy {
  /** Pings per burst. */
  burstSize: number;
  /** Spacing of pings within a burst, ms: spread so one queueing episode does not spoil them all. */
  pingSpacingMs: number;
  /** Period between bursts when all is well, ms. */
  intervalMs: number;
  /** Never start bursts closer together than this, ms (a degraded bound must not become a ping flood). */
  minIntervalMs: number;
  /** Resync early when the bound exceeds degradeFactor × freshBound + degradeSlackMs. */
  degradeFactor: number;
  degradeSlackMs: number;
}

export const DEFAULT_RESYNC_POLICY: ResyncPolicy = {
  burstSize: 8,
  pingSpacingMs: 50,
  intervalMs: 10_000,
  minIntervalMs: 2_000,
  degradeFactor: 2,
  degradeSlackMs: 1,
};

/** Estimator state the schedule looks at. */
export interface ResyncInput {
  /** estimator.errorBound(localNow). */
  errorBoundMs: number;
  /** estimator.freshBoundMs. */
  freshBoundMs: number;
}

export class ResyncSchedule {
  private burstStartedAt: number | null = null;
  private sentInBurst = 0;
  private lastPingAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly policy: ResyncPolicy = DEFAULT_RESYNC_POLICY) {}

  /** Record a ping sent at localNow. */
  onPingSent(localNow: number): void {
    if (this.burstStartedAt === null || this.sentInBurst >= this.policy.burstSize || localNow < this.lastPingAt) {
      this.burstStartedAt = localNow;
      this.sentInBurst = 0;
    }
    this.sentInBurst++;
    this.lastPingAt = localNow;
  }

  /** Local time at which the next ping is due (≤ localNow means: now). */
  nextPingAt(localNow: number, input: ResyncInput): number {
    const p = this.policy;
    // At join; or the local clock went backwards (the plan is in the future of a clock that moved
    // back): start over now rather than wait out the jump.
    if (this.burstStartedAt === null || localNow < this.lastPingAt) return localNow;
    if (this.sentInBurst < p.burstSize) return this.lastPingAt + p.pingSpacingMs;
    const periodic = this.burstStartedAt + p.intervalMs;
    const earliest = this.burstStartedAt + p.minIntervalMs;
    const degraded = !Number.isFinite(input.errorBoundMs) || input.errorBoundMs > p.degradeFactor * input.freshBoundMs + p.degradeSlackMs;
    if (!degraded) return periodic;
    // When exactly the bound crosses the threshold is not known here; asking again each tick is cheap.
    return Math.max(earliest, Math.min(periodic, localNow));
  }

  /** Forget progress (e.g. after reconnecting): the next ping starts a burst at once. */
  reset(): void {
    this.burstStartedAt = null;
    this.sentInBurst = 0;
    this.lastPingAt = Number.NEGATIVE_INFINITY;
  }
}
