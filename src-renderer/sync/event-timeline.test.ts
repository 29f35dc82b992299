import { describe, expect, it } from 'vitest';
import type { ReleasedEvent } from '../../src-shared/sync/event-scheduler';
import { EventTimeline } from './event-timeline';
import type { PresentedMediaClock } from './sync-contracts';

/** Manual time; the receiver presents media `delay` ms old (session = local here). */
function setup(opts: { delay: number | null; maxHoldMs?: number }) {
  let t = 1_000_000;
  let timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let seq = 0;
  const state = { delay: opts.delay, stalled: null as number | null };
  const media: PresentedMediaClock = {
    presentedMediaTime: () => (state.stalled !== null ? state.stalled : state.delay === null ? null : t - state.delay),
    ownDelayMs: () => state.delay,
  };
  const released: Array<ReleasedEvent<string> & { at: number }> = [];
  const tl = new EventTimeline<string>({
    media: () => media,
    onRelease: (r) => released.push(...r.map((x) => ({ ...x, at: t }))),
    localNow: () => t,
    setTimeout: (fn, ms) => {
      const id = seq++;
      timers.push({ at: t + ms, fn, id });
      return id;
    },
    clearTimeout: (h) => {
      timers = timers.filter((x) => x.id !== h);
    },
    maxHoldMs: opts.maxHoldMs,
  });
  const run = (until: number) => {
    for (;;) {
      timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = timers[0];
      if (!next || next.at > until) break;
      timers.shift();
      t = Math.max(t, next.at);
      next.fn();
    }
    t = until;
  };
  return { tl, released, state, run, now: () => t, pendingTimers: () => timers.length };
}

describe('EventTimeline', () => {
  it('holds an event until presented media reaches its mediaTime (within 1 ms)', () => {
    const s = setup({ delay: 400 });
    const sentAt = s.now();
    // The sender (a publisher) stamped its live session time; it reaches us 30 ms later.
    s.run(sentAt + 30);
    s.tl.push({ id: 'a', mediaTime: sentAt, payload: 'look at this' });
    expect(s.released).toHaveLength(0);
    s.run(sentAt + 1_000);
    expect(s.released).toHaveLength(1);
    expect(s.released[0]!.reason).toBe('due');
    expect(Math.abs(s.released[0]!.at - (sentAt + 400))).toBeLessThanOrEqual(1);
    expect(s.pendingTimers()).toBe(0);
  });

  it('releases at once when the moment has already been presented, or nothing is playing', () => {
    const s = setup({ delay: 100 });
    s.tl.push({ id: 'old', mediaTime: s.now() - 500, payload: 'x' });
    expect(s.released.map((r) => r.event.id)).toEqual(['old']);
    s.state.delay = null;
    s.tl.push({ id: 'nomedia', mediaTime: s.now() + 200, payload: 'y' });
    expect(s.released.map((r) => r.event.id)).toEqual(['old', 'nomedia']);
  });

  it('never holds longer than the cap (stalled media)', () => {
    const s = setup({ delay: 100, maxHoldMs: 1_500 });
    s.state.stalled = s.now() - 5_000; // frozen frame
    const t0 = s.now();
    s.tl.push({ id: 'a', mediaTime: t0, payload: 'x' });
    s.run(t0 + 1_499);
    expect(s.released).toHaveLength(0);
    s.run(t0 + 1_600);
    expect(s.released).toHaveLength(1);
    expect(s.released[0]!.reason).toBe('cap');
    expect(s.released[0]!.at - t0).toBeLessThanOrEqual(1_500 + 1);
  });

  it('releases in media order, whatever the arrival order', () => {
    const s = setup({ delay: 300 });
    const t0 = s.now();
    s.tl.push({ id: 'late-moment', mediaTime: t0 + 50, payload: '2' });
    s.tl.push({ id: 'early-moment', mediaTime: t0 + 10, payload: '1' });
    s.run(t0 + 1_000);
    expect(s.released.map((r) => r.event.id)).toEqual(['early-moment', 'late-moment']);
    expect(s.released.map((r) => r.at - t0)).toEqual([310, 350]);
  });

  it('picks up a jump of presented media (re-checks while pending)', () => {
    const s = setup({ delay: 1_000 });
    const t0 = s.now();
    s.tl.push({ id: 'a', mediaTime: t0, payload: 'x' });
    s.run(t0 + 200);
    s.state.delay = 100; // alignment lowered the target: media jumps forward
    s.run(t0 + 400);
    expect(s.released).toHaveLength(1);
    expect(s.released[0]!.at - t0).toBeLessThanOrEqual(300);
  });

  it('flush, clear and dispose', () => {
    const s = setup({ delay: 1_000 });
    s.tl.push({ id: 'a', mediaTime: s.now(), payload: 'x' });
    s.tl.flush();
    expect(s.released).toHaveLength(1);
    s.tl.push({ id: 'b', mediaTime: s.now(), payload: 'y' });
    s.tl.clear();
    s.run(s.now() + 5_000);
    expect(s.released).toHaveLength(1);
    s.tl.dispose();
    s.tl.push({ id: 'c', mediaTime: 0, payload: 'z' });
    expect(s.released).toHaveLength(1);
  });
});
