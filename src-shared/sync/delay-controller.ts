/**
 * Delay controller: at one receiver, bring every stream (audio, camera, screen, …) to a common
 * presentation delay by raising the early ones with RTCRtpReceiver.jitterBufferTarget.
 *
 * Why we need it: libwebrtc lip-syncs only one audio/video pair per MediaStream (a screen share in
 * its own stream is never synced) and its RtpStreamsSynchronizer corrects at most 80 ms per second;
 * chat is not synced at all. So the renderer measures, per stream, the presentation delay
 * (session now − capture time of what it presents) and feeds it here.
 *
 * The plant (measured in Chromium 156, see stream-delay-model.ts): a target is a floor, not an
 * addition: delay_s = max(natural_s, target_s + offset_s). Each stream's model learns natural and
 * offset from how its delay answers a change; until then the offset is a prior per kind (raised by
 * how much longer than on loopback the stream's media is measured to take to arrive: see
 * setArrivalDelay), or the offset learnt for the same stream id before it went away (a publisher
 * rebuilding its connection).
 *
 * Control law (at each update):
 *   T        = max_s high_s                    the slowest stream sets the pace: high_s is the upper
 *              capped at min_s natural_s + maxAdded   end of its natural delay's own wander (90th
 *                                              percentile), so that, floored there, it holds still
 *                                              too; never more than the cap added to anyone (the
 *                                              cap binds at once, a lower pace only after a hold),
 *              and never below the playout floor, where every stream is floored from its first
 *              frame (initialTarget)
 *   video v  : target_v = T − offset_v, moved only when |T − delay_v| exceeds about half a step
 *              (videoBand()): a frame is shown whole, at a refresh and with a steady cadence, so a
 *              video's delay moves in steps of a refresh or of a frame interval, whichever is
 *              longer, and a finer correction would hunt between two of them; except that a
 *              video still on its natural delay is floored whenever it is early (it then holds
 *              still instead of wandering with its jitter, and lands at or above T); a video
 *              whose frames split between two steps is nudged into one (centreInStep())
 *   audio a  : target_a = R − offset_a, where R = the mean delay of the videos once they are placed
 *              (T before that); audio is the actuator that can sit anywhere, so it goes where the
 *              videos actually play (see reference()); audio on its natural delay gets a floor
 *              just under R anyway, so that it cannot sink away on its own (see steer())
 * Computing T from natural delays, not measured ones, is what prevents runaway: a stream we raised
 * does not feed its own target back into T. When the floor binds, target += (aim − measured) is an
 * integrator, so a wrong offset prior costs one more step, not a wrong answer.
 *
 * The target does not take effect at once: libwebrtc's VCMTiming moves the video playout delay at
 * most 100 ms/s toward its target (kDelayMaxChangeMsPerS in modules/video_coding/timing/timing.cc),
 * NetEq reaches an audio target by time-stretching. After each change we wait until the modelled
 * ramp should be done plus reassessMs before judging the stream again (and longer if it is seen
 * still on its way), so a ramp in progress is not mistaken for a stream that is still early (the
 * classic cause of overshoot and oscillation with a lagging plant). Waiting is not judging, though:
 * audio whose aim rises above where its ramp is going has its target raised at once, and the ramp is
 * judged as one move when it has settled (raiseWhileRamping()).
 *
 * Against noise and oscillation: interquartile means over a window of settled samples (3 s; 8 s for
 * a video, whose shown delay flips a step for a moment on its own: see videoWindowMs); a
 * deadband of 3 standard errors (from 500 ms block means: delays are correlated over seconds),
 * never below deadbandMs (videoDeadbandMs for video); a rate limit per step; T rises at once but
 * falls only after the fall has persisted (hysteresis), so a slow stream's momentary dip does not
 * pump every other stream.
 *
 * Pure: time is always an argument (ms, any monotonic local clock).
 */
import { clamp, median, medianStandardError } from './robust-stats';
import { JITTER_BUFFER_TARGET_MAX_MS, resolveOptions, VIDEO_DEADBAND_PER_REFRESH, videoDeadbandFor, type DelayControllerOptions } from './delay-controller-options';
import { StreamDelayModel } from './stream-delay-model';
import { Pace } from './pace';
import { SyncStateJudge, type MeasuredDelay, type SyncState } from './sync-state';
import { pairSkews, type PairSkew } from './media-timeline';
import { deadband, videoBand } from './delay-bands';

/** The span of an audio's latest samples that tells where it plays while a raise is on its way, ms. */
const RAISE_LOOK_MS = 200;

export type { SyncState };
export type StreamPhase = 'measuring' | 'settling' | 'steady' | 'late';
export { JITTER_BUFFER_TARGET_MAX_MS, VIDEO_DEADBAND_PER_REFRESH, type DelayControllerOptions };

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
  /** Largest delay alignment adds to a stream here (its floored delay − its natural delay), ms. */
  addedDelayMs: number;
}

export class DelayController {
  private readonly o: Required<DelayControllerOptions>;
  private readonly streams = new Map<string, StreamDelayModel>();
  /** Offsets learnt for streams that went away: a stream that comes back under the same id (the
   *  publisher rebuilt its connection, e.g. after an ICE failure) starts from what was learnt about
   *  its receiver's plant (audio sink, jitter-buffer band) instead of the prior. */
  private readonly learntOffsets = new Map<string, number>();
  /** Each stream's measured capture-to-arrival delay, ms (see setArrivalDelay). */
  private readonly arrivalDelays = new Map<string, number>();
  private readonly pace = new Pace();
  private readonly stateJudge = new SyncStateJudge();

  constructor(opts: DelayControllerOptions = {}) {
    this.o = resolveOptions(opts);
  }

  /**
   * One measurement: at local time `at`, stream `stream` presents media captured `delayMs` ago
   * (session now − capture time). Any id works; a new id is a new stream (assumed at target 0).
   */
  addSample(stream: string, at: number, delayMs: number): void {
    if (!Number.isFinite(at) || !Number.isFinite(delayMs)) return;
    let s = this.streams.get(stream);
    if (!s) {
      const o = this.o;
      const prior = this.learntOffsets.get(stream) ?? this.kindPrior(stream);
      const audio = o.isAudio(stream);
      const options = { windowMs: audio ? o.windowMs : o.videoWindowMs, minSamples: o.minSamples, slewMsPerS: o.assumedSlewMsPerS, reassessMs: o.reassessMs, responseTolMs: o.deadbandMs, framesAboveFloor: !audio };
      s = new StreamDelayModel(options, at, prior, { target: this.initialTarget(stream), firstDelay: delayMs });
      this.streams.set(stream, s);
    }
    s.add(at, delayMs);
  }

  /**
   * The target a stream's receiver gets before its first frame: its floor at the playout floor
   * (playoutFloorMs), by the offset learnt for it or its prior; 0 without one. The aligner sets it
   * as soon as the receiver is known, and the stream's model starts from it. Why a floor from the
   * first frame: see PLAYOUT_FLOOR_MS in src-renderer/sync/aligner.ts.
   */
  initialTarget(stream: string): number {
    const floor = this.o.playoutFloorMs;
    if (floor <= 0) return 0;
    const offset = this.learntOffsets.get(stream) ?? this.kindPrior(stream);
    return Math.max(0, Math.min(JITTER_BUFFER_TARGET_MAX_MS, Math.round(floor - offset)));
  }

  /**
   * How long a stream's media takes from capture to its arrival at this receiver (the median over
   * its recent frames), ms. The offset priors assume loopback's (assumedArrivalMs); on a slower path
   * a floor sets the delay that much later than they predict. Left at the prior, a floor placed
   * where a stream already plays lands that much above it, which the model cannot tell from the
   * stream's own rise beyond OFFSET_EXCESS_MAX_MS: with 80 ms of path delay in bench:sync, a camera
   * floored at the pace was shown 85 ms above it, read as its own delay, and the pace was raised to
   * it, twice (the camera 99 → 199 → 299 ms, the audio raised after it).
   */
  setArrivalDelay(stream: string, ms: number): void {
    if (!Number.isFinite(ms)) return;
    this.arrivalDelays.set(stream, ms);
    // A stream that started from an offset learnt before it went away keeps that one (entries are
    // only added when a stream is forgotten, so a live stream's entry is the one it started from).
    if (!this.learntOffsets.has(stream)) this.streams.get(stream)?.setOffsetPrior(this.kindPrior(stream));
  }

  /**
   * The session clock's estimate stepped by `deltaMs` (a resync found a tighter anchor; at a join in
   * bench:sync the first estimates were up to 23 ms off, set right 0.2–10 s later): every delay
   * measured from now on reads that much different though no stream's delay changed. Left as it
   * was, the history disagreed with the new samples stream by stream: in the simulator every one of
   * 16 settled runs moved a target after a step of 11 or 20 ms, and the streams' spread rose from 13
   * to up to 29 ms. Everything held in measured terms moves with the clock instead, so nothing
   * looks as if it moved.
   */
  shiftClock(deltaMs: number): void {
    if (!Number.isFinite(deltaMs) || deltaMs === 0) return;
    for (const s of this.streams.values()) s.shiftDelays(deltaMs);
    for (const [id, offset] of this.learntOffsets) this.learntOffsets.set(id, offset + deltaMs);
    this.pace.shift(deltaMs);
  }

  /**
   * How far this stream's floor holds its jitter buffer above the target the buffer would have on
   * its own, ms (the receiver's stats: jitterBufferTargetDelay − jitterBufferMinimumDelay per
   * emitted sample, see src-renderer/sync/jitter-buffer-hold.ts). While it is well above zero, a
   * delay above the model's floor is not taken for the stream's natural delay rising.
   */
  setFloorHold(stream: string, ms: number | null): void {
    const s = this.streams.get(stream);
    if (s) s.floorHoldMs = ms !== null && Number.isFinite(ms) ? ms : null;
  }

  /** The display's refresh interval as measured by the renderer, ms: sizes the video deadband. */
  setDisplayRefreshMs(ms: number): void {
    if (!Number.isFinite(ms) || ms <= 0) return;
    this.o.displayRefreshMs = ms;
    this.o.videoDeadbandMs = videoDeadbandFor(ms);
  }

  /** Forget a stream now (e.g. its track ended). Its receiver is gone or should be reset. */
  remove(stream: string): void {
    this.forget(stream);
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
        this.forget(id);
        removed.push(id);
        continue;
      }
      s.refresh(now);
    }

    const measured = [...this.streams.values()].filter((s) => s.natural !== null);
    const T = this.pace.update(measured, now, (s) => deadband(this.o, s), o.maxAddedMs, o.decreaseHoldMs, o.playoutFloorMs);
    const straggler = T === null ? null : this.findStraggler(T, now);
    const R = this.reference(T, now);
    const waitingForJoin = [...this.streams.values()].some((s) => s.natural === null && now - s.firstSampleAt < o.joinWaitMs);
    const decisions: StreamDecision[] = [];
    const measuredDelays: MeasuredDelay[] = [];
    let late = false;
    for (const [id, s] of this.streams) {
      const recent = s.recentDelays(now);
      const delay = s.natural === null || recent.length === 0 ? null : median(recent);
      measuredDelays.push({ stream: id, delayMs: delay, se: delay === null ? 0 : medianStandardError(recent) });
      let phase: StreamPhase;
      if (s.natural === null || s.estimate === null || T === null || R === null) {
        phase = 'measuring';
      } else {
        const audio = o.isAudio(id);
        const aim = audio ? R : T;
        // A video its steering leaves where it is may still have its frames split on the edge of the
        // step it is shown at (one below its floor reads as early at every update).
        if (waitingForJoin) {
          // nothing moves while a new stream is still being measured
        } else if (s.settled(now)) {
          if (!this.steer(s, aim, audio, s === straggler, now) && !audio) s.centreInStep(now);
        } else if (audio && o.followAimWhileRamping) this.raiseWhileRamping(s, aim, now);
        if (s.natural > T + o.syncToleranceMs) {
          phase = 'late';
          late = true;
        } else if (!s.settled(now)) {
          phase = 'settling';
        } else {
          phase = 'steady';
        }
      }
      decisions.push({ stream: id, targetMs: s.applied, baseMs: s.natural, delayMs: delay, phase });
    }

    const skews = pairSkews(new Map(measuredDelays.map((d) => [d.stream, d.delayMs])));
    const state = this.stateJudge.judge(measuredDelays, late, o.syncToleranceMs);
    return {
      state,
      targetDelayMs: T,
      streams: decisions,
      skews,
      removed,
      // A stream floored from its first frame (the playout floor) was never seen on its natural delay,
      // so its model's "natural" is its floored delay; where the receiver's stats say how far the
      // floor holds its jitter buffer up (audio), that is the delay added.
      addedDelayMs: Math.round([...this.streams.values()].reduce((m, s) => Math.max(m, s.natural === null ? 0 : s.predict(s.applied) - s.natural, s.floorHoldMs ?? 0), 0)),
    };
  }

  // ---- internals ----------------------------------------------------------------------------------

  private forget(stream: string): void {
    const s = this.streams.get(stream);
    if (s?.offsetLearnt) this.learntOffsets.set(stream, s.offset);
    this.streams.delete(stream);
    this.arrivalDelays.delete(stream);
  }

  /** A stream's offset prior from its kind, raised by how much longer than assumed its media takes
   *  to arrive. */
  private kindPrior(stream: string): number {
    const o = this.o;
    const kind = o.isAudio(stream) ? 'audio' : 'video';
    const arrival = this.arrivalDelays.get(stream) ?? o.assumedArrivalMs[kind];
    return o.offsetPriorMs[kind] + Math.max(0, arrival - o.assumedArrivalMs[kind]);
  }

  /**
   * Where audio should play: at the videos. Both actuators are coarse, in different ways. A video
   * frame can only be shown at a display refresh, so a video's delay moves in whole steps (33 ms
   * measured in headless Chromium, 16.7 ms on a 60 Hz display) and sits still between them (±0.4 ms
   * over 10 s in bench:sync). NetEq reaches an audio target by time-stretching and then lets its
   * buffer float in a band, but it can sit anywhere. So the videos are placed first, on the common
   * target, with a deadband of about half a step so that they never hunt between steps; then audio
   * is placed where the videos actually play (their mean, once they have settled).
   */
  private reference(T: number | null, now: number): number | null {
    if (T === null) return null;
    const video = this.measuredVideos();
    // Until every video has been placed (settled, within its deadband of T), audio aims at T itself,
    // so that both move at once after a join instead of audio waiting for the videos.
    const placed = video.every((s) => s.settled(now) && Math.abs(s.estimate! - T) <= videoBand(this.o, s));
    if (video.length === 0 || !placed) return T;
    return video.reduce((sum, s) => sum + s.estimate!, 0) / video.length;
  }

  /**
   * A floor gives a video one of its steps (refreshes or frames) near it: the nearest, so up to
   * about half a step below it (bench:sync, a camera floor swept 150 → 216 ms in 8 ms steps showed
   * 166 ms up to a floor of 175 and 200 ms from 183 to 208). Videos floored at T land anywhere
   * within about half a step of T, so two can end up most of a frame apart with each
   * within its band of T (seen in bench:sync: camera 182 and screen 214 ms for 12 s, audio between
   * them, the state 'aligning' throughout). When the settled videos are further apart than a band,
   * the one furthest from T is moved toward it anyway: it lands on its other side, nearer than
   * before (a step minus what it was off), so the spread shrinks and nothing hunts.
   */
  private findStraggler(T: number, now: number): StreamDelayModel | null {
    const videos = this.measuredVideos().filter((s) => s.settled(now));
    if (videos.length < 2) return null;
    const ests = videos.map((s) => s.estimate!);
    if (Math.max(...ests) - Math.min(...ests) <= Math.max(...videos.map((s) => videoBand(this.o, s)))) return null;
    return videos.reduce((far, s) => (Math.abs(T - s.estimate!) > Math.abs(T - far.estimate!) ? s : far));
  }

  /** The video streams that have an estimate. */
  private measuredVideos(): StreamDelayModel[] {
    return [...this.streams].filter(([id, s]) => !this.o.isAudio(id) && s.estimate !== null).map(([, s]) => s);
  }

  /** Move one settled stream's target toward `aim` (a presentation delay) when the error is real; a
   *  straggler (see findStraggler()) is moved even within its band. Returns whether the target changed. */
  private steer(s: StreamDelayModel, aim: number, audio: boolean, straggler: boolean, now: number): boolean {
    const o = this.o;
    const error = aim - s.estimate!; // > 0: the stream plays early
    const band = audio ? deadband(this.o, s) : videoBand(this.o, s);
    // A video still on its natural delay is raised onto the floor even when it is early by less than
    // the step-sized band or its own noise: there it wanders with its jitter, on the floor it holds
    // still. The raise lands at or above the aim, so it cannot start a hunt.
    const unboundEarlyVideo = !audio && !s.binding && error > o.deadbandMs;
    const straggling = straggler && Math.abs(error) > o.deadbandMs;
    const worth = audio ? error > Math.max(o.audioEarlyMs, band) || -error > Math.max(o.audioLateMs, band) : unboundEarlyVideo || straggling || Math.abs(error) > band;
    // Audio on its natural delay that need not be raised still gets a floor a little below its aim
    // (while there is a video to keep in step with): NetEq's buffer sinks on its own (its start-up
    // level decayed 20–35 ms within about a second of the join for 8 of 92 receivers in session 6's
    // bench:sync dumps), and a floor already in place catches that at once, where the estimate notices
    // it a second or more later. The floor follows a rising aim. It sits both tolerances below the aim
    // because the offset is still a prior here (the offsets learnt in bench:sync were 3–27 ms above
    // it), so audio that lands on it stays within about ±14 ms of the aim. The model credits such a
    // floor with a rise of the delay only within what an offset can exceed its prior by (see
    // StreamDelayModel.learn()): NetEq's start-up rise right after it was set is the audio's own.
    if (audio && !s.binding && (!worth || error < 0) && this.measuredVideos().length > 0) {
      const net = Math.round(aim - s.offset - o.audioEarlyMs - o.audioLateMs);
      if (net > s.applied + o.deadbandMs) return s.apply(net, now);
    }
    if (!worth) return false;
    // A stream playing at its natural delay cannot come down: only drop a target that now sits
    // above the aim (so it does not bind later), never raise one toward an aim below natural.
    if (error < 0 && !s.binding) {
      if (!(s.applied > 0 && aim - s.offset < s.applied)) return false;
      return s.apply(Math.max(0, Math.round(aim - s.offset)), now);
    }
    const desired = this.floorFor(s, aim);
    // An early stream's target is never lowered: that cannot make it later. For one on its natural
    // delay the model's offset may put its floor above the aim while it plays early; lowering the
    // floor there undid the step-centring's raise of a video split early, which raised it again
    // (bench:sync: a screen's target 182 ↔ 190 every 2.5 s for 25 s, 6–21 % of its frames early).
    if (error > 0 && desired < s.applied) return false;
    const step = clamp(desired - s.applied, -o.maxStepMs, o.maxStepMs);
    return s.apply(Math.round(s.applied + step), now);
  }

  /** The target that floors a stream at `aim`, within the cap. The cap is on the delay we add (a
   *  receiver must not drift into lag), so on the floor it is natural + cap − offset, within what
   *  Chromium accepts. */
  private floorFor(s: StreamDelayModel, aim: number): number {
    const limit = Math.min(JITTER_BUFFER_TARGET_MAX_MS, Math.max(0, (s.natural ?? 0) - s.offset) + this.o.maxAddedMs);
    return clamp(aim - s.offset, 0, limit);
  }

  /**
   * Audio whose raise is still on its way, while the aim rises above where that raise goes (a new
   * video's delay climbing over its first second: a screen share's first frames shown at 166–183 ms,
   * then 197–200, in bench:sync): the target follows the aim at once instead of after the ramp and
   * its reassessment (0.5–1 s later in bench:sync), since NetEq is still stretching toward the old
   * target and simply carries on to the new one. Only up, only while the audio still plays early (so
   * a floor set under an audio that is within its tolerances is not pulled up), and never past the
   * cap.
   */
  private raiseWhileRamping(s: StreamDelayModel, aim: number, now: number): void {
    const o = this.o;
    const playing = s.medianSince(now - RAISE_LOOK_MS);
    if (playing === null || aim - playing <= o.audioEarlyMs) return;
    const desired = Math.round(this.floorFor(s, aim));
    if (desired - s.applied > Math.max(o.audioEarlyMs, deadband(this.o, s))) s.raiseFurther(desired, now);
  }
}
