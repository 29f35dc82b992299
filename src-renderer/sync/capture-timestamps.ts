/**
 * Capture timestamps (issue 4, item 2), page side. Attaches the capture-worker transforms to every
 * RTCPeerConnection our simple-peer wrapper creates: senders stamp frames with their session-clock
 * capture time, receivers strip the stamp and report (rtpTimestamp → capture time) here, where the
 * presentation probes look it up for the frame or audio being played.
 *
 * Why an encoded transform and not the abs-capture-time RTP header extension: see docs/SYNC.md
 * (Chromium does not offer that extension for negotiation, and its value would be the sender's
 * NTP clock, not our session clock).
 */
import type { StreamKind } from '../rtc/peer-plan';
import { startCaptureWorker, type CaptureRecord, type CaptureWorkerIn, type FrameHolds } from './capture-worker';
import type { CaptureKind } from './capture-trailer';
import type { SessionClockLike } from './sync-contracts';
import { median } from '../../src-shared/sync/robust-stats';

export interface PeerConnectionInfo {
  initiator: boolean;
  /** The local streams this connection sends, and their kinds by stream id. */
  streams: readonly MediaStream[];
  kinds: Readonly<Record<string, StreamKind>>;
}

export interface ReceiverEntry {
  id: string;
  receiver: RTCRtpReceiver;
  track: MediaStreamTrack;
}

interface CaptureLog {
  kind: CaptureKind;
  /** rtp → capture session time, insertion ordered, bounded. */
  byRtp: Map<number, number>;
  last: { rtp: number; capture: number } | null;
  /** Capture-to-arrival delays of the latest frames, ms, oldest first, bounded. */
  arrivals: number[];
}

const LOG_SIZE = 600;
/** How many of a receiver's latest frames its capture-to-arrival delay is the median of, and how
 *  many it needs first: a stream's first frames come late (bench:sync, loopback: a camera's first
 *  frame 92 ms after capture against 10–16 after that, a screen's first 30–32 against 12–18), and a
 *  median of those few raised the offset priors just when they are used. */
const ARRIVAL_FRAMES = 61;
const ARRIVAL_MIN_FRAMES = 15;

type ScriptTransformCtor = new (worker: Worker, options?: unknown) => unknown;

export function captureTransformsSupported(): boolean {
  return typeof (globalThis as { RTCRtpScriptTransform?: unknown }).RTCRtpScriptTransform === 'function';
}

export interface CaptureTimestampsOptions {
  sessionClock: SessionClockLike;
  /** Tests/benchmark only: hold received frames of a kind after their stamp was read. */
  holds?: FrameHolds;
  /** How often the page tells the worker the session clock's offset, ms. */
  offsetIntervalMs?: number;
  /** Every stamped frame a receiver's transform passes on (before the jitter buffer): its entry id. */
  onArrival?: (entryId: string) => void;
}

export class CaptureTimestamps {
  private readonly worker: Worker | null;
  private readonly receivers = new Map<string, ReceiverEntry>(); // by track id
  private readonly logs = new Map<string, CaptureLog>(); // by receiver entry id
  private readonly timer: ReturnType<typeof setInterval> | null = null;
  // Weak: a closed connection must not be kept alive by having been attached once.
  private readonly pcs = new WeakSet<RTCPeerConnection>();
  private seq = 0;
  private disposed = false;

  constructor(private readonly o: CaptureTimestampsOptions) {
    this.worker = captureTransformsSupported() ? startCaptureWorker() : null;
    if (!this.worker) return;
    this.worker.onmessage = (e: MessageEvent<CaptureRecord>) => this.onRecord(e.data);
    if (o.holds) this.post({ type: 'holds', holds: o.holds });
    this.sendOffset();
    this.timer = setInterval(() => this.sendOffset(), o.offsetIntervalMs ?? 200);
  }

  get supported(): boolean {
    return this.worker !== null;
  }

  setHolds(holds: FrameHolds): void {
    this.post({ type: 'holds', holds });
  }

  /** Ask the sender behind a receiver for a key frame (a PLI from its transformer). */
  requestKeyFrame(entryId: string): void {
    this.post({ type: 'keyframe', id: entryId });
  }

  /** Tests only: receivers lose the next delta frame of this kind after reading its stamp. */
  dropNextFrame(kind: 'camera' | 'screen'): void {
    this.post({ type: 'drop', kind });
  }

  /**
   * Give every new RTCPeerConnection here (simple-peer-link calls it right after creating one), and
   * again after a renegotiation added senders: only senders without a transform get one.
   */
  attach(pc: RTCPeerConnection, info: PeerConnectionInfo): void {
    if (!this.worker || this.disposed) return;
    for (const sender of pc.getSenders()) this.attachSender(sender, info);
    if (this.pcs.has(pc)) return;
    this.pcs.add(pc);
    for (const transceiver of pc.getTransceivers()) if (transceiver.receiver.track) this.attachReceiver(transceiver.receiver);
    pc.addEventListener('track', (e) => this.attachReceiver(e.receiver));
  }

  /** The receiver (and its log id) that delivers a remote track, when known. */
  receiverOf(track: MediaStreamTrack): ReceiverEntry | null {
    return this.receivers.get(track.id) ?? null;
  }

  /**
   * Session-clock capture time of the frame with this RTP timestamp on that receiver; for audio,
   * RTP time between stamped frames is extrapolated at 48 kHz from the nearest stamp.
   */
  captureTime(entryId: string, rtpTimestamp: number): number | null {
    const log = this.logs.get(entryId);
    if (!log) return null;
    const rtp = rtpTimestamp >>> 0;
    const exact = log.byRtp.get(rtp);
    if (exact !== undefined) return exact;
    if (log.kind !== 'audio' || !log.last) return null;
    let best: { rtp: number; capture: number } | null = null;
    let bestGap = Number.POSITIVE_INFINITY;
    for (const [r, c] of log.byRtp) {
      const gap = Math.abs((rtp - r) | 0);
      if (gap < bestGap) {
        bestGap = gap;
        best = { rtp: r, capture: c };
      }
    }
    if (!best || bestGap > 48 * 500) return null;
    return best.capture + ((rtp - best.rtp) | 0) / 48;
  }

  /** How long a receiver's media takes from capture to reaching its transform, before its jitter
   *  buffer (the median over its latest frames), ms; null until enough frames have arrived. */
  arrivalDelay(entryId: string): number | null {
    const a = this.logs.get(entryId)?.arrivals;
    return a && a.length >= ARRIVAL_MIN_FRAMES ? median(a) : null;
  }

  /** Kind carried by the stamps seen on a receiver (null before the first stamped frame). */
  kindOf(entryId: string): CaptureKind | null {
    return this.logs.get(entryId)?.kind ?? null;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearInterval(this.timer);
    this.worker?.terminate();
    this.receivers.clear();
    this.logs.clear();
  }

  // ---- internals ---------------------------------------------------------------------------------

  private post(m: CaptureWorkerIn): void {
    this.worker?.postMessage(m);
  }

  private sendOffset(): void {
    const c = this.o.sessionClock;
    const epoch = performance.timeOrigin + performance.now();
    this.post({ type: 'offset', sessionMinusEpochMs: c.synced ? c.now() - epoch : Number.NaN });
  }

  private attachSender(sender: RTCRtpSender, info: PeerConnectionInfo): void {
    const track = sender.track;
    if (!track || (sender as { transform?: unknown }).transform) return;
    let kind: CaptureKind = 'audio';
    if (track.kind === 'video') {
      const stream = info.streams.find((s) => s.getTracks().includes(track));
      kind = (stream && info.kinds[stream.id]) || 'camera';
    }
    (sender as { transform?: unknown }).transform = this.transform({ side: 'send', kind });
  }

  private attachReceiver(receiver: RTCRtpReceiver): void {
    const track = receiver.track;
    if (this.receivers.has(track.id) || (receiver as { transform?: unknown }).transform) return;
    const id = `r${++this.seq}`;
    (receiver as { transform?: unknown }).transform = this.transform({ side: 'recv', id });
    this.receivers.set(track.id, { id, receiver, track });
    track.addEventListener('ended', () => {
      this.receivers.delete(track.id);
      this.logs.delete(id);
    });
  }

  private transform(options: unknown): unknown {
    const Ctor = (globalThis as unknown as { RTCRtpScriptTransform: ScriptTransformCtor }).RTCRtpScriptTransform;
    return new Ctor(this.worker!, options);
  }

  private onRecord(r: CaptureRecord): void {
    if (r.type !== 'capture') return;
    this.o.onArrival?.(r.id);
    let log = this.logs.get(r.id);
    if (!log) {
      log = { kind: r.kind, byRtp: new Map(), last: null, arrivals: [] };
      this.logs.set(r.id, log);
    }
    log.kind = r.kind;
    log.byRtp.delete(r.rtp);
    log.byRtp.set(r.rtp, r.capture);
    log.last = { rtp: r.rtp, capture: r.capture };
    if (log.byRtp.size > LOG_SIZE) log.byRtp.delete(log.byRtp.keys().next().value!);
    if (Number.isFinite(r.arrival)) {
      log.arrivals.push(r.arrival - r.capture);
      if (log.arrivals.length > ARRIVAL_FRAMES) log.arrivals.shift();
    }
  }
}
