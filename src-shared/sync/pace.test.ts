import { describe, expect, it } from 'vitest';
import { Pace, type PacedStream } from './pace';

const stream = (natural: number, naturalHigh = natural, binding = false): PacedStream => ({ natural, naturalHigh, binding });
const band = () => 5;

describe('Pace', () => {
  it('is set by the upper end of the slowest stream, rises at once and falls only after the hold', () => {
    const p = new Pace();
    expect(p.update([], 0, band, 400, 1_000)).toBeNull();
    expect(p.update([stream(100, 112), stream(150, 160)], 0, band, 400, 1_000)).toBe(160);
    // Within the band: no change.
    expect(p.update([stream(100), stream(150, 163)], 100, band, 400, 1_000)).toBe(160);
    // Higher: at once.
    expect(p.update([stream(100), stream(170, 180)], 200, band, 400, 1_000)).toBe(180);
    // Lower: only once it has persisted for the hold.
    expect(p.update([stream(100), stream(120, 130)], 300, band, 400, 1_000)).toBe(180);
    expect(p.update([stream(100), stream(120, 130)], 1_200, band, 400, 1_000)).toBe(180);
    expect(p.update([stream(100), stream(120, 130)], 1_300, band, 400, 1_000)).toBe(130);
    // A dip back within the band restarts the hold.
    expect(p.update([stream(100), stream(170, 180)], 1_400, band, 400, 1_000)).toBe(180);
    expect(p.update([stream(100), stream(120, 130)], 1_500, band, 400, 1_000)).toBe(180);
    expect(p.update([stream(100), stream(180, 181)], 1_600, band, 400, 1_000)).toBe(180);
    expect(p.update([stream(100), stream(120, 130)], 2_500, band, 400, 1_000)).toBe(180);
  });

  it('counts a stream playing above its floor at its delay, and a floored one only by its learnt wander', () => {
    const p = new Pace();
    // Floored (binding) at 200, its own natural 120–130: the pace is its wander, not its floor.
    expect(p.update([stream(100), stream(120, 130, true)], 0, band, 400, 1_000)).toBe(130);
    // Not binding, playing at 190 above a wander learnt at 175: 190.
    expect(p.update([stream(100), stream(190, 175)], 100, band, 400, 1_000)).toBe(190);
  });

  it('never falls below the playout floor', () => {
    const p = new Pace();
    expect(p.update([stream(60), stream(80, 90)], 0, band, 400, 1_000, 170)).toBe(170);
    // A slower stream sets it above the floor; when it goes, the pace comes back to the floor, not under.
    expect(p.update([stream(60), stream(200, 210)], 100, band, 400, 1_000, 170)).toBe(210);
    expect(p.update([stream(60), stream(80, 90)], 200, band, 400, 1_000, 170)).toBe(210);
    expect(p.update([stream(60), stream(80, 90)], 1_300, band, 400, 1_000, 170)).toBe(170);
  });

  it('never adds more than the cap to the fastest stream, and the cap binds at once', () => {
    const p = new Pace();
    expect(p.update([stream(100), stream(600)], 0, band, 400, 1_000)).toBe(500);
    expect(p.update([stream(100), stream(300)], 100, band, 400, 1_000)).toBe(500);
    // A new, faster stream: the cap falls at once, without waiting out the hold.
    expect(p.update([stream(50), stream(300)], 200, band, 200, 1_000)).toBe(250);
  });
});
