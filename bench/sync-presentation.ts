/**
 * Whether a video's presentation-delay steps come from its jitter buffer (pure, unit-tested).
 *
 * A receiver's presented delay for a video (display time − capture time) moves in steps of a refresh
 * or a frame. The synchronizer's only actuator, jitterBufferTarget, acts on the jitter buffer; a step
 * that happens after it (in decode or in the renderer's choice of refresh) is out of its reach. The
 * bench reads, every 250 ms, each inbound video's cumulative jitterBufferDelay and
 * jitterBufferEmittedCount, whose differences give the mean time a frame of that 250 ms spent in the
 * buffer. A step of the presented delay between two consecutive 250 ms intervals is counted, and
 * counted as the buffer's when the buffer's mean moved the same way by at least half of it.
 *
 * The same readings tell whether a video's frames reached the buffer late: a frame that leaves the
 * buffer later than the buffer's target (jitterBufferTargetDelay, which our floor raises) was late
 * in arriving. The bench's camera hold does that: it acts after the packets' arrival times are
 * taken, so libwebrtc's target does not follow it, and a floored camera is shown late when the hold
 * wanders above its floor. A camera shown late with its frames on time was put late by the renderer.
 * lateFrameCounts() tells the two apart.
 */
import { median } from '../src-shared/sync/robust-stats';
import { inboundVideoStreams, type RtpStreamSample, type SyncLogs } from './sync-code';
import { matchedFrames } from './sync-frames';

/** One getStats() reading of an inbound video: cumulative jitterBufferDelay (s) over `emitted` frames. */
export interface JitterBufferReading {
  at: number;
  delayS: number;
  emitted: number;
  /** Cumulative jitterBufferTargetDelay (s), over the same frames. */
  targetS?: number;
}

export interface PresentationSteps {
  /** Steps of at least `stepMs` between the median presented delays of consecutive intervals. */
  steps: number;
  /** Those the jitter buffer's mean delay followed (same sign, at least half the step). */
  jitterBufferMoved: number;
}

/**
 * The intervals between consecutive readings of one stream's jitter buffer in which it emitted
 * frames, with the mean time those frames spent in it and the mean target they had, ms (the target
 * null when the readings lack it).
 */
function bufferIntervals(readings: readonly JitterBufferReading[]): { from: number; to: number; delayMs: number; targetMs: number | null }[] {
  const out: { from: number; to: number; delayMs: number; targetMs: number | null }[] = [];
  for (let i = 1; i < readings.length; i++) {
    const [a, b] = [readings[i - 1]!, readings[i]!];
    const n = b.emitted - a.emitted;
    if (n <= 0) continue;
    const targetMs = a.targetS === undefined || b.targetS === undefined ? null : ((b.targetS - a.targetS) / n) * 1_000;
    out.push({ from: a.at, to: b.at, delayMs: ((b.delayS - a.delayS) / n) * 1_000, targetMs });
  }
  return out;
}

/** Presented frames needed in an interval for its median to count. */
const MIN_FRAMES = 3;

/**
 * Steps of one video stream's presented delay (`frames`: display time and capture time, ms, on one
 * clock) over the intervals between consecutive `readings` of its jitter buffer (one stream, in
 * time order; `at` on the frames' clock).
 */
export function presentationSteps(frames: { at: number; cap: number }[], readings: JitterBufferReading[], stepMs = 25): PresentationSteps {
  const intervals: { presented: number; buffer: number }[] = [];
  for (const iv of bufferIntervals(readings)) {
    const shown = frames.filter((f) => f.at >= iv.from && f.at < iv.to).map((f) => f.at - f.cap);
    if (shown.length >= MIN_FRAMES) intervals.push({ presented: median(shown), buffer: iv.delayMs });
  }
  let steps = 0;
  let jitterBufferMoved = 0;
  for (let i = 1; i < intervals.length; i++) {
    const step = intervals[i]!.presented - intervals[i - 1]!.presented;
    if (Math.abs(step) < stepMs) continue;
    steps++;
    const moved = intervals[i]!.buffer - intervals[i - 1]!.buffer;
    if (Math.sign(moved) === Math.sign(step) && Math.abs(moved) >= Math.abs(step) / 2) jitterBufferMoved++;
  }
  return { steps, jitterBufferMoved };
}

/** The jitter-buffer readings of one stream's getStats() log. */
const bufferReadings = (rtp: readonly RtpStreamSample[]): JitterBufferReading[] =>
  rtp.flatMap((x) => (x.jb ? [{ at: x.at, delayS: x.jb.delay, emitted: x.jb.emitted, targetS: x.jb.target }] : []));

/**
 * Per receiver, per video kind, over the window: the presentation steps (see presentationSteps()),
 * summed over the kind's inbound streams, on the observations whose pixels match their metadata.
 */
export function presentationStepReport(recs: SyncLogs[], w: { from: number; to: number }): Record<string, PresentationSteps>[] {
  return recs.map((r) => {
    const frames = matchedFrames(r.frames.filter((f) => f.at >= w.from && f.at < w.to)).kept;
    const out: Record<string, PresentationSteps> = {};
    for (const s of inboundVideoStreams(r.rtp.filter((x) => x.at >= w.from && x.at < w.to))) {
      const readings = bufferReadings(s.readings);
      const o = (out[s.kind] ??= { steps: 0, jitterBufferMoved: 0 });
      const p = presentationSteps(frames.filter((f) => f.kind === s.kind), readings);
      o.steps += p.steps;
      o.jitterBufferMoved += p.jitterBufferMoved;
    }
    return out;
  });
}

export interface LateFrameCounts {
  /** Intervals between readings in which the video played more than `tolMs` later than the audio … */
  behind: number;
  /** … and those of them in which its frames left the buffer more than `lateMs` after its target, on average. */
  behindFramesLate: number;
  /** Intervals within ±`tolMs` of the audio … */
  inSync: number;
  /** … and those of them with its frames late. */
  inSyncFramesLate: number;
}

const noLateFrames = (): LateFrameCounts => ({ behind: 0, behindFramesLate: 0, inSync: 0, inSyncFramesLate: 0 });

/**
 * Over the intervals between consecutive `readings` of one video's jitter buffer: whether the video
 * played later than the audio (the median of the `skews`, video delay − audio delay, in the
 * interval) and whether its frames were late into the buffer (mean buffer delay − mean target of
 * the frames it emitted then).
 */
export function lateFrameCounts(skews: readonly { at: number; skew: number }[], readings: readonly JitterBufferReading[], tolMs = 20, lateMs = 5): LateFrameCounts {
  const out = noLateFrames();
  for (const iv of bufferIntervals(readings)) {
    const sk = skews.filter((x) => x.at >= iv.from && x.at < iv.to).map((x) => x.skew);
    if (sk.length === 0 || iv.targetMs === null) continue;
    const late = iv.delayMs - iv.targetMs > lateMs;
    const skew = median(sk);
    if (skew > tolMs) {
      out.behind++;
      if (late) out.behindFramesLate++;
    } else if (skew >= -tolMs) {
      out.inSync++;
      if (late) out.inSyncFramesLate++;
    }
  }
  return out;
}

/** lateFrameCounts() of a receiver's cameras (summed over its inbound camera streams) within a window. */
export function cameraLateFrames(rec: SyncLogs, cameraAudio: readonly { at: number; skew: number }[], w: { from: number; to: number }): LateFrameCounts {
  const sum = noLateFrames();
  const skews = cameraAudio.filter((x) => x.at >= w.from && x.at < w.to);
  for (const s of inboundVideoStreams(rec.rtp.filter((x) => x.at >= w.from && x.at < w.to))) {
    if (s.kind !== 'camera') continue;
    const c = lateFrameCounts(skews, bufferReadings(s.readings));
    for (const k of Object.keys(sum) as (keyof LateFrameCounts)[]) sum[k] += c[k];
  }
  return sum;
}
