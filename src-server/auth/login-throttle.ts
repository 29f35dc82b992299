/**
 * Login throttling per account and per client address: failures are counted in sliding windows and
 * a blocked attempt is refused before any password work is done. Each attempt is counted *before*
 * the (slow) password check, so a parallel burst cannot slip many guesses past the check at once.
 */
import type { ServerConfig } from '../config';
import { SlidingWindowLimiter } from './rate-limiter';

export class LoginThrottle {
  private readonly perAccount: SlidingWindowLimiter;
  private readonly perAddress: SlidingWindowLimiter;

  constructor(rules: ServerConfig['loginRateLimit']) {
    this.perAccount = new SlidingWindowLimiter(rules.perAccount.max, rules.perAccount.windowMs);
    this.perAddress = new SlidingWindowLimiter(rules.perAddress.max, rules.perAddress.windowMs);
  }

  /** Milliseconds to wait, or 0 when the attempt may proceed. */
  retryAfterMs(account: string, address: string, now: number): number {
    const a = this.perAccount.check(account, now);
    const b = this.perAddress.check(address, now);
    return Math.max(a.allowed ? 0 : a.retryAfterMs, b.allowed ? 0 : b.retryAfterMs);
  }

  /** Count an attempt as a failure up front; `succeeded` takes it back. */
  begin(account: string, address: string, now: number): void {
    this.perAccount.recordFailure(account, now);
    this.perAddress.recordFailure(address, now);
  }

  /** A correct password clears the account's count and un-counts this attempt for the address. */
  succeeded(account: string, address: string, startedAt: number): void {
    this.perAccount.reset(account);
    this.perAddress.forget(address, startedAt);
  }
}
