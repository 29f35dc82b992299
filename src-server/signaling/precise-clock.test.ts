import { describe, expect, it } from 'vitest';
import { createPreciseClock } from './precise-clock';

describe('createPreciseClock', () => {
  it('has sub-millisecond resolution and stays within Date.now()’s millisecond', () => {
    let wall = 1_000_000;
    let mono = 0;
    const c = createPreciseClock(() => Math.floor(wall), () => mono);
    const a = c.now();
    mono += 0.25;
    wall += 0.25;
    const b = c.now();
    expect(b - a).toBeCloseTo(0.25, 6);
    expect(Math.abs(b - wall)).toBeLessThanOrEqual(1);
  });

  it('follows a wall-clock step (re-anchors)', () => {
    let wall = 1_000_000;
    let mono = 0;
    const c = createPreciseClock(() => wall, () => mono);
    c.now();
    wall += 5_000; // NTP stepped the wall clock; the monotonic clock did not move
    mono += 1;
    expect(Math.abs(c.now() - wall)).toBeLessThanOrEqual(1);
  });

  it('never goes backwards for jitter within the tolerance', () => {
    let wall = 1_000_000;
    let mono = 0;
    const c = createPreciseClock(() => Math.floor(wall), () => mono);
    let last = c.now();
    for (let i = 0; i < 10_000; i++) {
      mono += 0.1;
      wall += 0.1 * (1 + 0.01 * Math.sin(i)); // slewed wall clock
      const t = c.now();
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
    }
  });
});
