/**
 * Delay controller: at one receiver, bring every stream (audio, camera, screen, …) to a common
 * presentation delay by raising the early ones with RTCRtpReceiver.jitterBufferTarget.
 *
 * Why we need it: libwebrtc lip-syncs only one audio/video pair per MediaStream (a screen share in
 * its own stream is never synced) and its RtpStreamsSynchronizer corrects at most 80 ms per second;
 * chat is not synced at all. So the renderer measures, per stream, the presentation delay
 * (session now − capture time of what it presents) and feeds it here.
 *
 * Control law (per stream s, at each update):
 *   base_s   = measured_s − effective_s        the delay the stream would have with no target
 *   T        = max_s base_s + margin           the slowest stream sets the pace …
 *              capped at min_s base_s + maxAdded   … but never adds more than the cap to anyone
 *   target_s = clamp(T − base_s, 0, maxAdded)  what to request
 * Computing T from base delays, not measured ones, is what prevents runaway: raising a stream's
 * target raises its measured delay, and if T followed measured delays the slowest stream's own
 * target would feed back into T. It is also an integrator in disguise: target_new = target_old +
 * (T − measured), which converges whether the buffer adds the target (delay = base + target) or
 * treats it as a floor (delay = max(natural, target)), since either way the plant gain is in [0, 1].
 *
 * The target does not take effect at once: libwebrtc's VCMTiming moves the video playout delay at
 * most 100 ms/s toward its target (kDelayMaxChangeMsPerS in modules/video_coding/timing/timing.cc),
 * NetEq reaches an audio target by time-stretching. We model that ramp ("effective_s") when turning
 * measurements into base delays, and after each change we wait until the ramp should be done plus
 * reassessMs before judging the stream again, so a ramp in progress is not mistaken for a stream
 * that is still early (the classic cause of overshoot and oscillation with a lagging plant).
 *
 * Against noise and oscillation: interquartile means over a 3 s window (robust to spikes like a
 * median, but efficient for frame-quantised jitter; video presentation delay wanders by ±15 ms over
 * seconds in Chromium — vsync steps, a slow sawtooth — and a 1 s window let the common target chase
 * that wander, moving every other stream's target with it; right after a change only the samples
 * past the ramp count, so the longer window does not slow the next correction); a deadband sized from the window's own noise
 * (3 × its standard error, never below deadbandMs); a rate
 * limit per step; T rises at once but falls only after the fall has persisted (hysteresis), so a
 * slow stream's momentary dip does not pump every other stream.
 *
 * Pure: time is always an argument (ms, any monotonic local clock).
 */
import { clamp, median, medianStandardError, trimmedMean, trimmedMeanStandardError } from './robust-stats';
import { pairSkews, type PairSkew } from './media-timeline';

export type SyncState = 'inSync' | 'aligning' | 'degraded';
export type StreamPhase = 'measuring' | 'settling' | 'steady' | 'late';

/** Chromium clamps jitterBufferTarget to [0, 4000] ms. */
export const JITTER_BUFFER_TARGET_MAX_MS = 4_000;

export interface DelayControllerOptions {
  /** Largest jitterBufferTarget we request for any stream, ms: a receiver must not drift into lag. */
  maxAddedMs?: number;
  /** Added on top of the slowest stream's delay so its own jitter sits inside its buffer, ms. */
  marginMs?: number;
  /** Measurements older than this do not count, ms. */
  windowMs?: number;
  /** Samples needed before a stream's delay is trusted. */
  minSamples?: number;
  /** A stream without samples for this long is dropped, ms. */
  staleAfterMs?: number;
  /** Assumed speed at which an applied target shows in the measured delay, ms per second. */
  assumedSlewMsPerS?: number;
  /** After a change, wait for this long past the assumed end of the ramp before judging the stream
   *  again, so the judgement rests on enough fresh samples, ms. */
  reassessMs?: number;
  /** Smallest deadband, ms: errors below it are left alone. */
  deadbandMs?: number;
  /** Largest change of one stream's target in one step, ms. */
  maxStepMs?: number;
  /** Streams whose delays differ by at most this are "in sync", ms. */
  syncToleranceMs?: number;
  /** A lower common target must persist this long before it is followed, ms. */
  decreaseHoldMs?: number;
  /** While a stream that appeared less than this ago is still being measured, nothing moves:
   *  acting on the others first would waste a ramp and its reassessment, ms. */
  joinWaitMs?: number;
}

export interface StreamDecision {
  stream: string;
  /** The jitterBufferTarget to set on this stream's receiver, ms. */
  targetMs: number;
  /** Estimated delay without our target (interquartile mean), ms; null while measuring. */
  baseMs: number | null;
  /** Recent measured presentation delay (median), ms; null while measuring. */
  delayMs: number | null;
  phase: StreamPhase;
}

export interface DelayControllerOutput {
  state: SyncState;
  /** The common presentation delay aimed at, ms; null before any stream is measured. */
  targetDelayMs: number | null;
  streams: StreamDecision[];
  /** delay(a) − delay(b) for each pair of measured streams, from recent medians. */
  skews: PairSkew[];
  /** Streams dropped in this update (stale): reset their receivers' jitterBufferTarget to null. */
  removed: string[];
  /** Largest target currently requested, ms: the delay alignment adds at this receiver. */
  addedDelayMs: number;
}

interface Sample {
  at: number;
  delay: number;
  base: number;
}

interface StreamState {
  samples: Sample[];
  firstSampleAt: number;
  lastSampleAt: number;
  applied: number;
  /** Effective target when `applied` was last changed, and when. */
  rampFrom: number;
  rampAt: number;
  /** Before this time the stream's measurements still reflect a ramp in progress. */
  rampEndAt: number;
  /** Whether we ever changed this stream's target. */
  moved: boolean;
  base: number | null;
  /** Standard error of `base`, from the samples it was computed from. */
  baseSe: number;
}

export class DelayController {
  private readonly o: Required<DelayControllerOptions>;
  private readonly streams = new Map<string, StreamState>();
  private target: number | null = null;
  private lowerSince: number | null = null;
  /** Whether the last update reported 'inSync' (the state has hysteresis, see update()). */
  private inSync = false;

  constructor(opts: DelayControllerOptions = {}) {
    this.o = {
      maxAddedMs: Math.min(JITTER_BUFFER_TARGET_MAX_MS, opts.maxAddedMs ?? 400),
      marginMs: opts.marginMs ?? 10,
      windowMs: opts.windowMs ?? 3_000,
      minSamples: opts.minSamples ?? 8,
      staleAfterMs: opts.staleAfterMs ?? 1_500,
      assumedSlewMsPerS: opts.assumedSlewMsPerS ?? 100,
      reassessMs: opts.reassessMs ?? 500,
      deadbandMs: opts.deadbandMs ?? 5,
      maxStepMs: opts.maxStepMs ?? 250,
      syncToleranceMs: opts.syncToleranceMs ?? 20,
      decreaseHoldMs: opts.decreaseHoldMs ?? 1_000,
      joinWaitMs: opts.joinWaitMs ?? 600,
    };
  }

  /**
   * One measurement: at local time `at`, stream `stream` presents media captured `delayMs` ago
   * (session now − capture time). Any id works; a new id is a new stream (assumed at target 0).
   */
  addSample(stream: string, at: number, delayMs: number): void {
    if (!Number.isFinite(at) || !Number.isFinite(delayMs)) return;
    let s = this.streams.get(stream);
    if (!s) {
      s = { samples: [], firstSampleAt: at, lastSampleAt: at, applied: 0, rampFrom: 0, rampAt: at, rampEndAt: Number.NEGATIVE_INFINITY, moved: false, base: null, baseSe: 0 };
      this.streams.set(stream, s);
    }
    s.samples.push({ at, delay: delayMs, base: delayMs - this.effective(s, at) });
    s.lastSampleAt = Math.max(s.lastSampleAt, at);
  }

  /** Forget a stream now (e.g. its track ended). Its receiver is gone or should be reset. */
  remove(stream: string): void {
    this.streams.delete(stream);
  }

  /** The target currently requested for a stream, ms (0 for an unknown stream). */
  appliedTarget(stream: string): number {
    return this.streams.get(stream)?.applied ?? 0;
  }

  /** Re-evaluate at local time `now`; apply every returned targetMs. */
  update(now: number): DelayControllerOutput {
    const o = this.o;
    const removed: string[] = [];
    for (const [id, s] of this.streams) {
      if (now - s.lastSampleAt > o.staleAfterMs) {
        this.streams.delete(id);
        removed.push(id);
        continue;
      }
      const from = now - o.windowMs;
      s.samples = s.samples.filter((x) => x.at >= from);
      // Judge only measurements taken once the last change has fully shown. A new stream is judged
      // on its first few samples (speed matters at a join); a stream we already moved waits for
      // reassessMs of fresh ones, so a correction is not made on a handful of noisy frames.
      const usable = this.usable(s);
      if (usable.length >= o.minSamples && this.settled(s, now)) {
        s.base = trimmedMean(usable);
        s.baseSe = trimmedMeanStandardError(usable);
      }
    }

    const measured = [...this.streams.values()].filter((s) => s.base !== null);
    if (measured.length === 0) {
      this.target = null;
      this.lowerSince = null;
    } else {
      const bases = measured.map((s) => s.base!);
      const maxBase = Math.max(...bases);
      const minBase = Math.min(...bases);
      const wanted = Math.min(maxBase + o.marginMs, minBase + o.maxAddedMs);
      const slowest = measured.find((s) => s.base === maxBase)!;
      const band = this.deadband(slowest);
      if (this.target === null || wanted > this.target + band) {
        this.target = wanted;
        this.lowerSince = null;
      } else if (wanted < this.target - band) {
        this.lowerSince ??= now;
        if (now - this.lowerSince >= o.decreaseHoldMs) {
          this.target = wanted;
          this.lowerSince = null;
        }
      } else {
        this.lowerSince = null;
      }
    }

    const T = this.target;
    const waitingForJoin = [...this.streams.values()].some((s) => s.base === null && now - s.firstSampleAt < o.joinWaitMs);
    const decisions: StreamDecision[] = [];
    const delays = new Map<string, number | null>();
    const delaySe = new Map<string, number>();
    let late = false;
    for (const [id, s] of this.streams) {
      // The report should show the present, so it uses the newer half of the window when it can.
      const newer = s.samples.filter((x) => x.at >= now - o.windowMs / 2);
      const recent = (newer.length >= o.minSamples ? newer : s.samples).map((x) => x.delay);
      const delay = s.base === null || recent.length === 0 ? null : median(recent);
      delays.set(id, delay);
      if (delay !== null) delaySe.set(id, medianStandardError(recent));
      let phase: StreamPhase;
      if (s.base === null || T === null) {
        phase = 'measuring';
      } else {
        const desired = clamp(T - s.base, 0, o.maxAddedMs);
        if (!waitingForJoin && this.settled(s, now) && Math.abs(desired - s.applied) > this.deadband(s)) {
          const step = clamp(desired - s.applied, -o.maxStepMs, o.maxStepMs);
          this.setApplied(s, Math.round(s.applied + step), now);
        }
        if (s.base > T + o.syncToleranceMs) {
          phase = 'late';
          late = true;
        } else if (!this.settled(s, now)) {
          phase = 'settling';
        } else {
          phase = 'steady';
        }
      }
      decisions.push({ stream: id, targetMs: s.applied, baseMs: s.base, delayMs: delay, phase });
    }

    const skews = pairSkews(delays);
    const known = decisions.filter((d) => d.delayMs !== null);
    const allMeasured = known.length === decisions.length;
    // The state is judged on measured delays (a ramp still finishing does not stop us saying "in
    // sync" once the delays already agree), but those are medians of a few hundred ms of jittery
    // samples: with ±20 ms jitter the spread of three aligned streams exceeds a 20 ms tolerance now
    // and then by chance alone, and a bare threshold made the indicator flicker to 'aligning' while
    // the true skew was a few ms. So the state has hysteresis sized by the same evidence rule as the
    // deadband: we enter 'inSync' when the measured spread is within the tolerance, and leave it only
    // when the spread exceeds the tolerance by more than 3 standard errors of that spread (noise
    // cannot explain it). A new or unmeasured stream, or a late one, ends 'inSync' at once.
    if (late || !allMeasured) {
      this.inSync = false;
    } else if (known.length > 0) {
      const lo = known.reduce((m, d) => (d.delayMs! < m.delayMs! ? d : m));
      const hi = known.reduce((m, d) => (d.delayMs! > m.delayMs! ? d : m));
      const spread = hi.delayMs! - lo.delayMs!;
      const spreadSe = Math.hypot(delaySe.get(hi.stream) ?? 0, delaySe.get(lo.stream) ?? 0);
      if (spread <= o.syncToleranceMs) this.inSync = true;
      else if (spread > o.syncToleranceMs + 3 * spreadSe) this.inSync = false;
    } else {
      this.inSync = true; // nothing to align
    }
    const state: SyncState = late ? 'degraded' : this.inSync ? 'inSync' : 'aligning';
    return {
      state,
      targetDelayMs: T,
      streams: decisions,
      skews,
      removed,
      addedDelayMs: decisions.reduce((m, d) => Math.max(m, d.targetMs), 0),
    };
  }

  // ---- internals ----------------------------------------------------------------------------------

  /** The target the stream's measurements reflect at time t, per the assumed ramp. */
  private effective(s: StreamState, t: number): number {
    const slewPerMs = this.o.assumedSlewMsPerS / 1000;
    const gap = s.applied - s.rampFrom;
    const moved = Math.max(0, t - s.rampAt) * slewPerMs;
    return moved >= Math.abs(gap) ? s.applied : s.rampFrom + Math.sign(gap) * moved;
  }

  private setApplied(s: StreamState, value: number, now: number): void {
    if (value === s.applied) return;
    const from = this.effective(s, now);
    s.rampFrom = from;
    s.rampAt = now;
    s.applied = value;
    const rampMs = (Math.abs(value - from) * 1000) / this.o.assumedSlewMsPerS;
    s.rampEndAt = now + rampMs;
    s.moved = true;
  }

  private settled(s: StreamState, now: number): boolean {
    return !s.moved || now >= s.rampEndAt + this.o.reassessMs;
  }

  private usable(s: StreamState): number[] {
    return s.samples.filter((x) => x.at >= s.rampEndAt).map((x) => x.base);
  }

  /** Errors within 3 standard errors of the estimate are noise, not worth acting on: the test is
   *  repeated at every update, so a looser band would fire on noise every few seconds. The standard
   *  error is that of the base estimate in use (the samples it was computed from): right after a
   *  change the stream has no usable samples yet, and sizing the band from those (0) dropped it to
   *  deadbandMs, so the next noisy base of a just-moved slowest stream pumped T and every stream. */
  private deadband(s: StreamState): number {
    return Math.max(this.o.deadbandMs, 3 * s.baseSe);
  }
}
