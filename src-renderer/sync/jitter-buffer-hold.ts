/**
 * How far our jitterBufferTarget holds a receiver's jitter buffer above what the network needs,
 * from its inbound-rtp stats: jitterBufferTargetDelay is the buffer's target as set (our floor
 * included), jitterBufferMinimumDelay the target it would have from jitter and loss alone (W3C
 * webrtc-stats; both summed over emitted samples). The difference over an interval, per emitted
 * sample, is how much of the buffer's level is our floor's doing: while it is well above zero the
 * floor binds, whatever the delay does within the buffer's float around its target.
 */

/** The cumulative jitter-buffer totals of a receiver's inbound-rtp stats, if the browser reports them. */
export interface JitterBufferTotals {
  targetS: number;
  minimumS: number;
  emitted: number;
}

export function jitterBufferTotals(report: RTCStatsReport): JitterBufferTotals | null {
  let out: JitterBufferTotals | null = null;
  report.forEach((r: { type?: string; jitterBufferTargetDelay?: unknown; jitterBufferMinimumDelay?: unknown; jitterBufferEmittedCount?: unknown }) => {
    if (r.type === 'inbound-rtp' && typeof r.jitterBufferTargetDelay === 'number' && typeof r.jitterBufferMinimumDelay === 'number' && typeof r.jitterBufferEmittedCount === 'number') {
      out = { targetS: r.jitterBufferTargetDelay, minimumS: r.jitterBufferMinimumDelay, emitted: r.jitterBufferEmittedCount };
    }
  });
  return out;
}

/** The mean of (target − minimum) over the samples emitted between two readings, ms; null when
 *  none were emitted or the totals went backwards (a new stream under the same receiver). */
export function floorHoldMs(prev: JitterBufferTotals, cur: JitterBufferTotals): number | null {
  const emitted = cur.emitted - prev.emitted;
  if (!(emitted > 0)) return null;
  const ms = ((cur.targetS - prev.targetS - (cur.minimumS - prev.minimumS)) / emitted) * 1000;
  return Number.isFinite(ms) ? ms : null;
}
