/** A token bucket with time as an argument: `ratePerS` tokens a second, at most `burst` saved up. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerS: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  take(now: number): boolean {
    const elapsed = Math.max(0, now - this.last);
    this.last = Math.max(this.last, now);
    this.tokens = Math.min(this.burst, this.tokens + (elapsed * this.ratePerS) / 1000);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}

/**
 * Per-connection message limit: over the rate a message is refused (`rate_limited`); refusals are
 * themselves budgeted, so a client that keeps pushing (not one short burst) is disconnected.
 */
export class MessageLimiter {
  private readonly messages: TokenBucket;
  private readonly refusals: TokenBucket;

  constructor(ratePerS: number, burst: number, now: number) {
    this.messages = new TokenBucket(ratePerS, burst, now);
    // Refusals refill at a tenth of the rate: ~2 s of sending at twice the limit ends the connection.
    this.refusals = new TokenBucket(Math.max(1, ratePerS / 10), burst, now);
  }

  check(now: number): 'ok' | 'limited' | 'abuse' {
    if (this.messages.take(now)) return 'ok';
    return this.refusals.take(now) ? 'limited' : 'abuse';
  }
}
