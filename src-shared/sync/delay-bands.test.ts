import { describe, expect, it } from 'vitest';
import { resolveOptions } from './delay-controller-options';
import { deadband, videoBand } from './delay-bands';

const frame = 1_000 / 30;
const stream = (sampleIntervalMs: number | null, estimateSe = 0) => ({ estimateSe, sampleIntervalMs });

describe('delay bands', () => {
  it('the deadband is 3 standard errors of the estimate, never below the configured floor', () => {
    const o = resolveOptions({});
    expect(deadband(o, stream(null, 1))).toBe(5);
    expect(deadband(o, stream(null, 4))).toBe(12);
  });

  it("a video's band is 0.6 of its frame interval or the refresh band, the larger, never below its noise", () => {
    const sixty = resolveOptions({ displayRefreshMs: 1_000 / 60 });
    expect(videoBand(sixty, stream(frame))).toBeCloseTo(20);
    expect(videoBand(sixty, stream(10))).toBeCloseTo(10);
    expect(videoBand(sixty, stream(null))).toBeCloseTo(10);
    expect(videoBand(sixty, stream(frame, 10))).toBe(30);
    // Refresh unknown: 17 ms (half a 30 Hz refresh).
    expect(videoBand(resolveOptions({}), stream(null))).toBe(17);
  });
});
