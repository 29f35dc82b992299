import { describe, expect, it } from 'vitest';
import { KEY_FRAME_REQUEST_EVERY_MS, newStallState, noteArrival, noteShown, shouldRequestKeyFrame, STALL_MS } from './stall-detector';

/** Frames arrive every 33 ms over [from, to); each is shown `showDelay` ms later unless `shown` says no. */
function run(from: number, to: number, opts: { shown: (t: number) => boolean; showDelay?: number; arrive?: (t: number) => boolean }) {
  const s = newStallState(from);
  const requests: number[] = [];
  const pendingShows: number[] = [];
  for (let t = from; t < to; t += 1) {
    if ((t - from) % 33 === 0 && (opts.arrive?.(t) ?? true)) {
      noteArrival(s, t);
      if (opts.shown(t)) pendingShows.push(t + (opts.showDelay ?? 100));
    }
    while (pendingShows.length && pendingShows[0]! <= t) {
      pendingShows.shift();
      noteShown(s, t);
    }
    if (t % 50 === 0 && shouldRequestKeyFrame(s, t)) requests.push(t);
  }
  return requests;
}

describe('stall detector', () => {
  it('asks for a key frame once frames have arrived unshown for the stall window, then at most every 2 s', () => {
    // Frames stop being shown at 5 s (a lost reference) while they keep arriving.
    const requests = run(0, 10_000, { shown: (t) => t < 5_000 });
    expect(requests[0]).toBeGreaterThanOrEqual(5_000 + STALL_MS);
    expect(requests[0]).toBeLessThan(5_000 + STALL_MS + 200);
    for (let i = 1; i < requests.length; i++) expect(requests[i]! - requests[i - 1]!).toBeGreaterThanOrEqual(KEY_FRAME_REQUEST_EVERY_MS);
  });

  it('a stream shown late (a 400 ms jitter-buffer target) is not a stall', () => {
    expect(run(0, 10_000, { shown: () => true, showDelay: 450 })).toEqual([]);
  });

  it('a sender that sends nothing (a still screen, a muted camera) is not a stall', () => {
    expect(run(0, 10_000, { shown: () => true, arrive: (t) => t < 2_000 })).toEqual([]);
  });

  it('a trickle of frames (under 10 fps) that is not shown is not judged', () => {
    expect(run(0, 10_000, { shown: () => false, arrive: (t) => t % 198 === 0 })).toEqual([]);
  });
});
