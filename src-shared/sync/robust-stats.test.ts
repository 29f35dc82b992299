import { describe, expect, it } from 'vitest';
import { blockStandardError, quantile, trimmedMeanStandardError } from './robust-stats';

describe('blockStandardError', () => {
  // 3 s of 30 fps delays drifting like Chromium's video against vsync: a 1.5 s sawtooth of 30 ms.
  const sawtooth = Array.from({ length: 90 }, (_, i) => ({ at: i * 33.3, delay: 150 + ((i * 33.3) % 1_500) / 50 }));

  it('is honest about correlated samples: larger than the per-sample formula claims', () => {
    const perSample = trimmedMeanStandardError(sawtooth.map((s) => s.delay));
    const blocks = blockStandardError(sawtooth);
    expect(blocks).toBeGreaterThan(2 * perSample);
    expect(blocks).toBeLessThan(10);
  });

  it('is 0 for a constant delay and for fewer than two samples; with under 3 blocks it doubles the per-sample figure', () => {
    expect(blockStandardError(sawtooth.map((s) => ({ ...s, delay: 150 })))).toBe(0);
    expect(blockStandardError([{ at: 0, delay: 5 }])).toBe(0);
    const short = [0, 1, 2, 3].map((i) => ({ at: i * 10, delay: i % 2 ? 10 : 20 }));
    // sd of 10,20,10,20 (n − 1) = 5.77; 2 × 5.77 / √4 = 5.77
    expect(blockStandardError(short)).toBeCloseTo(5.77, 1);
  });
});

describe('quantile', () => {
  it('interpolates between order statistics, ignores input order, and is NaN when empty', () => {
    expect(quantile([30, 10, 20, 40, 50], 0.5)).toBe(30);
    expect(quantile([10, 20, 30, 40, 50], 0.9)).toBeCloseTo(46, 6);
    expect(quantile([10, 20], 0)).toBe(10);
    expect(quantile([10, 20], 1)).toBe(20);
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
