/**
 * A sent frame's capture time from its RTP timestamp, for frames whose metadata carries none (video in
 * Chromium 156). The RTP timestamp is the capture time on the RTP clock plus a constant, so
 * capture = rtp/rate + c, and c is bounded by the frames that reached the send transform fastest:
 * c ≈ a low order statistic of (arrival at the transform − rtp/rate).
 *
 * Over a sliding window, not over all time: the relation between a sender's RTP timestamps and the
 * real capture can move. In bench:sync a new sender's first frames carried RTP timestamps 6–106 ms
 * late against their pixels, settling over about 5 s (most likely the timestamp aligner of its
 * connection's track adapter converging, webrtc's rtc::TimestampAligner). The all-time minimum that
 * stood here before, aged at 500 ppm, cannot follow such a move: one receiver read its camera's
 * delay 26 ms too high for 14 s, then recovered at 0.5 ms/s over 54 s (camera–audio |p95| 32 ms in
 * that run). The third smallest value is taken, not the smallest, so that a frame or two off by
 * themselves move nothing.
 *
 * Self-contained (no imports, no closure over module scope): the capture worker is built from its
 * source text (capture-worker.ts).
 */
export function rtpCaptureClock(rateKhz: number, windowMs: number): (rtpTimestamp: number, arrivalMs: number) => number {
  let lastRtp: number | null = null;
  let rtpMs = 0;
  const recent: { at: number; offset: number }[] = [];
  return (rtpTimestamp, arrivalMs) => {
    const rtp = rtpTimestamp >>> 0;
    // Unwrapped: a 32-bit difference is signed, so wraparound and reordering both come out right.
    rtpMs = lastRtp === null ? rtp / rateKhz : rtpMs + ((rtp - lastRtp) | 0) / rateKhz;
    lastRtp = rtp;
    const offset = arrivalMs - rtpMs;
    recent.push({ at: arrivalMs, offset });
    while (recent.length > 1 && recent[0]!.at < arrivalMs - windowMs) recent.shift();
    const lowest = recent.map((x) => x.offset).sort((a, b) => a - b);
    const c = lowest[Math.min(2, lowest.length - 1)]!;
    // Never later than the frame's own arrival.
    return c >= offset ? arrivalMs : rtpMs + c;
  };
}
