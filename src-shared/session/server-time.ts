/**
 * Estimating the server's clock from our own.
 *
 * Every server response carries `x-server-time` (server epoch ms). The server read its clock at some
 * instant between our send and our receive, so the best single guess is the midpoint, and the error
 * is at most half the round trip. We keep the sample with the smallest round trip (the tightest
 * bound), but replace it when it is old, or when a new sample is inconsistent with it beyond both
 * samples' error bounds: that means one of the clocks jumped (user changed the time, NTP step,
 * suspend) and the old sample is no longer true.
 *
 * Pure: all times are passed in; no I/O.
 */

export interface ServerTimeSample {
  /** Local epoch ms just before the request was sent. */
  sentAtLocal: number;
  /** Local epoch ms when the response headers arrived. */
  receivedAtLocal: number;
  /** The server's epoch ms from the response header. */
  serverTime: number;
}

export interface OffsetEstimate {
  /** serverTime - localTime, ms. */
  offsetMs: number;
  /** Round trip of the sample it came from; the estimate is good to +/- rttMs / 2. */
  rttMs: number;
  /** Local time the sample was taken. */
  takenAtLocal: number;
}

/** The offset implied by one request/response pair. */
export function offsetFromSample(s: ServerTimeSample): OffsetEstimate {
  const rttMs = Math.max(0, s.receivedAtLocal - s.sentAtLocal);
  const midpoint = s.sentAtLocal + rttMs / 2;
  return { offsetMs: s.serverTime - midpoint, rttMs, takenAtLocal: s.receivedAtLocal };
}

/** Parses the header value; null when absent or not a plausible epoch ms. */
export function parseServerTimeHeader(value: string | null | undefined): number | null {
  if (value == null) return null;
  const trimmed = value.trim();
  if (!/^\d{1,16}$/.test(trimmed)) return null;
  const n = Number(trimmed);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

export interface ServerClockOptions {
  /** A sample older than this is replaced by any new one, ms. Clocks drift; old tight samples lie. */
  maxSampleAgeMs?: number;
  /** Extra disagreement tolerated before declaring a clock jump, ms. */
  jumpToleranceMs?: number;
}

export class ServerClockEstimator {
  private best: OffsetEstimate | null = null;
  private readonly maxAge: number;
  private readonly tolerance: number;

  constructor(opts: ServerClockOptions = {}) {
    this.maxAge = opts.maxSampleAgeMs ?? 10 * 60_000;
    this.tolerance = opts.jumpToleranceMs ?? 1_000;
  }

  /** Feed one response's timing. Returns the estimate now in use. */
  observe(sample: ServerTimeSample): OffsetEstimate {
    const next = offsetFromSample(sample);
    const cur = this.best;
    if (!cur) {
      this.best = next;
      return next;
    }
    const age = next.takenAtLocal - cur.takenAtLocal;
    const disagreement = Math.abs(next.offsetMs - cur.offsetMs);
    const jumped = disagreement > (cur.rttMs + next.rttMs) / 2 + this.tolerance;
    // age < 0: the local clock went backwards since the stored sample; it cannot be trusted.
    if (jumped || age < 0 || age > this.maxAge || next.rttMs <= cur.rttMs) this.best = next;
    return this.best ?? next;
  }

  /** True once at least one sample has been seen. */
  get known(): boolean {
    return this.best !== null;
  }

  /** serverTime - localTime, ms; 0 until a sample arrives (assume the local clock is right). */
  get offsetMs(): number {
    return this.best?.offsetMs ?? 0;
  }

  toServer(localMs: number): number {
    return localMs + this.offsetMs;
  }

  toLocal(serverMs: number): number {
    return serverMs - this.offsetMs;
  }

  reset(): void {
    this.best = null;
  }
}
