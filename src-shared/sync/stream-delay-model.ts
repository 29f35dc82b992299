/**
 * What one receiving stream's presentation delay does when we set its jitterBufferTarget: the plant
 * model under the DelayController. Pure; time is an argument.
 *
 * The plant, as measured in Chromium 156 (bench:sync): the target is a floor, not an addition.
 *   delay = max(natural, target + offset)
 * `natural` is the delay the stream has on its own (network, its jitter buffer's own estimate,
 * decode, render). `offset` is what sits outside the buffer the target governs: capture-to-arrival
 * and render/vsync for video (a few ms on loopback, the one-way network delay elsewhere), that plus
 * the audio sink for audio. libwebrtc's VCMTiming moves video toward a new floor at ≤ 100 ms/s;
 * NetEq reaches an audio floor by time-stretching, at a similar pace.
 *
 * Neither parameter is known up front, and one measurement cannot tell them apart, so the model
 * learns from how the delay answers a change of target: when a raise moved the delay, the floor
 * binds (offset = delay − target); when it did not, the stream is still at its natural delay and
 * the offset is at most natural − target. Until a stream has been moved, its offset is a prior
 * (its kind's typical value, raised by the stream's measured capture-to-arrival delay beyond
 * loopback's: see DelayController.setArrivalDelay).
 *
 * The natural delay also moves on its own while a target is set (NetEq grows its buffer after a
 * burst of jitter; a network path changes). At a constant target the floor stays put (target +
 * offset; for a video, where it was seen to bind, and up to a frame above that), so a delay clearly
 * above it is the natural delay, and one back on it is the floor again (see learn()). Without that,
 * the offset silently absorbed a rising natural delay: the stream read as floored, its natural delay
 * as its old value, and the other streams were never raised to it (seen in bench:sync: audio
 * drifting 110 → 145 ms at a constant target while the camera stayed at 120).
 */
import { blockStandardError, median, quantile, trimmedMean } from './robust-stats';
import { naturalUpperEnd, splitDirection, STEP_SPLIT_MIN_SAMPLES } from './video-steps';

/** The span over which a ramp still in progress is looked for, ms: at 30 ms/s (below the slowest
 *  average seen) it moves the median by more than the 5 ms response tolerance. */
const RAMP_LOOK_MS = 300;
/** How much larger than assumed a floor's offset can turn out: learnt audio offsets in bench:sync
 *  were 3–27 ms above their prior (NetEq's buffer floats within a band above its target). */
const OFFSET_EXCESS_MAX_MS = 30;
/** A jitter buffer whose target our floor holds this far above the target it would have on its own
 *  is on that floor, ms: clear of what a second's mean of the stats can be off by. */
const FLOOR_HOLD_MIN_MS = 10;
/** Most quarter-step nudges one way after a floor was set. */
const MAX_NUDGES = 2;

interface Sample {
  at: number;
  delay: number;
}

export interface StreamModelOptions {
  windowMs: number;
  minSamples: number;
  slewMsPerS: number;
  reassessMs: number;
  /** Changes of the estimate smaller than this are noise when classifying a response, ms. */
  responseTolMs: number;
  /** The stream's floored delay sits anywhere up to a frame interval above its floor (video: frames
   *  are shown whole, on refreshes), so only a delay more than that above it is read as natural (see
   *  learn()); reading less as natural made the video targets hunt by a frame in bench:sync. The
   *  frame interval is the samples' spacing (a video is sampled per presented frame). */
  framesAboveFloor?: boolean;
}

export class StreamDelayModel {
  private samples: Sample[] = [];
  readonly firstSampleAt: number;
  lastSampleAt: number;
  /** The target currently requested, ms. */
  applied = 0;
  /** Whether we ever changed the target. */
  moved = false;
  /** Whether the target was ever changed from the one the stream started with (see refresh()). */
  private steered = false;
  /** The median spacing of the samples in the window as of the last refresh, ms (null with too
   *  few, and for audio): for a video, whose samples are its presented frames, its frame interval. */
  sampleIntervalMs: number | null = null;
  /** Robust recent delay, ms (null until enough settled samples), and its standard error. */
  estimate: number | null = null;
  estimateSe = 0;
  /** Delay without our target, ms (null until first estimated). */
  natural: number | null = null;
  /** The upper end of the natural delay's own wander (its 90th percentile), ms: where a floor holds
   *  this stream still most of the time. */
  naturalHigh: number | null = null;
  /** delay − target while the floor binds, ms. */
  offset: number;
  /** Whether the floor currently binds (the delay is target + offset, not natural). */
  binding = false;
  /** Whether `offset` has been measured (seen while the floor bound), not just assumed. */
  offsetLearnt = false;
  /** For a video, the delay at which its current floor was seen to bind (see learn()); null until
   *  then, and after every change of target. */
  private floorShownAt: number | null = null;
  /** Samples before this time may still show a change in progress. */
  private settleAt = Number.NEGATIVE_INFINITY;
  /** Quarter-step nudges made since the floor was last set, signed (see centreInStep()). */
  private nudges = 0;
  /** Late-split nudges made since the frames last stopped splitting late, whatever the floor did
   *  in between (see centreInStep()). */
  private lateNudges = 0;
  /** Estimate and target when the last change was made, to judge how the delay answered it. */
  private before: { estimate: number; applied: number; expected: number; waits: number } | null = null;

  /** `initial`: a target set on the receiver before its first frame (the playout floor), and that
   *  frame's delay. Nothing is estimated until the floor's ramp should be done, as after a change:
   *  an estimate over NetEq's climb has a band as wide as the climb (it held the pace under an audio
   *  25 ms above the camera for 3 s in bench:sync). Then the delay reads as natural until a change
   *  of target shows whether the floor binds (learn()). */
  constructor(
    private readonly o: StreamModelOptions,
    at: number,
    private offsetPrior: number,
    initial?: { target: number; firstDelay: number },
  ) {
    this.firstSampleAt = at;
    this.lastSampleAt = at;
    this.offset = offsetPrior;
    if (!initial || initial.target <= 0) return;
    this.applied = initial.target;
    this.moved = true;
    this.settleAt = at + (Math.max(0, initial.target + offsetPrior - initial.firstDelay) * 1000) / o.slewMsPerS;
  }

  /** A better prior for the offset (e.g. from the stream's measured capture-to-arrival delay): taken
   *  while the offset is still the prior, neither learnt nor bounded by an answer. */
  setOffsetPrior(prior: number): void {
    if (!this.offsetLearnt && this.offset === this.offsetPrior) this.offset = prior;
    this.offsetPrior = prior;
  }

  add(at: number, delay: number): void {
    this.samples.push({ at, delay });
    this.lastSampleAt = Math.max(this.lastSampleAt, at);
  }

  /** Whether the last change has had time to show and be measured again. */
  settled(now: number): boolean {
    return !this.moved || now >= this.settleAt + this.o.reassessMs;
  }

  /** Recent raw delays (for reporting the present), newest window half when there are enough. */
  recentDelays(now: number): number[] {
    const newer = this.delaysIn(now - this.o.windowMs / 2);
    return newer.length >= this.o.minSamples ? newer : this.samples.map((x) => x.delay);
  }

  /** Drop old samples; once settled, re-estimate and learn how the floor behaves. */
  refresh(now: number): void {
    const from = now - this.o.windowMs;
    this.samples = this.samples.filter((x) => x.at >= from);
    // Only a video's band and floor slack use it (see framesAboveFloor); not sorted for audio.
    if (this.o.framesAboveFloor) this.sampleIntervalMs = this.samples.length < this.o.minSamples ? null : median(this.samples.slice(1).map((x, i) => x.at - this.samples[i]!.at));
    if (!this.settled(now)) return;
    const settledSamples = this.samples.filter((x) => x.at >= this.settleAt);
    const usable = settledSamples.map((x) => x.delay);
    if (usable.length < this.o.minSamples) return;
    const est = trimmedMean(usable);
    this.estimate = est;
    this.estimateSe = blockStandardError(settledSamples);
    this.learn(est, now);
    // Learnt only while no target is set, so every sample is the natural delay. Kept while floored.
    // Not learnt from a floored stream's samples even where the floor does not quite bind: a floor at
    // the upper end of the wander clips it, and the clipped samples would read as a higher natural
    // pace, which raises the floor, which clips again (a runaway seen in the simulator). Except for a
    // video under the playout floor it started on, until it is steered: a constant floor cannot run
    // away, and every video starts on one. Without this no video was floored at its upper end; a new
    // screen above its 170 ms floor had the pace at its middle and showed its frames at 162, 178 and
    // 195 ms for 7 s (bench:sync). Not audio: its delay floats around its floor (NetEq's level).
    if (this.applied === 0 || (this.o.framesAboveFloor && !this.steered)) this.naturalHigh = naturalUpperEnd(usable, est, this.o.framesAboveFloor ? this.sampleIntervalMs : null);
    this.naturalHigh ??= this.natural;
  }

  private learn(est: number, now: number): void {
    const b = this.before;
    const slack = this.o.framesAboveFloor ? (this.sampleIntervalMs ?? Number.POSITIVE_INFINITY) : 0;
    if (!b && this.applied > 0 && Number.isFinite(slack)) {
      // At a constant target the floor stays put: the last second's samples mostly above it are the
      // natural delay (it rose past the floor, or the floor never reached it), and a delay back on it
      // is the floor again (judged only once the offset was measured, not on the prior). "Mostly
      // above" is the lower quartile of the last second: quicker than the 3 s estimate, which is what
      // the offset follows while the floor binds (so a rise shows before the offset has absorbed it),
      // and neither measurement noise around a floor nor a few spikes can fake it (a mean could be,
      // and a floor raised on it clips the noise higher and is raised again: a runaway seen in the
      // simulator). For a video, "above" starts a frame above the floor.
      // A video's floor is where it was seen to bind, not target + offset: the offset follows the 3 s
      // estimate while the floor binds, and it absorbed a video's rise of a frame and a half before
      // the last second's samples were a frame above target + offset (in the simulator: a floored
      // camera whose path got slower, its offset 0 → 34 → 68 → … → 184 ms, its floor lowered step
      // by step to nothing, the pace 150 → 184 → 150 → 184 for 6 s).
      const floor = (this.floorShownAt ?? this.applied + this.offset) + slack;
      const tol = this.o.responseTolMs;
      const lastSecond = this.delaysIn(Math.max(this.settleAt, now - 1_000));
      const above = lastSecond.length >= this.o.minSamples ? quantile(lastSecond, 0.25) : Number.NEGATIVE_INFINITY;
      // Unless the jitter buffer says its level is our floor's doing: then a delay above where the
      // model put the floor is the buffer floating around its target, not a natural rise (bench:sync:
      // a floored audio 8–13 ms over its floor, NetEq's own target 60 ms against our 216, read as
      // natural, raised the pace, the videos a step after it, and the audio's floor after them:
      // 218 → 291 ms over 35 s).
      if (above > floor + tol && !this.heldByFloor()) {
        this.binding = false;
        // Above its floor, this is the natural delay (at least where most of the last second was): the
        // pace must rise with it.
        this.naturalHigh = Math.max(this.naturalHigh ?? est, est, above);
      } else if (!this.binding && this.offsetLearnt && est <= floor + tol) this.binding = true;
    }
    if (b) {
      this.before = null;
      const tol = Math.max(this.o.responseTolMs, 3 * this.estimateSe);
      const moved = est - b.estimate;
      const direction = Math.sign(this.applied - b.applied);
      const partWay = Math.abs(moved) > tol && Math.sign(moved) === direction && Math.abs(moved) < Math.abs(b.expected) / 2;
      if ((partWay || this.stillMoving(now, direction)) && b.waits < 3) {
        // Part of the way there, or still moving that way: the plant is slower than assumed (NetEq
        // reached raised audio floors at 34–48 ms/s on average in bench:sync, not the 100 assumed). Judge
        // again later rather than learn an offset from a ramp in progress (which would overshoot).
        this.before = { ...b, waits: b.waits + 1 };
        this.settleAt = now;
        return;
      }
      const nearNatural = this.natural !== null && est <= this.natural + 2 * tol;
      if (Math.abs(moved) > tol && direction < 0 && est > this.applied + this.offset + tol && nearNatural) {
        // A lowered floor that the delay came down from, to about where the stream played on its own
        // and clearly above the new floor: the floor was released and the stream is back on its
        // natural delay (drifted a little since it was last seen). Taking it for the floor would
        // learn a too large offset.
        this.binding = false;
      } else if (Math.abs(moved) > tol && Math.sign(moved) === direction && (Math.abs(b.expected) > tol || est - this.applied <= this.offset + OFFSET_EXCESS_MAX_MS)) {
        // The delay answered the change: the floor binds (or, back at target 0, no longer does).
        // A change the model expected to do nothing (a floor set under the delay) can still bind if
        // the offset is larger than assumed, but not by more than offsets are ever larger than their
        // prior: a larger move is the stream's own (NetEq's start-up level rising right after a floor
        // was set under it was read as that floor binding with an 89 ms offset, in bench:sync).
        this.binding = this.applied > 0;
        if (this.binding && this.o.framesAboveFloor) this.floorShownAt = est;
      } else if (Math.abs(b.expected) > (this.o.framesAboveFloor ? 2 * tol : tol)) {
        // The model expected an answer and got none: the stream is at its natural delay, which the
        // floor does not reach (a floor that bound would have moved the delay with it, down as well
        // as up). After a raise that also bounds the offset from above. Audio has no steps, so any
        // change beyond the tolerance shows: left to the video's wider rule, audio lowered 8 ms at a
        // time with nothing moving was taken each time for a binding floor with an 8 ms larger
        // offset, and its floor sank to a few ms (bench:sync: 53 → 32 → 24 while it played at 95–115
        // on its own), so the next raise, planned on that offset, fell short. A video's shown delay
        // can stay on its step through a change of less than a step.
        this.binding = false;
        if (direction > 0) this.offset = Math.min(this.offset, est - this.applied);
      }
    }
    if (this.binding) {
      this.offset = Math.max(0, est - this.applied);
      this.offsetLearnt = true;
    } else this.natural = est;
    this.natural ??= est;
  }

  /** Whether the delay is still moving in `direction` (the median of the last RAMP_LOOK_MS against
   *  the one before it), by more than measurement noise. */
  private stillMoving(now: number, direction: number): boolean {
    const recent = this.delaysIn(now - RAMP_LOOK_MS);
    const earlier = this.delaysIn(now - 2 * RAMP_LOOK_MS, now - RAMP_LOOK_MS);
    if (recent.length < 3 || earlier.length < 3) return false;
    return (median(recent) - median(earlier)) * direction > this.o.responseTolMs;
  }

  /** The delays of the samples taken in [from, to), in time order. */
  private delaysIn(from: number, to = Number.POSITIVE_INFINITY): number[] {
    return this.samples.filter((x) => x.at >= from && x.at < to).map((x) => x.delay);
  }

  /** The delay this target should give, per the model, ms. */
  predict(target: number): number {
    const natural = this.natural ?? this.estimate ?? 0;
    return Math.max(natural, target + this.offset);
  }

  /**
   * For a video whose frames split between two steps: move its floor a quarter of a step away from
   * the edge of the step most of them are shown in, when a share of them land in the neighbouring
   * step. A floor sets a render time, and each frame is shown at the step nearest its render time
   * (see DelayController.findStraggler for the sweep that showed it), which varies a few ms from
   * frame to frame; a floor near the edge between two steps splits the frames (seen in bench:sync:
   * 8–40 % of a floored video's frames a frame early or late in 4 of 7 runs, and its pairs' p95 with
   * them). Within a step the shown delay does not change, so the offset takes the nudge back and
   * nothing else moves. At most MAX_NUDGES one way; none back. A video the model has on its natural
   * delay is floored onto its step when its frames split early (below). Returns whether the floor
   * moved.
   */
  centreInStep(now: number): boolean {
    const step = this.sampleIntervalMs;
    if (!this.o.framesAboveFloor || step === null || this.estimate === null || !this.settled(now)) return false;
    const delays = this.delaysIn(this.settleAt);
    if (delays.length < STEP_SPLIT_MIN_SAMPLES) return false;
    const mid = median(delays);
    const dir = splitDirection(delays, mid, step);
    if (dir === null) return false;
    if (dir >= 0) this.lateNudges = 0;
    else if (this.lateNudges >= MAX_NUDGES || this.nudges <= -MAX_NUDGES) {
      // Moving the floor down did not bring the late frames forward: they are the video's own (its
      // render time just below the edge above its step), as for a video on no floor (see refresh()),
      // and the upper step is its natural pace: the pace rises to it and the video is floored there.
      // Nudging on lowered the floor step by step to nothing (seen in bench:sync: a screen floored at
      // 175 ms lowered to 141 while 37 % of its frames stayed at 196 ms for 30 s).
      this.binding = false;
      this.naturalHigh = Math.max(this.naturalHigh ?? mid, mid + step);
      return false;
    }
    if (dir === 0 || dir * this.nudges < 0 || Math.abs(this.nudges) >= MAX_NUDGES) return false;
    let applied: number;
    let offset = this.offset;
    if (!this.binding && dir > 0) {
      // On its natural delay, a video's own render time can sit on the edge too (seen in bench:sync:
      // a screen with no binding floor showed ~20 % of its frames a step early for 30 s). Frames shown
      // early are held back by a floor on the step the others use (the model's floor there, or a
      // quarter step above the one that did not reach it).
      applied = Math.max(this.applied + Math.round(step / 4), Math.round(mid - this.offset));
    } else {
      // Otherwise the floor moves a quarter step and the offset takes it back. Frames split late are
      // moved down so whether or not the model has the floor binding: a floor shows the nearest step,
      // up to half a step below it, so a video shown below its floor (read as not binding) can still
      // have that floor on the edge above (seen in bench:sync: camera floored at 177 ms, shown at 166
      // with 23 % of its frames at 199). Without a floor (0), late frames cannot be brought forward.
      const by = Math.round((dir * step) / 4);
      if (this.applied + by < 0 || this.applied === 0) return false;
      applied = this.applied + by;
      offset -= by;
    }
    this.nudges += dir;
    if (dir < 0) this.lateNudges++;
    this.applied = applied;
    this.offset = offset;
    this.moved = true;
    this.steered = true;
    this.before = null;
    this.settleAt = now;
    return true;
  }

  /**
   * Raise a target whose last raise is still on its way to a higher one, without judging the ramp in
   * progress: the judgement, when the ramp has settled, is of the whole move from where it started
   * (its estimate and target), so nothing is learnt from a delay caught mid-ramp. The wait for the
   * ramp grows by the extra distance. Not during a lowering, nor with no change waiting to be
   * judged. Returns whether the target changed.
   */
  raiseFurther(target: number, now: number): boolean {
    const b = this.before;
    if (!b || this.applied <= b.applied || target <= this.applied) return false;
    const extra = this.predict(target) - this.predict(this.applied);
    this.before = { ...b, expected: b.expected + extra };
    this.applied = target;
    this.moved = true;
    this.steered = true;
    this.settleAt = Math.max(this.settleAt, now + (extra * 1000) / this.o.slewMsPerS);
    return true;
  }

  /**
   * The clock every delay is measured on stepped by `deltaMs` (see DelayController.shiftClock):
   * what is held in measured terms moves with it. An offset still at its prior is an assumption
   * about the plant, not a reading, and stays.
   */
  shiftDelays(deltaMs: number): void {
    for (const x of this.samples) x.delay += deltaMs;
    if (this.estimate !== null) this.estimate += deltaMs;
    if (this.natural !== null) this.natural += deltaMs;
    if (this.naturalHigh !== null) this.naturalHigh += deltaMs;
    if (this.floorShownAt !== null) this.floorShownAt += deltaMs;
    if (this.before) this.before = { ...this.before, estimate: this.before.estimate + deltaMs };
    if (this.offsetLearnt || this.offset !== this.offsetPrior) this.offset += deltaMs;
  }

  /** How far the floor holds the stream's jitter buffer above what its network needs, ms, as the
   *  receiver's stats last said (null: not known; see setFloorHold). */
  floorHoldMs: number | null = null;

  /** Whether the stats say the floor holds the buffer up by more than its float could account for. */
  private heldByFloor(): boolean {
    return this.floorHoldMs !== null && this.applied > 0 && this.floorHoldMs > FLOOR_HOLD_MIN_MS;
  }

  /** The median of the delays measured since `from`, ms (null without samples). */
  medianSince(from: number): number | null {
    const d = this.delaysIn(from);
    return d.length ? median(d) : null;
  }

  /** Request a new target at `now`; measurements are ignored until the plant can have got there.
   *  Returns whether the target changed. */
  apply(target: number, now: number): boolean {
    if (target === this.applied) return false;
    this.nudges = 0;
    this.floorShownAt = null;
    const from = this.estimate ?? this.predict(this.applied);
    const to = this.predict(target);
    this.before = this.estimate === null ? null : { estimate: this.estimate, applied: this.applied, expected: to - from, waits: 0 };
    this.applied = target;
    this.moved = true;
    this.steered = true;
    this.settleAt = now + (Math.abs(to - from) * 1000) / this.o.slewMsPerS;
    return true;
  }
}
