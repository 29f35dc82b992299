import { describe, expect, it } from 'vitest';
import { SyncStateJudge, type MeasuredDelay } from './sync-state';

const d = (stream: string, delayMs: number | null, se = 2): MeasuredDelay => ({ stream, delayMs, se });

describe('SyncStateJudge', () => {
  it('enters in sync within the tolerance and leaves only beyond it by more than noise', () => {
    const j = new SyncStateJudge();
    expect(j.judge([d('audio', 100), d('camera', 125)], false, 20)).toBe('aligning');
    expect(j.judge([d('audio', 100), d('camera', 118)], false, 20)).toBe('inSync');
    // 23 ms apart, 3 standard errors of the spread = 3·√8 ≈ 8.5: noise, still in sync.
    expect(j.judge([d('audio', 100), d('camera', 123)], false, 20)).toBe('inSync');
    expect(j.judge([d('audio', 100), d('camera', 129)], false, 20)).toBe('aligning');
    // Back above the tolerance but within the noise: it stays aligning until within the tolerance.
    expect(j.judge([d('audio', 100), d('camera', 123)], false, 20)).toBe('aligning');
  });

  it('a stream still being measured ends in sync; a late one is degraded; no stream is in sync', () => {
    const j = new SyncStateJudge();
    expect(j.judge([], false, 20)).toBe('inSync');
    expect(j.judge([d('audio', 100), d('camera', 105)], false, 20)).toBe('inSync');
    expect(j.judge([d('audio', 100), d('camera', 105), d('screen', null)], false, 20)).toBe('aligning');
    expect(j.judge([d('audio', 100), d('camera', 105)], true, 20)).toBe('degraded');
  });
});
