/**
 * A sub-millisecond epoch clock for clock.pong's serverTime. Date.now() is whole milliseconds, and on
 * loopback a whole round trip is well under one: the session clock's error target (≤ 2 ms p95) needs
 * finer. performance.now() is fine-grained and monotonic but can part from the wall clock (NTP steps,
 * suspend); so we follow Date.now() and re-anchor when the two disagree by more than `maxGapMs`.
 */
import type { Clock } from '../../src-shared/clock';

export function createPreciseClock(wall: () => number = Date.now, mono: () => number = () => performance.now(), maxGapMs = 2): Clock {
  let anchor = wall() + 0.5 - mono();
  let last = Number.NEGATIVE_INFINITY;
  return {
    now() {
      const w = wall();
      let t = anchor + mono();
      // Date.now() truncates: the true time is in [w, w + 1).
      if (t < w - maxGapMs || t > w + 1 + maxGapMs) {
        anchor = w + 0.5 - mono();
        t = anchor + mono();
      }
      // Never step back across a re-anchor while the wall clock moves forward normally.
      if (t < last && last - t < maxGapMs + 1) t = last;
      last = t;
      return t;
    },
  };
}
