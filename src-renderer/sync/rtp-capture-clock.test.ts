import { describe, expect, it } from 'vitest';
import { rtpCaptureClock } from './rtp-capture-clock';
import { seededRandom } from '../../test/helpers/seeded-random';

/** 30 fps frames captured at `capture`, stamped on a 90 kHz clock from `rtpBase`, reaching the
 *  transform 3–12 ms later; `lateBy(t)`: how much later than its capture a frame's RTP timestamp
 *  reads at capture time t (a sender's timestamp aligner converging). Returns the estimate's error
 *  (estimated − true capture) per frame. */
function run(opts: { seconds: number; rtpBase?: number; lateBy?: (t: number) => number; seed?: number; driftPpm?: number }) {
  const r = seededRandom(opts.seed ?? 1);
  const clock = rtpCaptureClock(90, 2_000);
  const errors: { t: number; error: number }[] = [];
  for (let t = 0; t < opts.seconds * 1000; t += 1000 / 30) {
    const capture = 1_000_000 + t;
    // The RTP clock runs at its own rate (driftPpm) against the arrival clock.
    const rtpMs = t * (1 + (opts.driftPpm ?? 0) / 1e6) + (opts.lateBy?.(t) ?? 0);
    const rtp = ((opts.rtpBase ?? 12_345) + Math.round(rtpMs * 90)) >>> 0;
    const arrival = capture + 3 + 9 * r();
    const estimate = clock(rtp, arrival);
    expect(estimate).toBeLessThanOrEqual(arrival);
    errors.push({ t, error: estimate - capture });
  }
  return errors;
}

const spread = (xs: number[]) => Math.max(...xs) - Math.min(...xs);

describe('rtpCaptureClock', () => {
  it('gives every frame the same offset from its capture: that of the fastest frames', () => {
    const errors = run({ seconds: 10 }).filter((x) => x.t >= 2_000).map((x) => x.error);
    // Arrival 3–12 ms after capture: the estimate sits near the fastest, steady to a few ms.
    for (const e of errors) expect(e).toBeGreaterThanOrEqual(2.9);
    expect(Math.max(...errors)).toBeLessThan(5);
    expect(spread(errors)).toBeLessThan(2);
  });

  it('follows a sender whose RTP timestamps read late at first and settle (its timestamp aligner converging)', () => {
    // 30 ms late at the start, settling to 0 over 3 s (bench:sync: 6–106 ms, settling over ~5 s).
    const lateBy = (t: number) => Math.max(0, 30 * (1 - t / 3_000));
    const errors = run({ seconds: 12, lateBy });
    // Once the window has passed the settling, the estimate is back where a steady sender's is; an
    // estimate that kept the start's offset would read every capture ~30 ms early.
    for (const { t, error } of errors) if (t >= 5_100) expect(error, `at ${t} ms`).toBeGreaterThan(2.5);
  });

  it('ignores a frame or two whose RTP timestamp is off by itself', () => {
    const off = (t: number) => t >= 3_990 && t < 4_040; // two frames
    const errors = run({ seconds: 8, lateBy: (t) => (off(t) ? 60 : 0) }).filter((x) => x.t >= 2_000);
    expect(errors.filter((x) => off(x.t))).toHaveLength(2);
    for (const { t, error } of errors) if (!off(t)) expect(error, `at ${t} ms`).toBeGreaterThan(2.5);
  });

  it('unwraps the 32-bit RTP timestamp, and a clock drift of 200 ppm moves nothing', () => {
    const errors = run({ seconds: 20, rtpBase: 2 ** 32 - 90 * 3_000, driftPpm: 200 }).filter((x) => x.t >= 2_000).map((x) => x.error);
    expect(Math.min(...errors)).toBeGreaterThan(2);
    expect(Math.max(...errors)).toBeLessThan(7);
  });
});
