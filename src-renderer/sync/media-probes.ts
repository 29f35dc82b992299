/**
 * Presentation probes (issue 4, item 3): when is which captured moment being presented here?
 *
 * - Video: requestVideoFrameCallback on a video element playing the remote track gives, for each
 *   presented frame, its RTP timestamp and the time it is expected on screen (performance timeline).
 *   By default the probe plays the track in its own tiny element (the same decoded frames reach every
 *   sink of a track, in the same compositor frame); a caller may hand in the element it shows instead.
 * - Audio: RTCRtpReceiver.getSynchronizationSources() reports the RTP timestamp of the audio last
 *   delivered to the track and when (epoch ms, wall clock). Polled every `pollMs`.
 *
 * Both report in epoch milliseconds on this page's monotonic clock (performance.timeOrigin +
 * performance.now()); the aligner converts to session time.
 */

export interface PresentedSample {
  /** When it is (or was) presented: epoch ms, performance.timeOrigin-based. */
  at: number;
  rtpTimestamp: number;
}

export interface Probe {
  dispose(): void;
}

/** The hidden element must stay "visible" to the compositor or Chromium stops presenting frames. */
const PROBE_STYLE = 'position:fixed;left:0;bottom:0;width:2px;height:2px;opacity:0.01;pointer-events:none;z-index:-1;';

export function probeVideo(track: MediaStreamTrack, onSample: (s: PresentedSample) => void, opts: { element?: HTMLVideoElement; document?: Document } = {}): Probe {
  const doc = opts.document ?? document;
  const own = !opts.element;
  const video = opts.element ?? doc.createElement('video');
  if (own) {
    video.muted = true;
    video.autoplay = true;
    video.playsInline = true;
    video.setAttribute('style', PROBE_STYLE);
    video.setAttribute('aria-hidden', 'true');
    video.dataset.syncProbe = track.id;
    video.srcObject = new MediaStream([track]);
    doc.body.appendChild(video);
    void video.play().catch(() => {});
  }
  let handle = 0;
  let disposed = false;
  const onFrame = (_now: number, meta: VideoFrameCallbackMetadata) => {
    if (disposed) return;
    const rtp = (meta as VideoFrameCallbackMetadata & { rtpTimestamp?: number }).rtpTimestamp;
    if (typeof rtp === 'number') onSample({ at: performance.timeOrigin + meta.expectedDisplayTime, rtpTimestamp: rtp >>> 0 });
    handle = video.requestVideoFrameCallback(onFrame);
  };
  handle = video.requestVideoFrameCallback(onFrame);
  return {
    dispose() {
      disposed = true;
      video.cancelVideoFrameCallback(handle);
      if (own) {
        video.srcObject = null;
        video.remove();
      }
    },
  };
}

export function probeAudio(receiver: RTCRtpReceiver, onSample: (s: PresentedSample) => void, pollMs = 20): Probe {
  let lastRtp = -1;
  let lastTs = -1;
  const timer = setInterval(() => {
    const src = receiver.getSynchronizationSources()[0] as (RTCRtpSynchronizationSource & { rtpTimestamp?: number }) | undefined;
    if (!src || typeof src.rtpTimestamp !== 'number') return;
    if (src.rtpTimestamp === lastRtp && src.timestamp === lastTs) return;
    lastRtp = src.rtpTimestamp;
    lastTs = src.timestamp;
    // src.timestamp is wall-clock epoch ms; bring it onto the monotonic epoch timeline.
    const at = src.timestamp - Date.now() + performance.timeOrigin + performance.now();
    onSample({ at, rtpTimestamp: src.rtpTimestamp >>> 0 });
  }, pollMs);
  return { dispose: () => clearInterval(timer) };
}
