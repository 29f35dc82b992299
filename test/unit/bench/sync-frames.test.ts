import { describe, expect, it } from 'vitest';
import { countByKind, matchedFrames, type FrameObservation } from '../../../bench/sync-frames';

/** 30 fps frames presented 183 ms after capture; the RTP clock starts at `rtp0` (90 kHz, wrapping). */
function frames(n: number, rtp0: number, capture0 = 1_795_700_000_000): FrameObservation[] {
  return Array.from({ length: n }, (_, i) => {
    const cap = capture0 + Math.round((i * 1000) / 30);
    return { kind: 'camera', at: cap + 183, cap, rtp: (rtp0 + i * 3000) >>> 0 };
  });
}

describe('sync bench: presented-frame observations checked against their metadata', () => {
  it('keeps every observation whose pixels are the metadata frame, across an RTP wrap', () => {
    // The wrap after the third frame: the first frames' neighbours are mostly on the other side of it.
    const fs = frames(90, 2 ** 32 - 3 * 3000);
    const { kept, discarded } = matchedFrames(fs);
    expect(kept).toHaveLength(90);
    expect(countByKind(discarded)).toEqual({ camera: 0, screen: 0 });
  });

  it('discards an observation that read the next frame’s pixels with this frame’s display time', () => {
    const fs = frames(60, 12_345);
    // A late callback: metadata (display time, RTP) of frame 30, pixels of frame 31.
    const late = { ...fs[30]!, cap: fs[31]!.cap };
    fs[30] = late;
    const { kept, discarded } = matchedFrames(fs);
    expect(kept).not.toContain(late);
    expect(kept).toHaveLength(59);
    expect(discarded).toEqual([late]);
    expect(countByKind(discarded)).toEqual({ camera: 1, screen: 0 });
  });

  it('follows a stream restarted with a new RTP base and keeps observations without a timestamp', () => {
    const before = frames(40, 1_000);
    const after = frames(40, 3_000_000_000, before[39]!.cap + 40);
    const bare = { kind: 'screen' as const, at: 1, cap: 0, rtp: null };
    const { kept, discarded } = matchedFrames([...before, ...after, bare]);
    expect(kept).toHaveLength(81);
    expect(countByKind(discarded)).toEqual({ camera: 0, screen: 0 });
  });
});
