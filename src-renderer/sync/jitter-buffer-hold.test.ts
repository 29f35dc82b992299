import { describe, expect, it } from 'vitest';
import { floorHoldMs, jitterBufferTotals } from './jitter-buffer-hold';

const report = (entries: Record<string, unknown>[]) => new Map(entries.map((e, i) => [String(i), e])) as unknown as RTCStatsReport;

describe('jitter-buffer hold', () => {
  it('reads the inbound-rtp totals and nothing else', () => {
    const r = report([
      { type: 'media-playout', totalPlayoutDelay: 1 },
      { type: 'inbound-rtp', kind: 'audio', jitterBufferTargetDelay: 307.2, jitterBufferMinimumDelay: 115.2, jitterBufferEmittedCount: 3840 },
    ]);
    expect(jitterBufferTotals(r)).toEqual({ targetS: 307.2, minimumS: 115.2, emitted: 3840 });
    expect(jitterBufferTotals(report([{ type: 'inbound-rtp', jitterBufferEmittedCount: 1 }]))).toBeNull();
  });

  it('is the mean hold over the samples emitted in between (bench:sync: a floored audio at 216 ms, NetEq on its own at 60)', () => {
    const prev = { targetS: 100, minimumS: 40, emitted: 48_000 };
    // 1 s of 10 ms audio frames at 48 kHz counts 48 000 samples: target 216 ms each, minimum 60.
    const cur = { targetS: 100 + 48_000 * 0.216, minimumS: 40 + 48_000 * 0.06, emitted: 96_000 };
    expect(floorHoldMs(prev, cur)).toBeCloseTo(156, 6);
    expect(floorHoldMs(cur, cur)).toBeNull();
    expect(floorHoldMs(cur, prev)).toBeNull();
  });
});
