import { describe, expect, it } from 'vitest';
import { presentationStepReport, presentationSteps, type JitterBufferReading } from '../../../bench/sync-presentation';
import type { SyncLogs } from '../../../bench/sync-code';

/**
 * 30 fps frames for `seconds`, with a jitter-buffer reading every 250 ms. `presented(t)` and
 * `buffered(t)` give, at t ms from the start, the presented delay and the time a frame spent in the
 * jitter buffer.
 */
function stream(seconds: number, presented: (t: number) => number, buffered: (t: number) => number) {
  const t0 = 1_795_700_000_000;
  const frames: { at: number; cap: number; t: number }[] = [];
  for (let t = 0; t < seconds * 1_000; t += 1_000 / 30) frames.push({ at: t0 + t + presented(t), cap: t0 + t, t });
  const readings: JitterBufferReading[] = [];
  let delayS = 0;
  let emitted = 0;
  for (let at = 0; at <= seconds * 1_000 + 500; at += 250) {
    // The frames emitted in the last 250 ms, each buffered(t) ms.
    for (const f of frames) if (f.at - t0 >= at - 250 && f.at - t0 < at) {
      delayS += buffered(f.t) / 1_000;
      emitted++;
    }
    readings.push({ at: t0 + at, delayS, emitted });
  }
  return { frames, readings };
}

describe('sync bench: presentation steps against the jitter buffer', () => {
  it('counts a frame step that the jitter buffer did not make, and one it did', () => {
    // 100 ms presented, 60 ms of it in the buffer; at 2 s the presentation steps to 133 with the
    // buffer unchanged (the renderer's choice of refresh), back at 3 s; at 5 s both step up by 33.
    const s = stream(
      7,
      (t) => (t >= 2_000 && t < 3_000 ? 133 : t >= 5_000 ? 133 : 100),
      (t) => (t >= 5_000 ? 93 : 60),
    );
    expect(presentationSteps(s.frames, s.readings)).toEqual({ steps: 3, jitterBufferMoved: 1 });
  });

  it('ignores steps under 25 ms, the buffer moving alone, and intervals without enough frames', () => {
    const small = stream(4, (t) => (t >= 2_000 ? 117 : 100), () => 60);
    expect(presentationSteps(small.frames, small.readings)).toEqual({ steps: 0, jitterBufferMoved: 0 });
    const bufferOnly = stream(4, () => 100, (t) => (t >= 2_000 ? 90 : 60));
    expect(presentationSteps(bufferOnly.frames, bufferOnly.readings)).toEqual({ steps: 0, jitterBufferMoved: 0 });
    // A gap of frames around the step: nothing to compare across it, and no interval reads empty.
    const gap = stream(4, (t) => (t >= 2_000 ? 133 : 100), () => 60);
    const frames = gap.frames.filter((f) => f.t < 1_500 || f.t >= 2_500);
    expect(presentationSteps(frames, gap.readings).steps).toBe(1);
    expect(presentationSteps(frames.filter((f) => f.t < 1_500), gap.readings.slice(0, 3))).toEqual({ steps: 0, jitterBufferMoved: 0 });
  });

  it('reports per receiver and video kind, within the window, on inbound video only', () => {
    const s = stream(6, (t) => (t >= 3_000 ? 133 : 100), () => 60);
    const rtp = (kind: 'camera' | 'screen' | 'audio', pc: number) =>
      s.readings.map((x) => ({ at: x.at, dir: 'in' as const, pc, kind, frames: 0, decoded: 0, keyFrames: 0, plis: 0, nacks: 0, lost: 0, freezes: 0, freezeMs: 0, jb: { delay: x.delayS, target: 0, minimum: 0, emitted: x.emitted } }));
    const logs = {
      frames: s.frames.map((f) => ({ kind: 'camera' as const, at: f.at, cap: f.cap, rtp: null })),
      rtp: [...rtp('camera', 0), ...rtp('audio', 0)],
    } as unknown as SyncLogs;
    const t0 = s.readings[0]!.at;
    expect(presentationStepReport([logs], { from: t0, to: t0 + 6_500 })).toEqual([{ camera: { steps: 1, jitterBufferMoved: 0 } }]);
    expect(presentationStepReport([logs], { from: t0, to: t0 + 2_500 })).toEqual([{ camera: { steps: 0, jitterBufferMoved: 0 } }]);
  });
});
