/**
 * The session's two timers: the proactive renewal wake-up and the offline retry. Deadlines live on
 * absolute time: a suspended machine freezes timers but not the clock, so a wake-up never sleeps
 * longer than maxSleepMs and the caller re-checks the deadline every time it fires.
 */
import type { Clock } from '../../src-shared/clock';
import { nextWake, renewalDueAtServer, type AccessLifetime, type WakeDecision } from '../../src-shared/session/renewal-schedule';
import type { ServerClockEstimator } from '../../src-shared/session/server-time';
import type { SessionTimers } from './session-manager-options';

export class RenewalTimer {
  private retryHandle: unknown = null;
  private renewHandle: unknown = null;

  constructor(private readonly timers: SessionTimers) {}

  retryIn(ms: number, fn: () => void): void {
    this.retryHandle = this.timers.setTimeout(() => {
      this.retryHandle = null;
      fn();
    }, ms);
  }

  renewIn(ms: number, fn: () => void): void {
    this.renewHandle = this.timers.setTimeout(() => {
      this.renewHandle = null;
      fn();
    }, ms);
  }

  clearRenewal(): void {
    if (this.renewHandle !== null) this.timers.clearTimeout(this.renewHandle);
    this.renewHandle = null;
  }

  cancel(): void {
    if (this.retryHandle !== null) this.timers.clearTimeout(this.retryHandle);
    if (this.renewHandle !== null) this.timers.clearTimeout(this.renewHandle);
    this.retryHandle = null;
    this.renewHandle = null;
  }
}

export interface RenewalPolicy {
  clock: Clock;
  renewFraction: number;
  maxSleepMs: number;
}

/**
 * When to wake next: toward the renewal deadline, or, without a refresh token (`renews` false),
 * toward the expiry, since then there is nothing to renew, only the moment the session ends.
 * Judged in server time.
 */
export function renewalWake(life: AccessLifetime, renews: boolean, serverClock: ServerClockEstimator, policy: RenewalPolicy): WakeDecision {
  const dueServer = renews ? renewalDueAtServer(life, policy.renewFraction) : life.expiresAtServer;
  return nextWake(policy.clock.now(), serverClock.toLocal(dueServer), policy.maxSleepMs);
}
