/**
 * Presentation probes (issue 4, item 3): when is which captured moment being presented here?
 *
 * - Video: requestVideoFrameCallback on a video element playing the remote track gives, for each
 *   presented frame, its RTP timestamp and the time it is expected on screen (performance timeline).
 *   By default the probe plays the track in its own tiny element (the same decoded frames reach every
 *   sink of a track, in the same compositor frame); a caller may hand in the element it shows instead.
 * - Audio: RTCRtpReceiver.getSynchronizationSources() reports, for each RTP packet, its timestamp and
 *   when (epoch ms, wall clock) the 10 ms chunk in which the jitter buffer decoded it was delivered
 *   to the track. Polled every `pollMs`. Two things lie between that report and the captured sample
 *   with that RTP timestamp reaching the track; see AUDIO_REPORT_LAG_MS.
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

/**
 * How much later than its synchronization-source report the audio captured at a packet's RTP
 * timestamp reaches the track, ms:
 * - the decoder's algorithmic delay: Opus decodes its input 312 samples (6.5 ms at 48 kHz, libopus
 *   OPUS_GET_LOOKAHEAD for the VoIP/audio applications libwebrtc uses) late, and RTP over WebRTC has
 *   no pre-skip to take it back out (RFC 7587 leaves it to the receiver; NetEq does not);
 * - the packet's position in its chunk: NetEq decodes a packet when the chunk being filled needs more
 *   samples than it holds, so the packet's first sample sits 0–10 ms into the reported chunk,
 *   depending on how much of the previous packet was left (changed by every time stretch). Nothing
 *   reports it; half a chunk is the unbiased guess (±5 ms).
 * Report timestamps are whole milliseconds (truncated), and so are the sender's audio capture times:
 * the two half-milliseconds cancel.
 * Measured against the sync bench's truth (onsets in the delivered samples) in Chromium 156: the
 * reports read 8–17 ms early over eight runs, mean 11.4.
 */
export const AUDIO_REPORT_LAG_MS = 6.5 + 5;

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
    const at = src.timestamp - Date.now() + performance.timeOrigin + performance.now() + AUDIO_REPORT_LAG_MS;
    onSample({ at, rtpTimestamp: src.rtpTimestamp >>> 0 });
  }, pollMs);
  return { dispose: () => clearInterval(timer) };
}

/**
 * The display's refresh interval, ms: the median of 30 requestAnimationFrame intervals, reported
 * once. Video delays move in steps of it (see DelayController.setDisplayRefreshMs). Nothing is
 * reported while the page is hidden (no animation frames).
 */
export function measureDisplayRefresh(onResult: (ms: number) => void, win: Pick<Window, 'requestAnimationFrame' | 'cancelAnimationFrame'> = window): Probe {
  const deltas: number[] = [];
  let last: number | null = null;
  let handle = win.requestAnimationFrame(function tick(t: number) {
    if (last !== null) deltas.push(t - last);
    last = t;
    if (deltas.length < 30) {
      handle = win.requestAnimationFrame(tick);
      return;
    }
    deltas.sort((a, b) => a - b);
    onResult(deltas[deltas.length >> 1]!);
  });
  return { dispose: () => win.cancelAnimationFrame(handle) };
}
