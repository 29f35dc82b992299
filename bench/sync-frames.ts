/**
 * Which presented-frame observations of the sync bench can be trusted (pure, unit-tested).
 *
 * A receiver page reads, in each requestVideoFrameCallback, the capture time painted into the pixels
 * of the video element, and pairs it with the metadata's expectedDisplayTime. The callback is best
 * effort (WICG/video-rvfc#59, and the spec's note on drawing "one v-sync late"): when it runs late,
 * the element may already show the next frame, so the pixels read belong to a newer frame than the
 * metadata. Paired with the older frame's display time, such an observation reads a frame interval
 * too short a delay. Seen in bench:sync dumps: camera delays of 150 ms among 183s, every one from a
 * callback that ran 34–40 ms after its expectedDisplayTime, the pixels one frame (3000 RTP ticks)
 * ahead of the metadata's rtpTimestamp. On one loaded run they made 13 of a receiver's 120
 * camera–audio pairs read −28 to −51 ms, and so the pair's p95.
 *
 * The metadata's rtpTimestamp names the frame it is about, and for a given stream capture time −
 * RTP time is constant (both come from the publisher's capture clock), so an observation whose
 * pixels disagree with its neighbours' relation by more than a quarter frame is discarded.
 */
import { median } from '../src-shared/sync/robust-stats';

export interface FrameObservation {
  kind: 'camera' | 'screen';
  at: number;
  cap: number;
  rtp: number | null;
}

const RTP_VIDEO_HZ = 90_000;
/** The span after which a 32-bit RTP timestamp wraps, in ms at 90 kHz. */
const RTP_SPAN_MS = (2 ** 32 / RTP_VIDEO_HZ) * 1_000;
/** Neighbours each side whose relation the observation is compared with. */
const NEIGHBOURS = 15;
/** Disagreement beyond which the pixels are another frame's, ms: a quarter of a 30 fps frame;
 *  matched observations agree within 3 ms (whole-ms stamps). */
const MISMATCH_MS = 8;

const fold = (ms: number) => ms - RTP_SPAN_MS * Math.round(ms / RTP_SPAN_MS);

/**
 * The observations whose pixels are the frame their metadata is about (kept), and the others.
 * Observations without an RTP timestamp are kept (nothing to check them against). The relation is
 * judged against the nearest neighbours, so a stream restarted with a new RTP base is followed.
 */
export function matchedFrames<F extends FrameObservation>(frames: F[]): { kept: F[]; discarded: F[] } {
  const bad = new Set<F>();
  for (const kind of ['camera', 'screen'] as const) {
    const xs = frames.filter((f) => f.kind === kind && f.rtp !== null);
    const rel = xs.map((f) => f.cap - (f.rtp! / RTP_VIDEO_HZ) * 1_000);
    xs.forEach((f, i) => {
      const near = rel.slice(Math.max(0, i - NEIGHBOURS), i + NEIGHBOURS + 1).map((r) => fold(rel[i]! - r));
      if (Math.abs(median(near)) > MISMATCH_MS) bad.add(f);
    });
  }
  return { kept: frames.filter((f) => !bad.has(f)), discarded: [...bad] };
}

/** How many observations of each kind were discarded. */
export function countByKind(frames: FrameObservation[]): Record<'camera' | 'screen', number> {
  return { camera: frames.filter((f) => f.kind === 'camera').length, screen: frames.filter((f) => f.kind === 'screen').length };
}
