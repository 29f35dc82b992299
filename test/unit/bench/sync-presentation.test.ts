import { describe, expect, it } from 'vitest';
import { cameraLateFrames, lateFrameCounts, presentationStepReport, presentationSteps, type JitterBufferReading } from '../../../bench/sync-presentation';
import type { SyncLogs } from '../../../bench/sync-code';

/**
 * 30 fps frames for `seconds`, with a jitter-buffer reading every 250 ms. `presented(t)` and
 * `buffered(t)` give, at t ms from the start, the presented delay and the time a frame spent in the
 * jitter buffer.
 */
function stream(seconds: number, presented: (t: number) => number, buffered: (t: number) => number, target: (t: number) => number = () => 0) {
  const t0 = 1_795_700_000_000;
  const frames: { at: number; cap: number; t: number }[] = [];
  for (let t = 0; t < seconds * 1_000; t += 1_000 / 30) frames.push({ at: t0 + t + presented(t), cap: t0 + t, t });
  const readings: JitterBufferReading[] = [];
  let delayS = 0;
  let targetS = 0;
  let emitted = 0;
  for (let at = 0; at <= seconds * 1_000 + 500; at += 250) {
    // The frames emitted in the last 250 ms, each buffered(t) ms against a target of target(t).
    for (const f of frames) if (f.at - t0 >= at - 250 && f.at - t0 < at) {
      delayS += buffered(f.t) / 1_000;
      targetS += target(f.t) / 1_000;
      emitted++;
    }
    readings.push({ at: t0 + at, delayS, targetS, emitted });
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

  it('counts the intervals a camera plays behind the audio, and those in which its frames reached the buffer late', () => {
    // The buffer's target is 86 ms throughout; the frames shown from 2 to 3 s left it 30 ms after
    // that (late into it), and the camera plays 33 ms behind the audio then; those shown from 4 to
    // 5 s left it 3 ms late only (within the 5 ms allowed) and the camera is in step.
    const shownAt = (t: number) => t + 100; // a frame captured at t is shown 100 ms later
    const late = (t: number) => (shownAt(t) >= 2_000 && shownAt(t) < 3_000 ? 116 : shownAt(t) >= 4_000 && shownAt(t) < 5_000 ? 89 : 86);
    const s = stream(6, () => 100, late, () => 86);
    const t0 = s.readings[0]!.at;
    const skews: { at: number; skew: number }[] = [];
    for (let t = 50; t < 6_000; t += 100) skews.push({ at: t0 + t, skew: t >= 2_000 && t < 3_000 ? 33 : 2 });
    const c = lateFrameCounts(skews, s.readings);
    expect(c.behind).toBe(4);
    expect(c.behindFramesLate).toBe(4);
    expect(c.inSyncFramesLate).toBe(0);
    expect(c.behind + c.inSync).toBe(24);
    // Frames late while in step are counted apart: the audio may have followed the camera.
    const followed = lateFrameCounts(skews.map((x) => ({ ...x, skew: 2 })), s.readings);
    expect(followed).toEqual({ behind: 0, behindFramesLate: 0, inSync: 24, inSyncFramesLate: 4 });
    // A camera ahead of the audio by more than the tolerance is neither behind nor in step.
    expect(lateFrameCounts(skews.map((x) => ({ ...x, skew: -33 })), s.readings)).toEqual({ behind: 0, behindFramesLate: 0, inSync: 0, inSyncFramesLate: 0 });
  });

  it('reports late frames from a receiver\'s inbound cameras only, within the window', () => {
    const s = stream(4, () => 100, (t) => (t >= 2_000 ? 120 : 86), () => 86);
    const rtp = (kind: 'camera' | 'screen' | 'audio') =>
      s.readings.map((x) => ({ at: x.at, dir: 'in' as const, pc: 0, kind, frames: 0, decoded: 0, keyFrames: 0, plis: 0, nacks: 0, lost: 0, freezes: 0, freezeMs: 0, jb: { delay: x.delayS, target: x.targetS!, minimum: 0, emitted: x.emitted } }));
    const logs = { frames: [], rtp: [...rtp('camera'), ...rtp('screen'), ...rtp('audio')] } as unknown as SyncLogs;
    const t0 = s.readings[0]!.at;
    const skews = Array.from({ length: 40 }, (_, i) => ({ at: t0 + i * 100 + 50, skew: i >= 20 ? 34 : 0 }));
    // Intervals up to the last reading before the window's end (3.75 and 1.75 s).
    expect(cameraLateFrames(logs, skews, { from: t0, to: t0 + 4_000 })).toEqual({ behind: 7, behindFramesLate: 7, inSync: 8, inSyncFramesLate: 0 });
    expect(cameraLateFrames(logs, skews, { from: t0, to: t0 + 2_000 })).toEqual({ behind: 0, behindFramesLate: 0, inSync: 7, inSyncFramesLate: 0 });
  });
});
