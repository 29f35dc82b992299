/**
 * Session clock: this client's estimate of the server's clock, from ping/pong samples.
 *
 * SUGGESTED protocol messages (for src-shared/signaling-protocol.ts; the lead adds them):
 *
 *   // client → server: the client's local time when it sent the ping
 *   z.object({ type: z.literal('clock.ping'), id: z.number().int().nonnegative(), t0: z.number() }).strict()
 *   // server → client: echoes id and t0, adds the server's clock read as late as possible before send
 *   z.object({ type: z.literal('clock.pong'), id: z.number().int().nonnegative(), t0: z.number(),
 *              serverTime: z.number() }).strict()
 *
 * The server should answer pings at once (no queueing behind other work): any delay it adds is
 * asymmetric and only widens the round trip, which the min-RTT filter then discards.
 *
 * The math (Cristian 1989, "Probabilistic clock synchronization"; NTP, RFC 5905 §8 and §10):
 *   one sample: t0 (local, sent), ts (server), t1 (local, received)
 *     offset θ = ts − (t0 + t1) / 2,  round trip δ = t1 − t0
 *   The server read its clock somewhere between t0 and t1, so the true offset at the midpoint is in
 *   [θ − δ/2, θ + δ/2] whatever the asymmetry of the path: the error is (d_up − d_down)/2 ≤ δ/2.
 *   Hence keep the sample with the smallest δ: its interval is the tightest (NTP's clock filter,
 *   RFC 5905 §10, picks the minimum-delay sample for the same reason).
 *
 * Around that:
 * - Samples come in bursts (see resync-schedule.ts); the minimum-δ sample of each burst is an anchor.
 * - Drift (frequency error, ±200 ppm for a cheap crystal) is tracked by weighted least squares of
 *   anchor offsets over local time (as NTP's clock discipline and Chrony's regression do), so an
 *   anchor can be projected forward: offset(t) = θ_a + drift · (t − t_a).
 * - The error bound ages: rtt_a/2 + u · |t − t_a|, u being how wrong the drift may be (NTP grows
 *   dispersion at PHI = 15 ppm the same way). At each instant we use the anchor with the smallest
 *   aged bound; right after a burst that is minRtt/2.
 * - A local clock jump (user sets the time, NTP steps it, suspend/resume) makes new samples disagree
 *   with every interval we hold; two consecutive such samples that agree with each other → reset.
 *   A receive time going backwards is a jump too. Feed a monotonic local clock when there is one
 *   (performance.timeOrigin + performance.now()) and these never trigger.
 *
 * Pure: all times are arguments, in milliseconds.
 */
import { weightedLineFit } from './robust-stats';

export interface ClockSample {
  /** Local time when the ping was sent. */
  t0: number;
  /** Server time read when answering. */
  serverTime: number;
  /** Local time when the pong arrived. */
  t1: number;
}

export interface ClockEstimatorOptions {
  /** Samples received further apart than this belong to different bursts, ms. */
  burstGapMs?: number;
  /** A sample with a longer round trip tells us nothing useful (and may straddle a clock jump), ms. */
  maxRttMs?: number;
  /** Anchors kept for the drift regression. */
  maxAnchors?: number;
  /** Anchors older than this are dropped: drift itself wanders with temperature, ms. */
  maxAnchorAgeMs?: number;
  /** Drift assumed possible before it is measured, and the clamp on the measured value, ppm. */
  maxDriftPpm?: number;
  /** Residual frequency wander always allowed for (NTP's PHI), ppm. */
  driftFloorPpm?: number;
  /** Anchors must span at least this long before drift is estimated, ms. */
  minDriftSpanMs?: number;
  /** Disagreement beyond both error bounds that counts as a clock jump, ms. */
  jumpToleranceMs?: number;
}

export type SampleVerdict = 'accepted' | 'rejected' | 'suspect' | 'reset';

export interface ClockEstimate {
  /** serverTime − localTime at the given local time, ms (0 when not synced). */
  offsetMs: number;
  /** d(offset)/d(local time), ppm: a local clock running 200 ppm fast gives −200. */
  driftPpm: number;
  /** |true offset − offsetMs| ≤ errorBoundMs (Infinity when not synced). */
  errorBoundMs: number;
  /** Smallest round trip among the anchors held, ms (Infinity when none). */
  minRttMs: number;
  synced: boolean;
}

interface Point {
  /** Local midpoint (t0 + t1) / 2. */
  mid: number;
  offset: number;
  rtt: number;
}

interface Burst {
  best: Point;
  lastT1: number;
}

const PPM = 1e-6;

export class ClockEstimator {
  private readonly o: Required<ClockEstimatorOptions>;
  private bursts: Burst[] = [];
  private lastT1 = Number.NEGATIVE_INFINITY;
  private suspect: Point | null = null;
  private drift = 0; // ms per ms
  private driftUncertainty: number; // ms per ms
  private resets = 0;

  constructor(opts: ClockEstimatorOptions = {}) {
    this.o = {
      burstGapMs: opts.burstGapMs ?? 1_000,
      maxRttMs: opts.maxRttMs ?? 2_000,
      maxAnchors: opts.maxAnchors ?? 12,
      maxAnchorAgeMs: opts.maxAnchorAgeMs ?? 180_000,
      maxDriftPpm: opts.maxDriftPpm ?? 250,
      driftFloorPpm: opts.driftFloorPpm ?? 15,
      minDriftSpanMs: opts.minDriftSpanMs ?? 5_000,
      jumpToleranceMs: opts.jumpToleranceMs ?? 20,
    };
    this.driftUncertainty = this.o.maxDriftPpm * PPM;
  }

  /** Feed one ping/pong. Returns what was done with it. */
  addSample(s: ClockSample): SampleVerdict {
    const rtt = s.t1 - s.t0;
    if (!Number.isFinite(rtt) || !Number.isFinite(s.serverTime)) return 'rejected';
    // Receive times go backwards only if the local clock stepped back: nothing we hold is valid.
    const p: Point = { mid: (s.t0 + s.t1) / 2, offset: s.serverTime - (s.t0 + s.t1) / 2, rtt };
    if (s.t1 < this.lastT1 || rtt < 0) {
      this.reset();
      this.lastT1 = s.t1;
      if (rtt >= 0 && rtt <= this.o.maxRttMs) this.insert(p, s.t1);
      return 'reset';
    }
    this.lastT1 = s.t1;
    if (rtt > this.o.maxRttMs) return 'rejected';

    if (this.bursts.length > 0 && !this.consistentWithModel(p)) {
      // One disagreeing sample may be a glitch; two that agree with each other but not with us are a
      // jump (of our clock or the server's): start over from them.
      const prev = this.suspect;
      if (prev && consistent(prev, p, this.o.jumpToleranceMs + this.o.maxDriftPpm * PPM * Math.abs(p.mid - prev.mid))) {
        this.reset();
        this.lastT1 = s.t1;
        this.insert(prev, prev.mid + prev.rtt / 2);
        this.insert(p, s.t1);
        return 'reset';
      }
      this.suspect = p;
      return 'suspect';
    }
    this.suspect = null;
    this.insert(p, s.t1);
    return 'accepted';
  }

  /** True once at least one sample has been accepted since the last reset. */
  get synced(): boolean {
    return this.bursts.length > 0;
  }

  /** How many times a clock jump forced a reset (for diagnostics). */
  get resetCount(): number {
    return this.resets;
  }

  get driftPpm(): number {
    return this.drift / PPM;
  }

  /** Smallest round trip among anchors held, ms; Infinity when none. */
  get minRttMs(): number {
    let m = Number.POSITIVE_INFINITY;
    for (const b of this.bursts) m = Math.min(m, b.best.rtt);
    return m;
  }

  /** The bound right after a burst: the tightest anchor's rtt/2 (Infinity when none). */
  get freshBoundMs(): number {
    return this.minRttMs / 2;
  }

  /** serverTime − localTime at local time `localNow`, ms. */
  offsetAt(localNow: number): number {
    const a = this.bestAnchor(localNow);
    return a ? a.offset + this.drift * (localNow - a.mid) : 0;
  }

  /** Guaranteed |error| of offsetAt(localNow) if the drift bound holds; Infinity when not synced. */
  errorBound(localNow: number): number {
    const a = this.bestAnchor(localNow);
    return a ? this.agedBound(a, localNow) : Number.POSITIVE_INFINITY;
  }

  /** Server (session) time now, given local time now. */
  serverNow(localNow: number): number {
    return localNow + this.offsetAt(localNow);
  }

  /** The local time at which the server clock reads `serverTime`. */
  toLocal(serverTime: number): number {
    // offset changes with local time only through drift (≤ ppm), so two fixed-point steps suffice.
    let local = serverTime - this.offsetAt(serverTime);
    local = serverTime - this.offsetAt(local);
    return serverTime - this.offsetAt(local);
  }

  estimate(localNow: number): ClockEstimate {
    return {
      offsetMs: this.offsetAt(localNow),
      driftPpm: this.driftPpm,
      errorBoundMs: this.errorBound(localNow),
      minRttMs: this.minRttMs,
      synced: this.synced,
    };
  }

  reset(): void {
    if (this.bursts.length > 0) this.resets++;
    this.bursts = [];
    this.suspect = null;
    this.drift = 0;
    this.driftUncertainty = this.o.maxDriftPpm * PPM;
    this.lastT1 = Number.NEGATIVE_INFINITY;
  }

  // ---- internals ----------------------------------------------------------------------------------

  private agedBound(a: Point, t: number): number {
    return a.rtt / 2 + this.driftUncertainty * Math.abs(t - a.mid);
  }

  private bestAnchor(t: number): Point | null {
    let best: Point | null = null;
    let bestBound = Number.POSITIVE_INFINITY;
    for (const b of this.bursts) {
      const bound = this.agedBound(b.best, t);
      if (bound < bestBound) {
        bestBound = bound;
        best = b.best;
      }
    }
    return best;
  }

  /** Does the sample's interval overlap what we believe, allowing the jump tolerance? */
  private consistentWithModel(p: Point): boolean {
    const predicted = this.offsetAt(p.mid);
    const bound = this.errorBound(p.mid);
    return Math.abs(p.offset - predicted) <= bound + p.rtt / 2 + this.o.jumpToleranceMs;
  }

  private insert(p: Point, t1: number): void {
    const last = this.bursts[this.bursts.length - 1];
    if (last && t1 - last.lastT1 <= this.o.burstGapMs) {
      last.lastT1 = t1;
      if (p.rtt < last.best.rtt) last.best = p;
    } else {
      this.bursts.push({ best: p, lastT1: t1 });
    }
    const horizon = t1 - this.o.maxAnchorAgeMs;
    this.bursts = this.bursts.filter((b) => b.lastT1 >= horizon).slice(-this.o.maxAnchors);
    this.fitDrift();
  }

  /**
   * Weighted least squares of anchor offset over local time; weight 1/bound² so a burst that only
   * saw congested round trips counts little. The slope's own uncertainty is a guarantee, not a
   * typical value: each anchor's offset is off by some e_i with |e_i| ≤ h_i = rtt_i/2, and the WLS
   * slope is linear in the offsets, so its error Σ w_i·dx_i·e_i / Σ w_i·dx_i² is at most
   * Σ w_i·|dx_i|·h_i / Σ w_i·dx_i² (dx_i: local time from the weighted mean). An earlier
   * "2·typical half-rtt / span" with a weighted RMS favouring the tight anchor underestimated it
   * (anchors with rtt 0.79 and 0.15 ms gave 22 ppm where 40 ppm was possible), and the error then
   * crept past the claimed bound by a few µs over a resync interval.
   */
  private fitDrift(): void {
    const anchors = this.bursts.map((b) => b.best);
    const first = anchors[0];
    const last = anchors[anchors.length - 1];
    const maxDrift = this.o.maxDriftPpm * PPM;
    if (!first || !last || last.mid - first.mid < this.o.minDriftSpanMs) {
      this.drift = 0;
      this.driftUncertainty = maxDrift;
      return;
    }
    const pts = anchors.map((a) => ({ x: a.mid - first.mid, y: a.offset, w: 1 / (a.rtt / 2 + 0.05) ** 2 }));
    const fit = weightedLineFit(pts);
    if (!fit) return;
    let num = 0;
    let den = 0;
    for (const [i, a] of anchors.entries()) {
      const p = pts[i]!;
      const dx = p.x - fit.xMean;
      num += p.w * Math.abs(dx) * (a.rtt / 2);
      den += p.w * dx * dx;
    }
    const slopeError = num / den;
    this.drift = Math.min(maxDrift, Math.max(-maxDrift, fit.slope));
    this.driftUncertainty = Math.min(maxDrift + Math.abs(this.drift), this.o.driftFloorPpm * PPM + slopeError);
  }
}

function consistent(a: Point, b: Point, tolerance: number): boolean {
  return Math.abs(a.offset - b.offset) <= (a.rtt + b.rtt) / 2 + tolerance;
}
