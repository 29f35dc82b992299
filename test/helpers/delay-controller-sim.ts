/**
 * A simulated receiver for the DelayController's tests: streams with natural delays, jitter, loss,
 * spikes, wander, late joins and display grids, under the plant measured in Chromium (a target is a
 * floor: delay = max(natural, target + offset), reached at ≤ 100 ms/s) or an additive one. Test-only:
 * it asserts, through vitest, that no target ever goes negative.
 */
import { expect } from 'vitest';
import { DelayController, type DelayControllerOptions, type DelayControllerOutput } from '../../src-shared/sync/delay-controller';
import { seededRandom } from './seeded-random';

const rng = seededRandom;

export interface SimStream {
  id: string;
  /** Mean delay without any jitterBufferTarget, ms. */
  base: number;
  /** Floor plant: delay − target while the target binds, ms (default: 35 audio, 5 video). */
  offset?: number;
  /** Uniform ± jitter of each measurement, ms. */
  jitter?: number;
  /** The natural delay itself wanders: ± this, as a 2 s sine, ms (a floor above it holds it still). */
  wanderMs?: number;
  /** The natural delay steps up by `by` ms at time `at` (NetEq growing its buffer after jitter). */
  rise?: { at: number; by: number };
  /** After everything a target governs, the delay is this much later over [at, at + forMs): the
   *  renderer showing every frame a refresh or a frame later for a moment (seen in bench:sync: a
   *  receiver's camera and screen both a 30 fps frame later for 0.5 s, their jitter buffers unchanged). */
  hiccup?: { at: number; by: number; forMs: number };
  /** Video shown at display refreshes: above its natural delay it takes only values natural + k·grid. */
  gridMs?: number;
  /** Video on a grid: each frame's render time varies ± this, ms, so a floor near the edge between two
   *  grid values shows some frames at each. Here a floor rounds up to the next grid value; Chromium
   *  shows the nearest, which is the same plant with an offset half a step smaller. */
  renderJitterMs?: number;
  /** Video on a grid: its own render time sits this far above the edge below `base`, ms, so with
   *  renderJitterMs some frames are shown a step early even at its natural delay (seen in bench:sync:
   *  a screen with no binding floor showed ~20 % of its frames a step early for 30 s). */
  naturalAboveEdgeMs?: number;
  /** This stream's own ramp speed toward a new floor, ms/s (default: the plant's); NetEq's time-
   *  stretching reached raised audio floors at 34–48 ms/s on average in bench:sync, in steps. */
  slewMsPerS?: number;
  /** Mean spacing of measurements, ms (irregular: ±50 %). */
  periodMs?: number;
  /** Active over [from, to) of simulated time. */
  from?: number;
  to?: number;
  /** Capture-to-arrival delay the receiver measures on this stream's frames, ms, told to the
   *  controller at every update (setArrivalDelay); by default the controller is told nothing. */
  arrivalMs?: number;
  /** The receiver's stats tell how far the floor holds this stream's jitter buffer above its own
   *  target (audio, from getStats: see DelayController.setFloorHold): here the floor's part of the
   *  delay above the natural one, told at every update. */
  reportsFloorHold?: boolean;
  /** Probability that a measurement is lost; probability and size of an outlier. */
  loss?: number;
  spikeP?: number;
  spikeMs?: number;
}

export interface Plant {
  /** How fast an applied target shows in the delay, ms/s (Infinity: at once). */
  slewMsPerS: number;
  /** 'floor' (Chromium, measured): delay = max(base, target + offset). 'add': delay = base + target. */
  model: 'add' | 'floor';
}

/** What the aligner tells the controller: the offsets it assumes before it has learnt them. */
export const PRIORS: DelayControllerOptions = { offsetPriorMs: { audio: 35, video: 5 } };
export const CHROMIUM: Plant = { slewMsPerS: 100, model: 'floor' };
const isAudio = (s: SimStream) => s.id.endsWith('audio');
const offsetOf = (s: SimStream) => s.offset ?? (isAudio(s) ? 35 : 5);

export interface SimResult {
  /** Time after which every pair's noise-free skew stayed within 20 ms, relative to `since`. */
  convergedAfter: (since: number, until?: number) => number;
  trace: { t: number; applied: Record<string, number>; trueDelay: Record<string, number>; out: DelayControllerOutput }[];
  /** Every measurement fed to the controller. */
  samples: { id: string; t: number; delay: number }[];
  directionChanges: (id: string, from?: number, to?: number) => number;
  last: DelayControllerOutput;
  maxApplied: number;
  /** Largest noise-free delay added to any stream (its delay − its natural delay), ms. */
  maxAdded: number;
}

/** The receiver's session clock: its estimate steps by `by` ms at `at` (a resync finding a tighter
 *  anchor), so every delay measured after reads that much different while no stream's delay changes;
 *  `followed`: the controller is told (DelayController.shiftClock), as the aligner does. */
export interface SimClock {
  steps: { at: number; by: number }[];
  followed: boolean;
}

export function simulate(streams: SimStream[], durationMs: number, opts: DelayControllerOptions = {}, plant: Plant = CHROMIUM, seed = 1, clock: SimClock = { steps: [], followed: true }): SimResult {
  const r = rng(seed);
  const c = new DelayController({ ...PRIORS, ...opts });
  const applied: Record<string, number> = {};
  const effective: Record<string, number> = {};
  const nextSampleAt: Record<string, number> = {};
  const trace: SimResult['trace'] = [];
  const samples: SimResult['samples'] = [];
  const active = (s: SimStream, t: number) => t >= (s.from ?? 0) && t < (s.to ?? Infinity);
  const baseAt = (s: SimStream, t: number) => s.base + (s.rise && t >= s.rise.at ? s.rise.by : 0);
  const hiccupAt = (s: SimStream, t: number) => (s.hiccup && t >= s.hiccup.at && t < s.hiccup.at + s.hiccup.forMs ? s.hiccup.by : 0);
  const noiseFree = (s: SimStream, t: number, renderJitter = 0) => presented(s, t, renderJitter) + hiccupAt(s, t);
  const presented = (s: SimStream, t: number, renderJitter = 0) => {
    const eff = effective[s.id] ?? 0;
    const base = baseAt(s, t) + (s.wanderMs ?? 0) * Math.sin((2 * Math.PI * t) / 2_000);
    if (plant.model === 'add') return base + eff;
    const floor = eff + offsetOf(s) + renderJitter;
    if (s.gridMs && s.naturalAboveEdgeMs !== undefined) {
      const input = Math.max(base - s.gridMs + s.naturalAboveEdgeMs + renderJitter, floor);
      return base + Math.ceil((input - base) / s.gridMs - 1e-9) * s.gridMs;
    }
    if (floor <= base) return base;
    return s.gridMs ? base + Math.ceil((floor - base) / s.gridMs - 1e-9) * s.gridMs : floor;
  };
  let maxApplied = 0;
  let maxAdded = 0;
  const dt = 5;
  const clockErrorAt = (t: number) => clock.steps.reduce((sum, x) => sum + (t >= x.at ? x.by : 0), 0);
  let clockTold = 0;
  for (let t = 0; t <= durationMs; t += dt) {
    // A delay is read on the clock as it is when the measurement is processed (this tick).
    const clockError = clockErrorAt(t);
    if (clock.followed && clockError !== clockTold) c.shiftClock(clockError - clockTold);
    clockTold = clockError;
    for (const s of streams) {
      if (!active(s, t)) {
        // The caller drops a receiver's target when its track goes away.
        if (t >= (s.to ?? Infinity) && t < (s.to ?? Infinity) + dt) {
          delete applied[s.id];
          effective[s.id] = 0;
        }
        continue;
      }
      // A new track gets the controller's initial target (0 without a playout floor) before its first
      // frame, as the aligner sets it. VCMTiming starts a video at its target; NetEq ramps to it.
      if (applied[s.id] === undefined || (t >= (s.from ?? 0) && t < (s.from ?? 0) + dt)) {
        const initial = c.initialTarget(s.id);
        applied[s.id] = initial;
        delete nextSampleAt[s.id];
        if (!isAudio(s)) effective[s.id] = initial;
      }
      const a = applied[s.id]!;
      // A floor ramps from where the delay is, not from the old target (VCMTiming moves its current
      // delay, NetEq its buffer level): a raise starts to show at once.
      const e = plant.model === 'floor' && a > (effective[s.id] ?? 0) ? Math.max(effective[s.id] ?? 0, baseAt(s, t) - offsetOf(s)) : (effective[s.id] ?? 0);
      const maxMove = ((s.slewMsPerS ?? plant.slewMsPerS) * dt) / 1000;
      effective[s.id] = Math.abs(a - e) <= maxMove ? a : e + Math.sign(a - e) * maxMove;
      // Each measurement is taken when it is due, not at the tick that notices it: scheduled from
      // the tick, the intervals ran 2.5 ms (half a tick) long on average, and a video's frame
      // interval (their median) read 30–40 ms for a 33 ms stream.
      const period = s.periodMs ?? 33;
      nextSampleAt[s.id] ??= t + r() * period;
      while (nextSampleAt[s.id]! <= t) {
        const at = nextSampleAt[s.id]!;
        nextSampleAt[s.id] = at + period * (0.5 + r());
        if (r() >= (s.loss ?? 0)) {
          const jitter = (s.jitter ?? 0) * (2 * r() - 1);
          const spike = r() < (s.spikeP ?? 0) ? (s.spikeMs ?? 0) : 0;
          const renderJitter = s.renderJitterMs ? s.renderJitterMs * (2 * r() - 1) : 0;
          const delay = noiseFree(s, at, renderJitter) + jitter + spike + clockError;
          samples.push({ id: s.id, t: at, delay });
          c.addSample(s.id, at, delay);
        }
      }
    }
    if (t % 50 === 0) {
      for (const s of streams) if (s.arrivalMs !== undefined && active(s, t)) c.setArrivalDelay(s.id, s.arrivalMs);
      for (const s of streams) if (s.reportsFloorHold && active(s, t)) c.setFloorHold(s.id, Math.max(0, (effective[s.id] ?? 0) + offsetOf(s) - baseAt(s, t)));
      const out = c.update(t);
      for (const d of out.streams) {
        applied[d.stream] = d.targetMs;
        maxApplied = Math.max(maxApplied, d.targetMs);
        expect(d.targetMs).toBeGreaterThanOrEqual(0);
      }
      for (const id of out.removed) applied[id] = 0;
      const trueDelay: Record<string, number> = {};
      for (const s of streams) {
        if (!active(s, t)) continue;
        trueDelay[s.id] = noiseFree(s, t);
        // A floored stream's delay is never below its offset, whatever its base.
        const natural = plant.model === 'floor' ? Math.max(baseAt(s, t), offsetOf(s)) : baseAt(s, t);
        maxAdded = Math.max(maxAdded, noiseFree(s, t) - natural - (s.wanderMs ?? 0));
      }
      trace.push({ t, applied: { ...applied }, trueDelay, out });
    }
  }
  const skewOk = (x: SimResult['trace'][number]) => {
    const ds = Object.values(x.trueDelay);
    return ds.length === 0 || Math.max(...ds) - Math.min(...ds) <= 20;
  };
  return {
    trace,
    samples,
    last: trace[trace.length - 1]!.out,
    maxApplied,
    maxAdded,
    convergedAfter: (since, until = Infinity) => {
      const window = trace.filter((x) => x.t >= since && x.t < until);
      let lastBad = -1;
      window.forEach((x, i) => {
        if (!skewOk(x)) lastBad = i;
      });
      if (lastBad === window.length - 1) return Infinity;
      return lastBad < 0 ? 0 : window[lastBad + 1]!.t - since;
    },
    directionChanges: (id, from = 0, to = Infinity) => {
      let dir = 0;
      let changes = 0;
      let prev: number | undefined;
      for (const x of trace) {
        if (x.t < from || x.t >= to) continue;
        const v = x.applied[id] ?? 0;
        if (prev !== undefined && v !== prev) {
          const d = Math.sign(v - prev);
          if (dir !== 0 && d !== dir) changes++;
          dir = d;
        }
        prev = v;
      }
      return changes;
    },
  };
}
