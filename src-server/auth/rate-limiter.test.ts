import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from './rate-limiter';

describe('SlidingWindowLimiter', () => {
  it('allows up to max failures in the window, then blocks', () => {
    const l = new SlidingWindowLimiter(3, 1000);
    for (let i = 0; i < 3; i++) {
      expect(l.check('a', 100 + i).allowed).toBe(true);
      l.recordFailure('a', 100 + i);
    }
    const d = l.check('a', 200);
    expect(d.allowed).toBe(false);
    // the first failure (t=100) leaves the window at t=1100
    expect(d.retryAfterMs).toBe(900);
  });

  it('slides: a failure leaving the window frees one slot', () => {
    const l = new SlidingWindowLimiter(2, 1000);
    l.recordFailure('a', 0);
    l.recordFailure('a', 500);
    expect(l.check('a', 999).allowed).toBe(false);
    expect(l.check('a', 1000).allowed).toBe(true);
    l.recordFailure('a', 1000);
    const d = l.check('a', 1200);
    expect(d.allowed).toBe(false);
    expect(d.retryAfterMs).toBe(300);
  });

  it('keeps keys independent and reset clears one key', () => {
    const l = new SlidingWindowLimiter(1, 1000);
    l.recordFailure('a', 0);
    expect(l.check('a', 1).allowed).toBe(false);
    expect(l.check('b', 1).allowed).toBe(true);
    l.reset('a');
    expect(l.check('a', 2).allowed).toBe(true);
  });

  it('bounds memory by dropping keys past maxKeys', () => {
    const l = new SlidingWindowLimiter(1, 1000, 10);
    for (let i = 0; i < 50; i++) l.recordFailure(`k${i}`, 0);
    // the newest keys survive, the oldest were evicted
    expect(l.check('k49', 1).allowed).toBe(false);
    expect(l.check('k0', 1).allowed).toBe(true);
  });

  it('retryAfterMs is always positive when blocked', () => {
    const l = new SlidingWindowLimiter(1, 1000);
    l.recordFailure('a', 0);
    expect(l.check('a', 999).retryAfterMs).toBe(1);
  });
});

describe('SlidingWindowLimiter.forget', () => {
  it('removes one recorded failure', () => {
    const l = new SlidingWindowLimiter(2, 1000);
    l.recordFailure('a', 10);
    l.recordFailure('a', 20);
    expect(l.check('a', 30).allowed).toBe(false);
    l.forget('a', 20);
    expect(l.check('a', 30).allowed).toBe(true);
    l.forget('a', 999); // unknown time: no-op
    l.forget('zzz', 1); // unknown key: no-op
    expect(l.check('a', 30).allowed).toBe(true);
  });
});
