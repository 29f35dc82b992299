/**
 * Alignment (issue 4, item 3) and the factory the room uses: `createMediaSync(deps)`.
 *
 * For each remote stream (publisher × audio/camera/screen) the probes give (presentation time,
 * RTP timestamp); the capture timestamps give the session-clock capture time of that RTP timestamp;
 * so the presentation delay = session time at presentation − capture time. Every sample goes to the
 * pure DelayController (src-shared/sync/delay-controller.ts); every `updateMs` its decisions are
 * applied as RTCRtpReceiver.jitterBufferTarget (early streams raised to the slowest one, capped),
 * stale streams are reset to the browser default.
 *
 * Off (setEnabled(false)): everything is still measured (stats, benchmark), no target is set and
 * any we set is cleared; the presented media clock then follows the slowest stream.
 *
 * On or off, a video whose frames keep arriving but are not shown gets a key frame asked for
 * (freeze-recovery.ts).
 */
import { DelayController, type DelayControllerOptions, type DelayControllerOutput } from '../../src-shared/sync/delay-controller';
import { pairSkews } from '../../src-shared/sync/media-timeline';
import { ClockSteps } from '../../src-shared/sync/clock-steps';
import type { RemoteMedia } from '../rtc/peer-manager';
import { CaptureTimestamps, type PeerConnectionInfo } from './capture-timestamps';
import type { FrameHolds } from './capture-worker';
import { FreezeRecovery } from './freeze-recovery';
import { floorHoldMs, jitterBufferTotals, type JitterBufferTotals } from './jitter-buffer-hold';
import { AUDIO_REPORT_LAG_MS, measureDisplayRefresh, probeAudio, probeVideo, type PresentedSample, type Probe } from './media-probes';
import type { PresentedMediaClock, SessionClockLike, SyncStats } from './sync-contracts';

export interface MediaSyncDeps {
  sessionClock: SessionClockLike;
  /** Start with alignment on (default true). */
  enabled?: boolean;
  controller?: DelayControllerOptions;
  /** Re-evaluation period, ms (default 50). */
  updateMs?: number;
  /** Tests/benchmark only: perturbations applied to received frames after their stamp is read. */
  holds?: FrameHolds;
  document?: Document;
  /**
   * Audio is measured where the receiver delivers it to the track (getSynchronizationSources); it
   * reaches the listener after the audio sink's buffering, which is added to every audio delay. That
   * latency is measured per receiver from getStats()'s 'media-playout' report (the mean playout
   * delay of the samples played since the previous poll: ΔtotalPlayoutDelay / ΔtotalSamplesCount),
   * since it depends on the output device (a few ms on a wired sink, 100+ ms on Bluetooth). This
   * value, ms, is used until a measurement exists or when the browser reports none. Default
   * AUDIO_SINK_LATENCY_MS.
   */
  audioSinkLatencyMs?: number;
  /** How often the audio sink latency is re-measured, ms (default 1000). */
  sinkPollMs?: number;
  /** Monotonic local clock for the controller, ms (default performance.now). */
  now?: () => number;
}

/** Fallback audio sink latency, ms: what Chromium 156 reports for its default (and fake) output
 *  device ('media-playout' totalPlayoutDelay / totalSamplesCount = 30 ms). */
export const AUDIO_SINK_LATENCY_MS = 30;

/**
 * The lowest common presentation delay, ms: every stream's receiver is floored there before its first
 * frame (DelayController.initialTarget), and the pace never goes below it. What moved a stream after
 * a join was mostly its own jitter buffer, which no later correction undoes within the second a join
 * may take: NetEq starts at 80 ms, sinks toward 20 and rises again by itself in 20 ms steps. In 24
 * bench:sync runs of session 19 (48 receivers), its own target went to 100–140 ms 1.5 s or more after
 * the join in 12, the audio rose with it, and none of those 12 joins settled within 2 s. Here the
 * audio's floor is about 108 ms of jitter-buffer target (this less the audio offset prior), above
 * NetEq's own in 41 of those 48 receivers (100 ms or less; 120 in 6, 140 in 1). A video's floor holds
 * from its first frame (VCMTiming starts at its target), so the camera starts where the audio goes.
 * The cost is latency, which a webinar can spend, and here it cost none: the audio delay alignment
 * added at a receiver of bench:sync (on − off, by the bench's truth) had a median of 54 ms over 24
 * receivers, against 72 for the code before the floor (which raised the audio after the join).
 */
export const PLAYOUT_FLOOR_MS = 170;

/** Capture-to-arrival plus render on a fast network, ms: the floor offset assumed before one is learnt. */
const OFFSET_PRIOR_MS = 5;

/** An audio packet's capture-to-arrival on a fast network, ms: a 20 ms Opus frame is sent once it is
 *  whole (measured 21 ms on loopback, the controller's assumedArrivalMs.audio being 25). The prior had
 *  OFFSET_PRIOR_MS here, and the offsets learnt in bench:sync were 3–27 ms above it (session 19's
 *  dumps: delay − target in the on window 54–84 ms against a prior of 46.5); a playout floor set on
 *  that prior put the audio 15–20 ms above the camera from the join. */
const AUDIO_ARRIVAL_PRIOR_MS = 20;

export type MediaKind = 'audio' | 'camera' | 'screen';

/** One delay sample as the aligner saw it (for diagnostics and the benchmark). */
export interface DelaySample {
  key: string;
  kind: MediaKind;
  /** Epoch ms (performance.timeOrigin-based) of the presentation. */
  at: number;
  delayMs: number;
  captureSessionMs: number;
}

export interface MediaSync {
  clock: PresentedMediaClock;
  stats(): SyncStats;
  dispose(): void;
  /** Hand to createSimplePeerFactory({ onPeerConnection }) so every connection gets the transforms. */
  onPeerConnection(pc: RTCPeerConnection, info: PeerConnectionInfo): void;
  /** Feed PeerManager's onRemoteMedia (empty media: the publisher is gone). */
  setRemoteMedia(publisherId: string, media: RemoteMedia<MediaStream>): void;
  /**
   * The element a remote video track is shown in (null: no longer shown there). Its presented frames
   * are what is measured, rather than those of a hidden element of the probe's own: each element
   * picks the refresh for each frame itself, and two showing one track differ (bench:sync, 12 runs
   * while the probe had its own element: ≥ 5 % of a video's frames a step off the others in 11 of 48
   * streams as the bench's element showed them, in 1 of 48 as the probe's element did).
   */
  presentOn(track: MediaStreamTrack, element: HTMLVideoElement | null): void;
  setEnabled(on: boolean): void;
  readonly enabled: boolean;
  /** False when this browser has no RTCRtpScriptTransform: nothing can be measured or aligned. */
  readonly supported: boolean;
  /** Latest controller output (null before the first update). */
  lastOutput(): DelayControllerOutput | null;
  /** Subscribe to every delay sample. Returns unsubscribe. */
  onSample(listener: (s: DelaySample) => void): () => void;
  /** Tests/benchmark: change the receive-side holds. */
  setHolds(holds: FrameHolds): void;
  /** Tests only: receivers lose the next delta frame of this kind after the packet buffer. */
  dropNextFrame(kind: 'camera' | 'screen'): void;
  /** Key frames asked for by freeze recovery so far. */
  keyFrameRequests(): number;
}

interface Tracked {
  key: string;
  kind: MediaKind;
  track: MediaStreamTrack;
  receiver: RTCRtpReceiver | null;
  /** Its receiver's capture-log id (see CaptureTimestamps.receiverOf), once known. */
  entryId: string | null;
  probe: Probe | null;
  appliedTarget: number | null;
  /** Audio: measured sink latency, ms (null until measured), and the last playout totals. */
  sinkMs: number | null;
  playout: { delayS: number; samples: number } | null;
  /** Audio: the last jitter-buffer totals (see jitter-buffer-hold.ts). */
  jitterBuffer: JitterBufferTotals | null;
}

/** The 'media-playout' totals of a receiver's stats, if the browser reports them. */
export function playoutTotals(report: RTCStatsReport): { delayS: number; samples: number } | null {
  let out: { delayS: number; samples: number } | null = null;
  report.forEach((r: { type?: string; totalPlayoutDelay?: unknown; totalSamplesCount?: unknown }) => {
    if (r.type === 'media-playout' && typeof r.totalPlayoutDelay === 'number' && typeof r.totalSamplesCount === 'number') {
      out = { delayS: r.totalPlayoutDelay, samples: r.totalSamplesCount };
    }
  });
  return out;
}

export function createMediaSync(deps: MediaSyncDeps): MediaSync {
  const now = deps.now ?? (() => performance.now());
  const clock = deps.sessionClock;
  const doc = deps.document ?? (typeof document === 'undefined' ? undefined : document);
  const recovery = new FreezeRecovery({
    requestKeyFrame: (id) => capture.requestKeyFrame(id),
    now,
    visible: () => doc?.visibilityState !== 'hidden',
  });
  const capture = new CaptureTimestamps({ sessionClock: clock, holds: deps.holds, onArrival: (id) => recovery.arrived(id) });
  let enabled = deps.enabled ?? true;
  const sinkLatency = deps.audioSinkLatencyMs ?? AUDIO_SINK_LATENCY_MS;
  // Until a stream's floor has been seen to bind, its offset (delay − target) is assumed: a few ms of
  // capture-to-arrival and render for video; for audio its capture-to-arrival, the sink, and what
  // lies between the jitter buffer's report and the track (stream-delay-model.ts, media-probes.ts).
  const controllerOptions = { playoutFloorMs: PLAYOUT_FLOOR_MS, offsetPriorMs: { audio: sinkLatency + AUDIO_ARRIVAL_PRIOR_MS + AUDIO_REPORT_LAG_MS, video: OFFSET_PRIOR_MS }, ...deps.controller };
  let controller = new DelayController(controllerOptions);
  // Video delays move in whole display refreshes; the controller sizes its video deadband from it.
  let refreshMs: number | null = null;
  const refreshProbe = typeof requestAnimationFrame === 'function'
    ? measureDisplayRefresh((ms) => {
        refreshMs = ms;
        controller.setDisplayRefreshMs(ms);
      })
    : null;
  let last: DelayControllerOutput | null = null;
  const tracked = new Map<string, Tracked>();
  /** The element each remote video track is shown in, by track id (see presentOn). */
  const shownOn = new Map<string, HTMLVideoElement>();
  const listeners = new Set<(s: DelaySample) => void>();
  let disposed = false;

  // Every delay is measured on the session clock, whose estimate steps when a resync finds a tighter
  // anchor: the controller re-expresses what it holds (DelayController.shiftClock) before a delay
  // read on the new estimate reaches it. Returns the offset (session − local epoch time), ms.
  const clockSteps = new ClockSteps();
  const followClock = () => {
    const offset = clock.now() - (performance.timeOrigin + performance.now());
    const step = clockSteps.read(offset);
    if (step !== 0) controller.shiftClock(step);
    return offset;
  };

  const onPresented = (t: Tracked, s: PresentedSample) => {
    const id = t.entryId;
    if (!id) return;
    if (t.kind !== 'audio') recovery.shown(id);
    if (!clock.synced) return;
    const cap = capture.captureTime(id, s.rtpTimestamp);
    if (cap === null) return;
    const delay = s.at + followClock() - cap + (t.kind === 'audio' ? (t.sinkMs ?? sinkLatency) : 0);
    if (!Number.isFinite(delay) || delay < -1_000 || delay > 10_000) return;
    controller.addSample(t.key, now() - (performance.timeOrigin + performance.now() - s.at), delay);
    for (const l of listeners) l({ key: t.key, kind: t.kind, at: s.at, delayMs: delay, captureSessionMs: cap });
  };

  const setTarget = (t: Tracked, target: number | null) => {
    if (!t.receiver || t.appliedTarget === target) return;
    t.appliedTarget = target;
    try {
      (t.receiver as RTCRtpReceiver & { jitterBufferTarget: number | null }).jitterBufferTarget = target;
    } catch {
      // out of range or receiver gone: the controller clamps to [0, 4000], so the latter
    }
  };

  const startProbe = (t: Tracked) => {
    if (t.probe || !capture.supported) return;
    const entry = capture.receiverOf(t.track);
    if (!entry) return;
    t.receiver = entry.receiver;
    t.entryId = entry.id;
    // Floored at the playout floor before its first frame (DelayController.initialTarget); a stream
    // re-probed on another element (presentOn) keeps the target the controller has given it.
    if (enabled && t.appliedTarget === null) setTarget(t, controller.initialTarget(t.key));
    if (t.kind !== 'audio') recovery.watch(entry.id);
    t.probe = t.kind === 'audio' ? probeAudio(entry.receiver, (s) => onPresented(t, s)) : probeVideo(t.track, (s) => onPresented(t, s), { document: deps.document, element: shownOn.get(t.track.id) });
  };

  const drop = (key: string) => {
    const t = tracked.get(key);
    if (!t) return;
    t.probe?.dispose();
    if (t.entryId) recovery.forget(t.entryId);
    setTarget(t, null);
    controller.remove(key);
    tracked.delete(key);
  };

  const update = () => {
    if (disposed) return;
    for (const t of tracked.values()) startProbe(t); // receivers registered after the stream event
    recovery.check();
    for (const t of tracked.values()) {
      const arrival = t.entryId ? capture.arrivalDelay(t.entryId) : null;
      if (arrival !== null) controller.setArrivalDelay(t.key, arrival);
    }
    const out = controller.update(now());
    last = out;
    for (const key of out.removed) {
      const t = tracked.get(key);
      if (t) setTarget(t, null);
    }
    if (!enabled) return;
    for (const d of out.streams) {
      const t = tracked.get(d.stream);
      if (t) setTarget(t, d.targetMs);
    }
  };
  const timer = setInterval(update, deps.updateMs ?? 50);

  const measureSink = (t: Tracked) => {
    const receiver = t.receiver;
    if (!receiver) return;
    receiver.getStats().then(
      (report) => {
        const jb = jitterBufferTotals(report);
        const hold = jb && t.jitterBuffer ? floorHoldMs(t.jitterBuffer, jb) : null;
        t.jitterBuffer = jb;
        controller.setFloorHold(t.key, hold);
        const cur = playoutTotals(report);
        const prev = t.playout;
        t.playout = cur;
        if (!cur || !prev) return;
        const samples = cur.samples - prev.samples;
        const ms = ((cur.delayS - prev.delayS) / samples) * 1000;
        if (samples > 0 && Number.isFinite(ms) && ms >= 0 && ms < 1_000) t.sinkMs = ms;
      },
      () => {},
    );
  };
  const sinkTimer = setInterval(() => {
    if (disposed) return;
    for (const t of tracked.values()) if (t.kind === 'audio') measureSink(t);
  }, deps.sinkPollMs ?? 1_000);

  const ownDelayMs = (): number | null => {
    const delays = (last?.streams ?? []).map((d) => d.delayMs).filter((d): d is number => d !== null);
    return delays.length ? Math.max(...delays) : null;
  };

  const presented: PresentedMediaClock = {
    ownDelayMs,
    presentedMediaTime() {
      const d = ownDelayMs();
      return d === null || !clock.synced ? null : clock.now() - d;
    },
  };

  return {
    clock: presented,
    get enabled() {
      return enabled;
    },
    get supported() {
      return capture.supported;
    },
    onPeerConnection(pc, info) {
      capture.attach(pc, info);
    },
    setRemoteMedia(publisherId, media) {
      const wanted = new Map<string, { kind: MediaKind; track: MediaStreamTrack }>();
      const cam = media.camera;
      if (cam) {
        const a = cam.getAudioTracks()[0];
        const v = cam.getVideoTracks()[0];
        if (a) wanted.set(`${publisherId}:audio`, { kind: 'audio', track: a });
        if (v) wanted.set(`${publisherId}:camera`, { kind: 'camera', track: v });
      }
      const scr = media.screen?.getVideoTracks()[0];
      if (scr) wanted.set(`${publisherId}:screen`, { kind: 'screen', track: scr });
      for (const [key, t] of [...tracked]) {
        if (!key.startsWith(`${publisherId}:`)) continue;
        if (wanted.get(key)?.track !== t.track) drop(key);
      }
      for (const [key, w] of wanted) {
        if (tracked.has(key)) continue;
        const t: Tracked = { key, kind: w.kind, track: w.track, receiver: null, entryId: null, probe: null, appliedTarget: null, sinkMs: null, playout: null, jitterBuffer: null };
        tracked.set(key, t);
        startProbe(t);
      }
    },
    presentOn(track, element) {
      if (element) shownOn.set(track.id, element);
      else shownOn.delete(track.id);
      // Re-probe a stream already measured, now on the element it is seen in (or its own again).
      for (const t of tracked.values()) {
        if (t.track !== track || !t.probe) continue;
        t.probe.dispose();
        t.probe = null;
        startProbe(t);
      }
    },
    setEnabled(on) {
      if (on === enabled) return;
      enabled = on;
      for (const t of tracked.values()) setTarget(t, null);
      // The controller assumes targets start at 0 (the browser default): start it afresh.
      controller = new DelayController(controllerOptions);
      if (refreshMs !== null) controller.setDisplayRefreshMs(refreshMs);
      if (on) for (const t of tracked.values()) setTarget(t, controller.initialTarget(t.key));
      last = null;
    },
    lastOutput: () => last,
    onSample(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setHolds: (holds) => capture.setHolds(holds),
    dropNextFrame: (kind) => capture.dropNextFrame(kind),
    keyFrameRequests: () => recovery.keyFrameRequests,
    stats(): SyncStats {
      const out = last;
      const decisions = new Map((out?.streams ?? []).map((d) => [d.stream, d]));
      const streams = [...tracked.values()].map((t) => ({
        key: t.key,
        kind: t.kind,
        delayMs: decisions.get(t.key)?.delayMs ?? null,
        targetMs: enabled ? (decisions.get(t.key)?.targetMs ?? 0) : 0,
        arrivalMs: t.entryId ? capture.arrivalDelay(t.entryId) : null,
      }));
      // Pair names by kind when one publisher is on stage ("screen-audio"), by key otherwise.
      const byKind = new Set(streams.map((s) => s.kind)).size === streams.length;
      const delays = new Map(streams.map((s) => [byKind ? s.kind : s.key, s.delayMs]));
      return {
        state: !enabled ? 'off' : (out?.state ?? 'aligning'),
        streams,
        skews: pairSkews(delays).map((p) => ({ pair: p.pair, skewMs: p.skewMs })),
        clockErrorBoundMs: clock.errorBoundMs(),
      };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      clearInterval(timer);
      clearInterval(sinkTimer);
      refreshProbe?.dispose();
      for (const key of [...tracked.keys()]) drop(key);
      listeners.clear();
      capture.dispose();
    },
  };
}
