import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DelayController } from './delay-controller';
import { CHROMIUM, simulate, type SimResult, type SimStream } from '../../test/helpers/delay-controller-sim';

// The bench's perturbations: screen 150 ms late, camera 80 ms ± 30 ms late, relative to audio.
const AUDIO: SimStream = { id: 'audio', base: 60, periodMs: 20 };
const CAMERA: SimStream = { id: 'camera', base: 140, jitter: 30 };
const SCREEN: SimStream = { id: 'screen', base: 210 };

describe('DelayController', () => {
  it('converges within 2 s for screen +150 ms and camera +80 ± 30 ms, then stays put', () => {
    const sim = simulate([AUDIO, CAMERA, SCREEN], 12_000);
    expect(sim.convergedAfter(0)).toBeLessThan(2_000);
    const final = Object.fromEntries(sim.last.streams.map((d) => [d.stream, d.targetMs]));
    // Floors: the slowest (screen, 210 ms) is left alone; the others are floored at 210 − offset.
    expect(final.screen).toBe(0);
    expect(Math.abs(final.audio! - (210 - 35))).toBeLessThanOrEqual(10);
    expect(Math.abs(final.camera! - (210 - 5))).toBeLessThanOrEqual(10);
    expect(sim.last.state).toBe('inSync');
    expect(sim.last.targetDelayMs).toBeGreaterThan(205);
    // No oscillation: each stream moves once or twice, never back and forth.
    for (const id of ['audio', 'camera', 'screen']) expect(sim.directionChanges(id)).toBe(0);
    const late = (id: string) => sim.trace.filter((x) => x.t > 3_000).map((x) => x.applied[id]!);
    for (const id of ['audio', 'camera']) expect(Math.max(...late(id)) - Math.min(...late(id))).toBeLessThanOrEqual(10);
    // Bounded overshoot.
    const peak = (id: string) => Math.max(...sim.trace.map((x) => x.applied[id] ?? 0));
    expect(peak('audio') - final.audio!).toBeLessThanOrEqual(2);
    expect(peak('camera') - final.camera!).toBeLessThanOrEqual(15);
    // The report: pair skews small, in the naming.
    const pairs = Object.fromEntries(sim.last.skews.map((s) => [s.pair, s.skewMs]));
    expect(Object.keys(pairs).sort()).toEqual(['camera-audio', 'screen-audio', 'screen-camera']);
    for (const v of Object.values(pairs)) expect(Math.abs(v)).toBeLessThan(20);
  });

  it('floors a video that is early by less than the step-sized band: on the floor it holds still', () => {
    // Audio is the slowest here (117 ms); the camera plays 12 ms early, inside the video band. Left
    // on its natural delay it would wander with its jitter; floored at the target it does not.
    const sim = simulate([{ id: 'audio', base: 117, periodMs: 20 }, { id: 'camera', base: 105 }], 8_000);
    const final = Object.fromEntries(sim.last.streams.map((d) => [d.stream, d.targetMs]));
    // The audio only has its safety net, 14 ms under where it plays (see the next test).
    expect(final.audio).toBe(117 - 35 - 14);
    expect(Math.abs(final.camera! - (117 - 5))).toBeLessThanOrEqual(6);
    const end = sim.trace[sim.trace.length - 1]!.trueDelay;
    expect(Math.abs(end.camera! - end.audio!)).toBeLessThanOrEqual(6);
    expect(sim.directionChanges('camera')).toBe(0);
  });

  it("audio that sets the pace has a floor under it before NetEq's start-up level decays, so the join stays in sync", () => {
    // NetEq starts a receiver's audio high and lets it sink 20–35 ms within about a second (8 of 92
    // receivers in session 6's bench:sync dumps). The camera had been raised to the audio's start-up
    // level; with no floor under the audio the pair was 30 ms apart for 1.5 s before the estimate saw it.
    for (const seed of [1, 2, 3, 4]) {
      for (const offset of [35, 45, 60]) {
        const audio: SimStream = { id: 'audio', base: 125, periodMs: 20, offset, slewMsPerS: 50, rise: { at: 1_300, by: -30 } };
        const sim = simulate([audio, { id: 'camera', base: 100, jitter: 5 }], 8_000, {}, CHROMIUM, seed);
        expect(sim.convergedAfter(0), `seed ${seed}, true audio offset ${offset}`).toBeLessThan(1_000);
      }
    }
  });

  it('floors the slowest stream at the upper end of its own wander, so it holds still', () => {
    // The camera is the slowest on average (110 ms) but its natural delay wanders ± 25 ms. Aiming at
    // its middle would leave it wandering against audio; aiming at its upper end floors it there.
    // The floor lands a little under the wander's peak (the upper end is a 90th percentile, and
    // floored samples are clipped), so the camera still rises above it for a moment at each peak:
    // up to 11 ms in these seeds, where aiming at its middle would leave it swinging ±25 ms.
    for (const seed of [1, 2, 3, 4, 5]) {
      const sim = simulate([{ id: 'audio', base: 95, periodMs: 20 }, { id: 'camera', base: 110, wanderMs: 25 }], 10_000, {}, CHROMIUM, seed);
      expect(sim.convergedAfter(0), `seed ${seed}`).toBeLessThan(3_000);
      const skews = sim.trace.filter((x) => x.t >= 5_000).map((x) => Math.abs(x.trueDelay.camera! - x.trueDelay.audio!));
      expect(Math.max(...skews), `seed ${seed}`).toBeLessThanOrEqual(12);
      expect(sim.maxAdded, `seed ${seed}`).toBeLessThanOrEqual(60);
    }
  });

  it('learns the floor offset when the prior is wrong, and converges on an additive plant too, without runaway', () => {
    // Offsets unlike the priors (a long network path: 60 ms outside the buffer for every stream).
    const far = (s: SimStream): SimStream => ({ ...s, offset: 60, base: s.base + 60 });
    const wrong = simulate([far(AUDIO), far(CAMERA), far(SCREEN)], 10_000, {}, CHROMIUM, 2);
    expect(wrong.convergedAfter(0)).toBeLessThan(4_000);
    expect(wrong.maxApplied).toBeLessThan(300); // the first step trusts the prior: T − 5 ms
    const instant = simulate([AUDIO, CAMERA, SCREEN], 8_000, {}, { slewMsPerS: Infinity, model: 'floor' }, 3);
    expect(instant.convergedAfter(0)).toBeLessThan(2_000);
    // An additive plant (a target adds to the natural delay) is not what Chromium does, but the
    // controller learns its offset (= the natural delay) after one step and settles.
    const add = simulate([AUDIO, CAMERA, SCREEN], 12_000, {}, { slewMsPerS: 100, model: 'add' }, 4);
    expect(add.convergedAfter(0)).toBeLessThan(6_000);
    expect(add.maxApplied).toBeLessThan(250);
    for (const id of ['audio', 'camera']) expect(add.directionChanges(id)).toBeLessThanOrEqual(2);
  });

  it('caps the added delay and reports degraded when a stream is wildly late', () => {
    const sim = simulate([AUDIO, { id: 'screen', base: 60 + 1_500 }], 8_000, { maxAddedMs: 400 });
    expect(sim.maxAdded).toBeLessThanOrEqual(400);
    const final = Object.fromEntries(sim.last.streams.map((d) => [d.stream, d]));
    // Audio (natural 60 ms, offset 35 ms) floored at 60 + 400 ms: target 425.
    expect(final.audio!.targetMs).toBe(425);
    expect(final.screen!.targetMs).toBe(0);
    expect(final.screen!.phase).toBe('late');
    expect(sim.last.state).toBe('degraded');
    expect(sim.last.addedDelayMs).toBe(400);
  });

  it('the cap clamps to what Chromium accepts', () => {
    const c = new DelayController({ maxAddedMs: 10_000 });
    for (let t = 0; t < 300; t += 20) {
      c.addSample('audio', t, 0);
      c.addSample('screen', t, 9_000);
    }
    const out = c.update(300);
    expect(Math.max(...out.streams.map((d) => d.targetMs))).toBeLessThanOrEqual(4_000);
  });

  it('a stream that disappears is dropped after the timeout, and re-aligned when it returns', () => {
    const screen: SimStream = { ...SCREEN, to: 5_000 };
    const back: SimStream = { ...SCREEN, from: 9_000 };
    const sim = simulate([AUDIO, CAMERA, screen, back], 16_000);
    // Dropped once stale (staleAfterMs 1.5 s after its last sample).
    const dropped = sim.trace.find((x) => x.out.removed.includes('screen'));
    expect(dropped).toBeDefined();
    expect(dropped!.t).toBeGreaterThanOrEqual(6_400);
    expect(dropped!.t).toBeLessThanOrEqual(6_600);
    // Without the screen, audio only waits for the camera: target lowered (after the hold) from
    // 210 − 35 to the upper end of the camera's ± 30 ms wander (≈ 140 + 24) − 35.
    const gone = sim.trace.find((x) => x.t === 8_950)!;
    expect(gone.applied.audio).toBeGreaterThan(60);
    expect(gone.applied.audio).toBeLessThan(150);
    expect(gone.out.streams.map((d) => d.stream).sort()).toEqual(['audio', 'camera']);
    // Back: converged within 2 s of its return.
    expect(sim.convergedAfter(9_000)).toBeLessThan(2_000);
    expect(sim.last.state).toBe('inSync');
  });

  it('a stream that comes back under the same id starts from the offset learnt for it, not the prior', () => {
    // The audio's true offset is 55 ms, the prior says 35: the first placement lands 20 ms late and
    // is corrected once learnt. After the publisher rebuilds its connection (the track goes and comes
    // back), the first placement already uses 55.
    const audio: SimStream = { id: 'audio', base: 60, offset: 55, periodMs: 20, to: 6_000 };
    const back: SimStream = { ...audio, from: 8_000, to: undefined };
    const sim = simulate([audio, back, { ...SCREEN, base: 200 }], 14_000);
    expect(sim.trace.some((x) => x.t < 8_000 && x.out.removed.includes('audio'))).toBe(true);
    const firstTarget = (from: number) => sim.trace.find((x) => x.t >= from && (x.applied.audio ?? 0) > 0)!.applied.audio!;
    expect(Math.abs(firstTarget(0) - (200 - 35))).toBeLessThanOrEqual(5);
    expect(Math.abs(firstTarget(8_000) - (200 - 55))).toBeLessThanOrEqual(5);
    expect(sim.convergedAfter(8_000)).toBeLessThan(2_000);
  });

  it('a stream joining late (screen share starts) converges within 2 s of the join', () => {
    const sim = simulate([AUDIO, CAMERA, { ...SCREEN, from: 5_000 }], 12_000);
    expect(sim.convergedAfter(0, 5_000)).toBeLessThan(2_000);
    expect(sim.convergedAfter(5_000)).toBeLessThan(2_000);
    // While the new stream is being measured the state says so.
    const joining = sim.trace.find((x) => x.t === 5_050)!;
    expect(joining.out.state).toBe('aligning');
  });

  it('a plant slower than assumed is waited for, not misread: one audio step, no overshoot, nothing added', () => {
    // NetEq reaching a raised floor at 30 ms/s (34–48 on average in bench:sync; the model assumes 100):
    // judged mid-ramp, the audio looked to have answered only part of the raise, a too small offset
    // was learnt, the next step overshot, and the overshoot lifted everyone's pace above the screen's.
    for (const seed of [1, 2, 3]) {
      const audio: SimStream = { id: 'audio', base: 100, periodMs: 20, slewMsPerS: 30, offset: 55 };
      const sim = simulate([audio, { id: 'camera', base: 110, jitter: 5 }, { id: 'screen', base: 190, from: 4_000 }], 12_000, {}, CHROMIUM, seed);
      const audioTargets = new Set(sim.trace.filter((x) => x.t >= 4_000).map((x) => x.applied.audio));
      // The target it had before the share, and one step for it.
      expect(audioTargets.size, `seed ${seed}: audio targets from the share on: ${[...audioTargets].join(', ')}`).toBe(2);
      expect(sim.directionChanges('audio', 4_000)).toBe(0);
      // 95 ms at 30 ms/s is 3.2 s of ramp at most; it starts while the screen is still measured.
      expect(sim.convergedAfter(4_000)).toBeLessThan(3_000);
      const end = sim.trace[sim.trace.length - 1]!.trueDelay;
      for (const id of ['audio', 'camera', 'screen']) expect(Math.abs(end[id]! - 190), `${id} at ${end[id]}`).toBeLessThanOrEqual(6);
    }
  });

  it('audio raised toward a new screen follows the screen up while its raise is still on its way', () => {
    // A share's first frames shown low, then a refresh or a frame later (bench:sync: 166–183 ms, then
    // 197–200, within its first second), so the audio's first raise aims at the low level. Waiting for
    // that ramp and its reassessment before raising again cost 0.25–0.55 s here (0.5–1 s in bench:sync).
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const audio: SimStream = { id: 'audio', base: 100, periodMs: 20, slewMsPerS: 60 };
      const screen: SimStream = { id: 'screen', base: 170, from: 4_000, rise: { at: 4_900, by: 30 } };
      const run = (followAimWhileRamping: boolean) => simulate([audio, { id: 'camera', base: 110, jitter: 3 }, screen], 10_000, { followAimWhileRamping }, CHROMIUM, seed);
      const [following, waiting] = [run(true), run(false)];
      expect(following.convergedAfter(4_000), `seed ${seed}`).toBeLessThanOrEqual(waiting.convergedAfter(4_000) - 100);
      expect(following.convergedAfter(4_000), `seed ${seed}`).toBeLessThan(2_500);
      // One way only, and it ends where the screen is.
      expect(following.directionChanges('audio', 4_000)).toBe(0);
      const end = following.trace[following.trace.length - 1]!.trueDelay;
      for (const id of ['audio', 'camera']) expect(Math.abs(end[id]! - 200), `seed ${seed}: ${id} at ${end[id]}`).toBeLessThanOrEqual(10);
    }
  });

  it('audio whose own level rose under its floor is not lowered step by step to nothing', () => {
    // NetEq's start-up level rising 15 ms while the first floor was reached (the audio at 113 on its
    // own, its floor at 106) read as that floor binding, its offset growing with the rise. The audio,
    // then late against the camera, had its floor lowered 8 ms at a time; each lowering moved nothing,
    // which the model read as a larger offset, so the floor sank to a few ms (bench:sync: 53 → 32 →
    // 24) and the raise for the screen share, planned on that offset, fell far short.
    for (const seed of [1, 2, 3]) {
      const audio: SimStream = { id: 'audio', base: 98, periodMs: 20, slewMsPerS: 55, rise: { at: 900, by: 15 } };
      const sim = simulate([audio, { id: 'camera', base: 105, jitter: 5 }, { id: 'screen', base: 190, from: 6_000 }], 10_000, {}, CHROMIUM, seed);
      const beforeShare = sim.trace.filter((x) => x.t < 6_000).map((x) => x.applied.audio ?? 0);
      const lowerings = beforeShare.filter((v, i) => i > 0 && v < beforeShare[i - 1]!).length;
      const what = `seed ${seed}: audio targets ${[...new Set(beforeShare)].join(', ')}`;
      expect(lowerings, what).toBeLessThanOrEqual(2);
      expect(Math.min(...beforeShare.filter((v) => v > 0)), what).toBeGreaterThanOrEqual(55);
      expect(sim.convergedAfter(6_000), `seed ${seed}`).toBeLessThan(2_000);
    }
  });

  it('a floored stream whose natural delay rises past its floor sets a new pace, and the others follow', () => {
    // Audio floored at the screen's pace (≈ 210 ms) when NetEq grows its own buffer to 260 ms at 6 s.
    const sim = simulate([{ ...AUDIO, rise: { at: 6_000, by: 200 } }, CAMERA, SCREEN], 14_000);
    expect(sim.convergedAfter(0, 6_000)).toBeLessThan(2_000);
    expect(sim.convergedAfter(6_000)).toBeLessThan(3_000);
    expect(sim.last.targetDelayMs).toBeGreaterThan(250);
    for (const id of ['camera', 'screen']) expect(sim.directionChanges(id, 6_000)).toBe(0);
  });

  it('a floored video whose path gets slower sets a new pace, and the others follow', () => {
    // The screen is floored at the camera's pace (250 ms) when its own path gets 150 ms slower.
    const sim = simulate([AUDIO, { id: 'camera', base: 250 }, { id: 'screen', base: 150, rise: { at: 6_000, by: 150 } }], 14_000);
    expect(sim.convergedAfter(0, 6_000)).toBeLessThanOrEqual(2_500);
    expect(sim.convergedAfter(6_000)).toBeLessThan(3_000);
    expect(sim.last.targetDelayMs).toBeGreaterThan(290);
  });

  it('survives loss and outliers: 30 % of samples lost, 5 % spikes of +250 ms', () => {
    const lossy = (s: SimStream): SimStream => ({ ...s, loss: 0.3, spikeP: 0.05, spikeMs: 250 });
    const sim = simulate([lossy(AUDIO), lossy(CAMERA), lossy(SCREEN)], 12_000, {}, undefined, 7);
    expect(sim.convergedAfter(0)).toBeLessThan(2_000);
    for (const id of ['audio', 'camera', 'screen']) expect(sim.directionChanges(id)).toBeLessThanOrEqual(2);
    expect(sim.maxApplied).toBeLessThan(230);
  });

  it('with one stream, or none, there is nothing to align', () => {
    const c = new DelayController();
    expect(c.update(0)).toMatchObject({ state: 'inSync', targetDelayMs: null, streams: [], skews: [] });
    for (let t = 0; t < 300; t += 30) c.addSample('audio', t, 80);
    const out = c.update(300);
    expect(out.streams).toEqual([{ stream: 'audio', targetMs: 0, baseMs: 80, delayMs: 80, phase: 'steady' }]);
  });

  it('ignores non-finite measurements', () => {
    const c = new DelayController();
    c.addSample('audio', 0, Number.NaN);
    c.addSample('audio', Number.POSITIVE_INFINITY, 5);
    expect(c.update(10).streams).toEqual([]);
  });

  it('a slow network path: the offset priors follow the measured capture-to-arrival delay, so a floor lands where aimed and the pace does not climb', () => {
    // 90 ms from capture to arrival, where loopback's 10 (camera) and 21 (audio) ms are what the
    // priors were measured with: a floor sets a stream's delay 70–80 ms later than they predict. The
    // camera is the slowest stream, wandering ±10 ms with ±8 ms of measurement noise, so its first
    // floor (at its own upper end) is expected to move it by less than its noise: landing 80 ms
    // higher read as its own rise, and the pace went to it (bench:sync with an 80 ms path before
    // arrival: the camera 99 → 199 → 299 ms).
    for (const seed of [1, 2, 3]) {
      const arrivalMs = 90;
      const streams: SimStream[] = [
        { id: 'audio', base: 120, periodMs: 20, offset: 35 + (arrivalMs - 21), arrivalMs },
        { id: 'camera', base: 200, offset: 5 + (arrivalMs - 10), periodMs: 33, jitter: 8, wanderMs: 10, arrivalMs },
      ];
      const sim = simulate(streams, 15_000, {}, CHROMIUM, seed);
      expect(sim.last.targetDelayMs!, `seed ${seed}: the pace`).toBeLessThan(225);
      expect(sim.maxAdded, `seed ${seed}: most delay added`).toBeLessThan(110);
      expect(sim.convergedAfter(0), `seed ${seed}`).toBeLessThan(3_500);
      expect(sim.last.state).toBe('inSync');
    }
  });

  describe('a step of the session clock (a resync finding a tighter anchor)', () => {
    // Every delay is read on the receiver's session clock, so a step of its estimate moves them all
    // at once while no stream's delay changes (bench:sync: first estimates at a join up to 23 ms off,
    // corrected 0.2–10 s later). The clock starts `by` ms wrong and is set right at `at`.
    const frame = 1_000 / 30;
    const streams: SimStream[] = [
      { id: 'audio', base: 120, periodMs: 20, jitter: 3 },
      { id: 'camera', base: 170, offset: -13, gridMs: frame, periodMs: frame, renderJitterMs: 4 },
      { id: 'screen', base: 190, offset: -10, gridMs: frame, periodMs: frame, renderJitterMs: 4 },
    ];
    const run = (at: number, by: number, seed: number, followed: boolean) => simulate(streams, 16_000, {}, CHROMIUM, seed, { steps: [{ at: 0, by }, { at, by: -by }], followed });
    const movesAfter = (sim: SimResult, from: number) => {
      const xs = sim.trace.filter((x) => x.t >= from - 100);
      return xs.filter((x, i) => i > 0 && JSON.stringify(x.applied) !== JSON.stringify(xs[i - 1]!.applied)).length;
    };
    const spread = (x: SimResult['trace'][number]) => Math.max(...Object.values(x.trueDelay)) - Math.min(...Object.values(x.trueDelay));

    it('once settled: nothing moves (without it, targets moved after the step)', () => {
      let movedWithout = 0;
      for (const by of [-20, -11, 11, 20]) {
        for (const seed of [1, 2, 3, 4]) {
          const what = `clock ${by} ms off until 8 s, seed ${seed}`;
          const sim = run(8_000, by, seed, true);
          expect(movesAfter(sim, 8_000), what).toBe(0);
          expect(Math.max(...sim.trace.filter((x) => x.t >= 8_000).map(spread)), what).toBeLessThanOrEqual(Math.max(...sim.trace.filter((x) => x.t >= 5_000 && x.t < 8_000).map(spread)));
          if (movesAfter(run(8_000, by, seed, false), 8_000) > 0) movedWithout++;
        }
      }
      expect(movedWithout, 'runs that moved a target after the step without shiftClock (16 of 16 when written)').toBeGreaterThanOrEqual(12);
    });

    it('during a join: it still converges', () => {
      for (const at of [500, 1_000, 1_500]) {
        for (const by of [-20, 20]) {
          for (const seed of [1, 2, 3]) {
            const sim = run(at, by, seed, true);
            const what = `clock ${by} ms off until ${at} ms, seed ${seed}`;
            expect(sim.convergedAfter(0), what).toBeLessThan(2_500);
            expect(sim.maxAdded, what).toBeLessThanOrEqual(100);
          }
        }
      }
    });
  });

  it('a floored audio floating above its floor, while the stats say the floor holds its buffer up, does not leave the pace raised', () => {
    // NetEq's level floats around its target: bench:sync showed a floored audio 8–13 ms over its
    // floor with NetEq's own target at 60 ms against our 216. Read as the audio's natural delay it
    // raised the pace, the videos a step after it, and the audio's floor after them (218 → 291 ms).
    // Here the audio plays 12 or 16 ms late for 3 s while floored.
    const frame = 1_000 / 30;
    let roseWithout = 0;
    for (const by of [12, 16]) {
      for (const seed of [1, 2, 3]) {
        const streams = (reportsFloorHold: boolean): SimStream[] => [
          { id: 'audio', base: 120, periodMs: 20, jitter: 3, reportsFloorHold, hiccup: { at: 8_000, by, forMs: 3_000 } },
          { id: 'camera', base: 170, offset: -13, gridMs: frame, periodMs: frame, renderJitterMs: 4 },
          { id: 'screen', base: 190, offset: -10, gridMs: frame, periodMs: frame, renderJitterMs: 4 },
        ];
        const what = `audio ${by} ms over its floor for 3 s, seed ${seed}`;
        const sim = simulate(streams(true), 16_000, {}, CHROMIUM, seed);
        const paceBefore = sim.trace.find((x) => x.t === 7_900)!.out.targetDelayMs!;
        expect(sim.last.targetDelayMs!, what).toBeLessThanOrEqual(paceBefore + 1);
        expect(sim.maxAdded, what).toBeLessThanOrEqual(95);
        const without = simulate(streams(false), 16_000, {}, CHROMIUM, seed);
        if (without.last.targetDelayMs! > paceBefore + 10) roseWithout++;
      }
    }
    expect(roseWithout, 'runs whose pace stayed over 10 ms higher without the stats (6 of 6 when written)').toBeGreaterThanOrEqual(4);
  });

  it('property: added delay stays within the cap and streams within the cap end up within 20 ms', () => {
    fc.assert(
      fc.property(
        fc.record({
          a: fc.integer({ min: 0, max: 300 }),
          b: fc.integer({ min: 0, max: 300 }),
          c: fc.integer({ min: 0, max: 300 }),
          jitter: fc.integer({ min: 0, max: 20 }),
          cap: fc.integer({ min: 50, max: 500 }),
          seed: fc.integer(),
        }),
        ({ a, b, c, jitter, cap, seed }) => {
          const sim = simulate(
            [
              { id: 'audio', base: a, jitter, periodMs: 20 },
              { id: 'camera', base: b, jitter },
              { id: 'screen', base: c, jitter },
            ],
            7_000,
            { maxAddedMs: cap },
            undefined,
            seed,
          );
          // The cap applies to the estimated natural delay, which the jitter moves by up to its size.
          expect(sim.maxAdded).toBeLessThanOrEqual(cap + 1 + jitter);
          // Natural delays as the floor plant has them: a stream never plays below its offset.
          const naturals = [Math.max(a, 35), Math.max(b, 5), Math.max(c, 5)];
          const spread = Math.max(...naturals) - Math.min(...naturals);
          if (spread + 10 <= cap - 20) {
            // The plant moves ≤ 100 ms/s, so the time to converge grows with the distance to travel:
            // measuring (~1 s), the ramp, its reassessment, and one corrective step.
            expect(sim.convergedAfter(0)).toBeLessThan(2_000 + spread * 12);
            expect(sim.last.state).toBe('inSync');
          } else if (spread > cap + 30) {
            expect(sim.last.state).toBe('degraded');
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
