import { describe, expect, it } from 'vitest';
import { ClockSteps } from './clock-steps';

describe('ClockSteps', () => {
  it('reports a step of the offset, not the drift between reads', () => {
    const steps = new ClockSteps();
    expect(steps.read(3_700)).toBe(0); // the first read has nothing to compare with
    // 200 ppm of drift read every 50 ms: 0.01 ms a read, for 10 s.
    let offset = 3_700;
    for (let i = 0; i < 200; i++) {
      offset += 0.01;
      expect(steps.read(offset)).toBe(0);
    }
    expect(steps.read(offset - 11)).toBeCloseTo(-11, 9);
    expect(steps.read(offset - 11 + 0.01)).toBe(0);
    expect(steps.read(offset + 4)).toBeCloseTo(14.99, 9);
  });

  it('ignores a non-finite read and keeps the last good one', () => {
    const steps = new ClockSteps();
    steps.read(10);
    expect(steps.read(Number.NaN)).toBe(0);
    expect(steps.read(15)).toBe(5);
  });
});
