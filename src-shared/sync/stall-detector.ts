/**
 * When to ask a stalled video's sender for a key frame. Pure; time is an argument.
 *
 * A video whose frames keep arriving but are no longer shown has lost a frame its successors need
 * after the packet buffer, where neither NACK nor loss detection sees it: libwebrtc then waits 3 s
 * for a decodable frame before it asks for a key frame itself. bench:sync showed exactly that: the
 * camera of one receiver frozen for 3133–3150 ms (3 of 4 runs at one point), inbound framesReceived
 * flat while the publisher kept sending and no packet was lost, until the receiver's PLI after 3 s.
 * Asking sooner cuts the freeze to about the stall threshold plus a round trip.
 *
 * "Arriving" is judged where frames pass the receiver's encoded transform, before the jitter buffer;
 * "shown" where the probe sees frames presented. Frames held by a jitter-buffer target are shown
 * late, not never, so the threshold is above any target we set (the controller adds at most 400 ms)
 * plus a steady stream of arrivals, and a video whose sender sends nothing (a still screen) is left
 * alone.
 */

/** No frame shown for this long while frames kept arriving is a stall, ms. */
export const STALL_MS = 800;
/** Frames that must have arrived within the stall window for it to count (about 10 fps). */
export const STALL_MIN_ARRIVALS = 8;
/** At most one key-frame request per stream this often, ms (a key frame costs the sender bits). */
export const KEY_FRAME_REQUEST_EVERY_MS = 2_000;

export interface StallState {
  /** Arrival times of recent frames (oldest first), ms; only the stall window's are kept. */
  arrivals: number[];
  /** When a frame was last shown, or the stream started being watched, ms. */
  lastShownAt: number;
  lastRequestAt: number | null;
}

export function newStallState(now: number): StallState {
  return { arrivals: [], lastShownAt: now, lastRequestAt: null };
}

/** Drops arrivals older than the stall window. */
function forgetOld(s: StallState, now: number): void {
  while (s.arrivals.length > 0 && s.arrivals[0]! < now - STALL_MS) s.arrivals.shift();
}

export function noteArrival(s: StallState, now: number): void {
  s.arrivals.push(now);
  forgetOld(s, now);
}

export function noteShown(s: StallState, now: number): void {
  s.lastShownAt = now;
}

/** Whether to ask for a key frame now; if so, records the request. */
export function shouldRequestKeyFrame(s: StallState, now: number): boolean {
  forgetOld(s, now);
  if (now - s.lastShownAt < STALL_MS) return false;
  if (s.arrivals.length < STALL_MIN_ARRIVALS) return false;
  if (s.lastRequestAt !== null && now - s.lastRequestAt < KEY_FRAME_REQUEST_EVERY_MS) return false;
  s.lastRequestAt = now;
  return true;
}
