/**
 * The encoded-transform worker (RTCRtpScriptTransform) that carries capture timestamps.
 *
 * Sender side (options {side:'send', kind}): stamps each encoded frame with its capture time on the
 * session clock and appends the trailer (capture-trailer.ts).
 *   - audio: the frame's metadata.captureTime (Chromium gives it for audio, on this worker's
 *     performance timeline);
 *   - video: Chromium gives no capture time for video frames, but it derives the 90 kHz RTP timestamp
 *     from the capture timestamp, so capture = rtp/90 + c, with c taken from the frames that reached
 *     this transform fastest over the last 2 s (rtp-capture-clock.ts).
 * Receiver side (options {side:'recv', id}): reads and strips the trailer, posts {id, kind, rtp,
 * capture, arrival} to the page, then passes the frame on. For tests and the benchmark only, a
 * receiver can be told to hold frames of a kind (delay ± jitter, order kept): a perturbation
 * applied after the timestamps were attached, as a slow path would. Holds act in every transform of
 * the worker, send side (after the stamp is appended: the receiver's jitter buffer then sees the
 * jitter on the wire, as with a real slow path) and receive side (after the stamp is read).
 *
 * The page can ask a receiver's sender for a key frame ({type:'keyframe', id}: the transformer's
 * sendKeyFrameRequest(), a PLI): see freeze-recovery.ts. For tests only, it can have a receiver lose
 * the next delta frame of a kind ({type:'drop', kind}), as a frame lost after the packet buffer is.
 *
 * The page sends {type:'offset', sessionMinusEpochMs} a few times a second: session time = epoch
 * time (performance.timeOrigin + performance.now(), the same monotonic clock in page and worker)
 * + that offset.
 */
import { appendCaptureTrailer, readCaptureTrailer } from './capture-trailer';
import { rtpCaptureClock } from './rtp-capture-clock';

export interface FrameHold {
  delayMs: number;
  /** Uniform ± jitter around delayMs. */
  jitterMs?: number;
}
export type FrameHolds = Partial<Record<'audio' | 'camera' | 'screen', FrameHold>>;

export type CaptureWorkerIn =
  | { type: 'offset'; sessionMinusEpochMs: number }
  | { type: 'holds'; holds: FrameHolds }
  | { type: 'keyframe'; id: string }
  | { type: 'drop'; kind: 'camera' | 'screen' };
export interface CaptureRecord {
  type: 'capture';
  id: string;
  kind: 'audio' | 'camera' | 'screen';
  rtp: number;
  capture: number;
  /** Session time at which the frame reached the receiver's transform (NaN before the page sent
   *  the session clock's offset). */
  arrival: number;
}

/** Runs inside the worker. Self-contained: it gets the trailer codec and the RTP capture clock as arguments. */
function captureWorkerMain(append: typeof appendCaptureTrailer, read: typeof readCaptureTrailer, captureClock: typeof rtpCaptureClock): void {
  /** How far back the fastest frames are looked for (see rtp-capture-clock.ts), ms. */
  const CAPTURE_CLOCK_WINDOW_MS = 2_000;
  interface EncodedFrame {
    data: ArrayBuffer;
    /** Video frames: 'key' or 'delta'. */
    type?: string;
    getMetadata(): { rtpTimestamp?: number; captureTime?: number };
  }
  interface Transformer {
    readable: ReadableStream<EncodedFrame>;
    writable: WritableStream<EncodedFrame>;
    options: { side: 'send'; kind: 'audio' | 'camera' | 'screen' } | { side: 'recv'; id: string };
    sendKeyFrameRequest?: () => Promise<void>;
  }
  interface Scope {
    onmessage: ((e: { data: CaptureWorkerIn }) => void) | null;
    onrtctransform: ((e: { transformer: Transformer }) => void) | null;
    postMessage(m: CaptureRecord): void;
  }
  const scope = self as unknown as Scope;
  const KINDS = ['audio', 'camera', 'screen'] as const;
  const epoch = () => performance.timeOrigin + performance.now();
  let sessionMinusEpoch = Number.NaN;
  let holds: FrameHolds = {};
  const receivers = new Map<string, Transformer>();
  const drops = new Set<string>();
  scope.onmessage = (e) => {
    const m = e.data;
    if (m.type === 'offset') sessionMinusEpoch = m.sessionMinusEpochMs;
    else if (m.type === 'holds') holds = m.holds;
    else if (m.type === 'drop') drops.add(m.kind);
    // Rejects when the receiver has stopped: nothing to recover then.
    else if (m.type === 'keyframe') receivers.get(m.id)?.sendKeyFrameRequest?.().catch(() => {});
  };

  /** Passes the frame on, after the hold configured for its kind (order kept). */
  const holder = () => {
    let lastRelease = 0;
    // The jitter wanders (a new random goal in ±jitterMs every 500 ms, approached by ≤ 1.5 ms per
    // frame) rather than being drawn per frame: per-frame random holds on a receive-side transform
    // stall Chromium's presentation of the track (requestVideoFrameCallback stops firing).
    let offset = 0;
    let goal = 0;
    let goalAt = 0;
    return (frame: EncodedFrame, kind: 'audio' | 'camera' | 'screen' | null, controller: TransformStreamDefaultController<EncodedFrame>) => {
      const hold = kind ? holds[kind] : undefined;
      const now = performance.now();
      if (!hold && lastRelease <= now) {
        controller.enqueue(frame);
        return;
      }
      if (hold?.jitterMs && now - goalAt >= 500) {
        goal = (2 * Math.random() - 1) * hold.jitterMs;
        goalAt = now;
      }
      offset += Math.max(-1.5, Math.min(1.5, goal - offset));
      const jitter = hold?.jitterMs ? offset : 0;
      const release = Math.max(lastRelease, now + (hold ? hold.delayMs + jitter : 0));
      lastRelease = release;
      setTimeout(() => {
        try {
          controller.enqueue(frame);
        } catch {
          // the stream closed while the frame was held
        }
      }, release - now);
    };
  };

  const sender = (kind: 'audio' | 'camera' | 'screen') => {
    const kindCode = KINDS.indexOf(kind);
    const pass = holder();
    // Only used for frames without a capture time in their metadata (video).
    const captureOf = captureClock(kind === 'audio' ? 48 : 90, CAPTURE_CLOCK_WINDOW_MS);
    return new TransformStream<EncodedFrame, EncodedFrame>({
      transform(frame, controller) {
        const now = epoch();
        const meta = frame.getMetadata();
        let captureEpoch: number | null = null;
        if (typeof meta.captureTime === 'number' && meta.captureTime > 0) {
          captureEpoch = performance.timeOrigin + meta.captureTime;
        } else if (typeof meta.rtpTimestamp === 'number') {
          captureEpoch = captureOf(meta.rtpTimestamp, now);
        }
        if (captureEpoch !== null && Number.isFinite(sessionMinusEpoch)) {
          frame.data = append(frame.data, captureEpoch + sessionMinusEpoch, kindCode);
        }
        pass(frame, kind, controller);
      },
    });
  };

  const receiver = (id: string) => {
    const pass = holder();
    return new TransformStream<EncodedFrame, EncodedFrame>({
      transform(frame, controller) {
        const trailer = read(frame.data);
        let kind: 'audio' | 'camera' | 'screen' | null = null;
        if (trailer) {
          kind = KINDS[trailer.kindCode] ?? null;
          frame.data = frame.data.slice(0, trailer.payloadBytes);
          const rtp = frame.getMetadata().rtpTimestamp;
          if (kind && typeof rtp === 'number') scope.postMessage({ type: 'capture', id, kind, rtp: rtp >>> 0, capture: trailer.captureSessionMs, arrival: epoch() + sessionMinusEpoch });
        }
        if (kind && drops.has(kind) && frame.type === 'delta') {
          drops.delete(kind);
          return;
        }
        pass(frame, kind, controller);
      },
    });
  };

  scope.onrtctransform = (e) => {
    const t = e.transformer;
    const o = t.options;
    if (o.side === 'recv') receivers.set(o.id, t);
    const stream = o.side === 'send' ? sender(o.kind) : receiver(o.id);
    void t.readable
      .pipeThrough(stream)
      .pipeTo(t.writable)
      .catch(() => {})
      .finally(() => {
        if (o.side === 'recv' && receivers.get(o.id) === t) receivers.delete(o.id);
      });
  };
}

/** The worker's source: the codec functions passed in by value, so no bundler renaming matters. */
export function captureWorkerSource(): string {
  return `(${captureWorkerMain.toString()})(${appendCaptureTrailer.toString()}, ${readCaptureTrailer.toString()}, ${rtpCaptureClock.toString()});`;
}

/**
 * Starts the worker from a blob: URL (the app's CSP allows `worker-src 'self' blob:`). One worker
 * serves every transform of the page.
 */
export function startCaptureWorker(): Worker {
  const url = URL.createObjectURL(new Blob([captureWorkerSource()], { type: 'text/javascript' }));
  try {
    return new Worker(url, { name: 'capture-timestamps' });
  } finally {
    // The worker has fetched its script by the time it runs; revoking now is safe in Chromium
    // only after load, so revoke a little later.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
