/**
 * What the DelayController can be tuned with, and the defaults (why each default is what it is is
 * said where it acts, in delay-controller.ts and stream-delay-model.ts). Pure.
 */

/** Chromium clamps jitterBufferTarget to [0, 4000] ms. */
export const JITTER_BUFFER_TARGET_MAX_MS = 4_000;

export interface DelayControllerOptions {
  /** Most delay we add to any stream, ms: a receiver must not drift into lag. */
  maxAddedMs?: number;
  /** The lowest common presentation delay, ms (0: none). Every stream is floored there from its first
   *  frame (initialTarget), and the pace never falls below it (see DelayController.initialTarget). */
  playoutFloorMs?: number;
  /** Measurements older than this do not count, ms. */
  windowMs?: number;
  /** The same for a video's measurements, ms. Longer than audio's: a video's shown delay flips a
   *  refresh or a frame up or down for a moment by the renderer's doing, under an unchanged floor and
   *  jitter buffer (bench:sync, 18 runs: a level held for 0.5 s at the median, 3 s at the 90th
   *  percentile). An estimate over 3 s followed such flips: the audio was moved after the video, by a
   *  time-stretch, and was out of step when the video flipped back. Over 8 s a flip of up to 3 s moves
   *  nothing (the simulator); a shift that lasts is followed in about 5 s instead of 2.5. The window
   *  restarts at every change of the target (samples before it settled do not count), so a move is
   *  judged as fast as before. */
  videoWindowMs?: number;
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
  /** Smallest deadband for video, ms. A video frame can only be shown at a display refresh, so its
   *  delay moves in steps of a refresh (16.7 ms at 60 Hz); a correction smaller than about half a
   *  step either does nothing or flips the stream a whole step, and chasing that hunts. Default 17
   *  (half a 30 Hz refresh), or VIDEO_DEADBAND_PER_REFRESH × displayRefreshMs when that is known; the
   *  controller widens it per stream to that fraction of the stream's frame interval when frames come
   *  less often than refreshes (DelayController.videoBand). */
  videoDeadbandMs?: number;
  /** The display's refresh interval, ms, if measured (see setDisplayRefreshMs). */
  displayRefreshMs?: number;
  /** Largest change of one stream's target in one step, ms. */
  maxStepMs?: number;
  /** Streams whose delays differ by at most this are "in sync", ms. */
  syncToleranceMs?: number;
  /** A lower common target must persist this long before it is followed, ms. */
  decreaseHoldMs?: number;
  /** While a stream that appeared less than this ago is still being measured, nothing moves:
   *  acting on the others first would waste a ramp and its reassessment, ms. */
  joinWaitMs?: number;
  /** Which streams are audio (default: ids that are or end in "audio"); see reference(). */
  isAudio?: (stream: string) => boolean;
  /** Audio is left alone while it plays at most this much earlier than where it should, ms … */
  audioEarlyMs?: number;
  /** … or at most this much later, ms: every audio correction costs a time-stretch. */
  audioLateMs?: number;
  /** Audio whose raise is still on its way is raised further at once when its aim rises above
   *  where that raise goes, instead of after the ramp and its reassessment (default true; see
   *  DelayController.raiseWhileRamping). */
  followAimWhileRamping?: boolean;
  /** Until learnt, the assumed delay outside the buffer a target governs, by kind, ms (delay =
   *  max(natural, target + offset): see stream-delay-model.ts). The aligner passes the audio sink
   *  latency for audio. */
  offsetPriorMs?: { audio: number; video: number };
  /** How much capture-to-arrival delay offsetPriorMs includes, by kind, ms: what the priors were
   *  measured with on loopback (bench:sync: audio 21 ms, its 20 ms packets included; camera 10,
   *  screen 15–21), with a few ms to spare. A stream whose frames are measured to take longer to
   *  arrive (setArrivalDelay) has its prior raised by the difference. */
  assumedArrivalMs?: { audio: number; video: number };
}

/**
 * The video deadband as a fraction of the display refresh. A video's delay can only take values a
 * whole refresh apart; a correction that crosses to the neighbouring value leaves an error of
 * (refresh − the error it corrected), so with a band of at least half a refresh no correction can
 * be followed by one back (no hunting); 0.6 leaves a margin for measurement noise.
 */
export const VIDEO_DEADBAND_PER_REFRESH = 0.6;
export const videoDeadbandFor = (refreshMs: number) => VIDEO_DEADBAND_PER_REFRESH * refreshMs;

/** The options with every default filled in. */
export function resolveOptions(opts: DelayControllerOptions): Required<DelayControllerOptions> {
  return {
    maxAddedMs: Math.min(JITTER_BUFFER_TARGET_MAX_MS, opts.maxAddedMs ?? 400),
    playoutFloorMs: Math.max(0, opts.playoutFloorMs ?? 0),
    windowMs: opts.windowMs ?? 3_000,
    videoWindowMs: opts.videoWindowMs ?? 8_000,
    minSamples: opts.minSamples ?? 8,
    staleAfterMs: opts.staleAfterMs ?? 1_500,
    assumedSlewMsPerS: opts.assumedSlewMsPerS ?? 100,
    reassessMs: opts.reassessMs ?? 500,
    deadbandMs: opts.deadbandMs ?? 5,
    videoDeadbandMs: opts.videoDeadbandMs ?? (opts.displayRefreshMs ? videoDeadbandFor(opts.displayRefreshMs) : 17),
    displayRefreshMs: opts.displayRefreshMs ?? 0,
    maxStepMs: opts.maxStepMs ?? 250,
    syncToleranceMs: opts.syncToleranceMs ?? 20,
    decreaseHoldMs: opts.decreaseHoldMs ?? 1_000,
    joinWaitMs: opts.joinWaitMs ?? 600,
    isAudio: opts.isAudio ?? ((id) => id === 'audio' || id.endsWith(':audio')),
    audioEarlyMs: opts.audioEarlyMs ?? 6,
    audioLateMs: opts.audioLateMs ?? 8,
    followAimWhileRamping: opts.followAimWhileRamping ?? true,
    offsetPriorMs: opts.offsetPriorMs ?? { audio: 0, video: 0 },
    assumedArrivalMs: opts.assumedArrivalMs ?? { audio: 25, video: 20 },
  };
}
