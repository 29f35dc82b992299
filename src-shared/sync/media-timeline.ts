/**
 * Vocabulary shared by the sync modules: session time vs local time, presentation delay, media time,
 * skew. Pure helpers so the renderer, the benchmark and the tests all compute these the same way.
 *
 * - local time: this machine's clock (ms).
 * - session time: the server's clock, as estimated by ClockEstimator (ms). Capture timestamps and
 *   event media times are in session time, so they compare across machines.
 * - presentation delay of a stream: session time now − session capture time of what it presents now.
 * - presented media time: the session time of the media this receiver presents now
 *   = session now − presentation delay (after alignment: − the common target delay).
 * - skew(a, b) = delay(a) − delay(b): positive when a shows older media than b (a lags b).
 */

/** What the sync modules need from a clock estimate (ClockEstimator implements it). */
export interface SessionClock {
  serverNow(localNow: number): number;
  toLocal(serverTime: number): number;
}

export const toSessionTime = (clock: SessionClock, localTime: number): number => clock.serverNow(localTime);
export const toLocalTime = (clock: SessionClock, sessionTime: number): number => clock.toLocal(sessionTime);

/** Presentation delay of a frame/sample presented at session time `sessionNow`, ms. */
export function presentationDelay(sessionNow: number, captureSessionTime: number): number {
  return sessionNow - captureSessionTime;
}

/** Session time of the media a receiver presents now, given its (common) presentation delay. */
export function presentedMediaTime(sessionNow: number, presentationDelayMs: number): number {
  return sessionNow - presentationDelayMs;
}

/**
 * The media time to stamp on an event (chat, Q&A answer, host action) sent now: a publisher sees its
 * own media live; a viewer sees media `presentationDelayMs` old (null/undefined: not yet measured,
 * treat as live so the event is never held for a guess).
 */
export function eventMediaTime(sessionNow: number, presentationDelayMs: number | null | undefined): number {
  return presentationDelayMs == null ? sessionNow : sessionNow - Math.max(0, presentationDelayMs);
}

/** skew(a, b) = delay(a) − delay(b), ms. Positive: a lags b. */
export function skewMs(delayA: number, delayB: number): number {
  return delayA - delayB;
}

/**
 * The same skew from what two streams present at one instant: the one showing older capture time
 * lags. skewFromPresented(captureA, captureB) = captureB − captureA = delay(a) − delay(b).
 */
export function skewFromPresented(captureSessionTimeA: number, captureSessionTimeB: number): number {
  return captureSessionTimeB - captureSessionTimeA;
}

export interface PairSkew {
  /** `${a}-${b}`, e.g. 'camera-audio' (ASCII, so it works as a JSON key). */
  pair: string;
  a: string;
  b: string;
  /** delay(a) − delay(b), ms. */
  skewMs: number;
}

/** Canonical order so pairs read as in the issue: camera–audio, screen–audio, screen–camera. */
const ORDER = ['screen', 'camera', 'audio'];
const rank = (id: string) => {
  const i = ORDER.indexOf(id);
  return i < 0 ? -1 : i; // unknown ids first, then screen, camera, audio
};

/** Every pair's skew from per-stream delays (streams with a null delay are skipped). */
export function pairSkews(delays: ReadonlyMap<string, number | null>): PairSkew[] {
  const ids = [...delays.keys()]
    .filter((id) => delays.get(id) != null)
    .sort((x, y) => rank(x) - rank(y) || (x < y ? -1 : x > y ? 1 : 0));
  const out: PairSkew[] = [];
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const a = ids[i]!;
      const b = ids[j]!;
      out.push({ pair: `${a}-${b}`, a, b, skewMs: skewMs(delays.get(a)!, delays.get(b)!) });
    }
  }
  return out;
}
