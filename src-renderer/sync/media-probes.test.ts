import { describe, expect, it } from 'vitest';
import { measureDisplayRefresh } from './media-probes';

/** A stand-in for the browser's animation-frame clock (node has none): frames at the given times. */
function frameClock(times: number[]) {
  let pending: ((t: number) => void) | null = null;
  return {
    win: {
      requestAnimationFrame: (cb: (t: number) => void) => ((pending = cb), 1),
      cancelAnimationFrame: () => (pending = null),
    },
    run() {
      for (const t of times) {
        const cb = pending;
        pending = null;
        cb?.(t);
      }
    },
  };
}

describe('measureDisplayRefresh', () => {
  it('reports the median frame interval once, undisturbed by a few long frames', () => {
    const times: number[] = [];
    let t = 1_000;
    for (let i = 0; i < 40; i++) times.push((t += i % 7 === 3 ? 50 : 16.7)); // a dropped frame now and then
    const clock = frameClock(times);
    const seen: number[] = [];
    measureDisplayRefresh((ms) => seen.push(ms), clock.win as unknown as Window);
    clock.run();
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeCloseTo(16.7, 5);
  });

  it('reports nothing once disposed', () => {
    const clock = frameClock(Array.from({ length: 40 }, (_, i) => i * 33.3));
    const seen: number[] = [];
    measureDisplayRefresh((ms) => seen.push(ms), clock.win as unknown as Window).dispose();
    clock.run();
    expect(seen).toHaveLength(0);
  });
});
