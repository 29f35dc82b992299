import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffCap, backoffDelay, DEFAULT_BACKOFF, retryDelayWithHint } from '../../../src-shared/session/backoff';
import { isAccessExpired, nextWake, renewalDueAtServer } from '../../../src-shared/session/renewal-schedule';
import { offsetFromSample, parseServerTimeHeader, ServerClockEstimator } from '../../../src-shared/session/server-time';
import { assertTransition, canTransition } from '../../../src-shared/session/session-machine';
import { SessionStatus } from '../../../src-shared/session/session-state';

describe('backoff', () => {
  it('grows exponentially up to the cap', () => {
    expect(backoffCap(0)).toBe(1_000);
    expect(backoffCap(1)).toBe(2_000);
    expect(backoffCap(5)).toBe(32_000);
    expect(backoffCap(6)).toBe(60_000);
    expect(backoffCap(10_000)).toBe(60_000);
  });
  it('full jitter: uses the injected random over [min, cap]', () => {
    expect(backoffDelay(3, () => 0)).toBe(DEFAULT_BACKOFF.minMs);
    expect(backoffDelay(3, () => 0.999999)).toBe(8_000);
    expect(backoffDelay(3, () => 0.5)).toBe(Math.round(250 + 0.5 * (8_000 - 250)));
  });
  it('always stays within bounds (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (attempt, r) => {
        const d = backoffDelay(attempt, () => r);
        return d >= DEFAULT_BACKOFF.minMs && d <= backoffCap(attempt) && Number.isFinite(d);
      }),
    );
  });
  it('honours a longer Retry-After', () => {
    expect(retryDelayWithHint(0, () => 0, 30_000)).toBe(30_000);
    expect(retryDelayWithHint(0, () => 0, 10)).toBe(250);
    expect(retryDelayWithHint(0, () => 0, null)).toBe(250);
  });
});

describe('server time', () => {
  it('takes the midpoint of the round trip', () => {
    expect(offsetFromSample({ sentAtLocal: 1_000, receivedAtLocal: 1_200, serverTime: 5_100 })).toEqual({
      offsetMs: 4_000,
      rttMs: 200,
      takenAtLocal: 1_200,
    });
  });
  it('keeps the tightest sample and converts both ways', () => {
    const est = new ServerClockEstimator();
    expect(est.offsetMs).toBe(0);
    est.observe({ sentAtLocal: 0, receivedAtLocal: 400, serverTime: 3_600_200 }); // offset 3_600_000 ± 200
    est.observe({ sentAtLocal: 1_000, receivedAtLocal: 1_010, serverTime: 3_601_105 }); // offset 3_600_100 ± 5
    expect(est.offsetMs).toBe(3_600_100);
    est.observe({ sentAtLocal: 2_000, receivedAtLocal: 2_300, serverTime: 3_602_150 }); // worse rtt, consistent
    expect(est.offsetMs).toBe(3_600_100);
    expect(est.toServer(10)).toBe(3_600_110);
    expect(est.toLocal(3_600_110)).toBe(10);
  });
  it('replaces the estimate when a clock jumps', () => {
    const est = new ServerClockEstimator();
    est.observe({ sentAtLocal: 0, receivedAtLocal: 10, serverTime: 5 });
    // Local clock set two hours ahead: even a slow sample wins, it is the only true one.
    est.observe({ sentAtLocal: 7_200_000, receivedAtLocal: 7_200_500, serverTime: 300 });
    expect(est.offsetMs).toBe(300 - 7_200_250);
  });
  it('parses the header strictly', () => {
    expect(parseServerTimeHeader('1700000000000')).toBe(1_700_000_000_000);
    expect(parseServerTimeHeader(null)).toBeNull();
    expect(parseServerTimeHeader('abc')).toBeNull();
    expect(parseServerTimeHeader('-5')).toBeNull();
    expect(parseServerTimeHeader('1e12')).toBeNull();
  });
});

describe('renewal schedule', () => {
  const life = { receivedAtServer: 1_000_000, expiresAtServer: 1_600_000 }; // 600 s
  it('renews at 80% of the lifetime', () => {
    expect(renewalDueAtServer(life)).toBe(1_480_000);
  });
  it('sleeps in capped steps and reports due on absolute time', () => {
    expect(nextWake(0, 100_000)).toEqual({ due: false, delayMs: 30_000 });
    expect(nextWake(90_000, 100_000)).toEqual({ due: false, delayMs: 10_000 });
    expect(nextWake(100_000, 100_000)).toEqual({ due: true });
    // A timer that slept through a suspend wakes long after the deadline: due at once.
    expect(nextWake(5_000_000, 100_000)).toEqual({ due: true });
  });
  it('judges expiry with a margin bounded by the lifetime', () => {
    expect(isAccessExpired(life, 1_594_000)).toBe(false);
    expect(isAccessExpired(life, 1_595_000)).toBe(true);
    const short = { receivedAtServer: 0, expiresAtServer: 2_000 };
    expect(isAccessExpired(short, 1_500)).toBe(false);
    expect(isAccessExpired(short, 1_600)).toBe(true);
    expect(isAccessExpired(life, 1_599_999, 0)).toBe(false);
  });
});

describe('session machine', () => {
  it('allows the documented flows', () => {
    const flows: Array<[SessionStatus, SessionStatus]> = [
      ['signedOut', 'signingIn'],
      ['signingIn', 'signedIn'],
      ['signedIn', 'refreshing'],
      ['refreshing', 'signedIn'],
      ['refreshing', 'offline'],
      ['offline', 'refreshing'],
      ['refreshing', 'signedOut'],
      ['signedOut', 'refreshing'],
      ['signingIn', 'error'],
      ['error', 'signingIn'],
    ];
    for (const [a, b] of flows) expect(canTransition(a, b), `${a} -> ${b}`).toBe(true);
  });
  it('forbids shortcuts that would claim a session nobody established', () => {
    expect(canTransition('signedOut', 'signedIn')).toBe(false);
    expect(canTransition('signedOut', 'offline')).toBe(false);
    expect(canTransition('offline', 'signedIn')).toBe(false);
    expect(() => assertTransition('signedOut', 'signedIn')).toThrow(/illegal/);
  });
  it('every state can sign out', () => {
    for (const s of SessionStatus.options) expect(canTransition(s, 'signedOut')).toBe(true);
  });
});
