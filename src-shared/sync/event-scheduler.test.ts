import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventScheduler, type ReleasedEvent } from './event-scheduler';

const ev = (id: string, mediaTime: number) => ({ id, mediaTime, payload: id });

/** Receiver presenting media `delay` ms old: mediaNow = now + lead, lead = offset − delay. */
const LEAD = -200;
const media = (now: number) => now + LEAD;

describe('EventScheduler', () => {
  it('holds an event until the presented media reaches its media time', () => {
    const s = new EventScheduler<string>();
    s.push(ev('a', 1_000), 900); // arrives at local 900, media then shows 700
    expect(s.release(900, media(900))).toEqual([]);
    expect(s.nextWakeAt(900, media(900))).toBe(1_200);
    expect(s.release(1_199, media(1_199))).toEqual([]);
    const out = s.release(1_200, media(1_200));
    expect(out.map((r) => [r.event.id, r.reason, r.releasedAt])).toEqual([['a', 'due', 1_200]]);
    expect(s.size).toBe(0);
    expect(s.nextWakeAt(1_200, media(1_200))).toBeNull();
  });

  it('releases at once an event whose media time has passed', () => {
    const s = new EventScheduler<string>();
    s.push(ev('a', 500), 900);
    expect(s.nextWakeAt(900, media(900))).toBe(700);
    expect(s.release(900, media(900)).map((r) => r.reason)).toEqual(['due']);
  });

  it('never holds longer than the cap', () => {
    const s = new EventScheduler<string>({ maxHoldMs: 1_500 });
    s.push(ev('future', 1_000_000), 0); // a sender's clock far off
    expect(s.nextWakeAt(0, media(0))).toBe(1_500);
    expect(s.release(1_499, media(1_499))).toEqual([]);
    expect(s.release(1_500, media(1_500)).map((r) => [r.event.id, r.reason])).toEqual([['future', 'cap']]);
  });

  it('releases in media order, whatever the arrival order', () => {
    const s = new EventScheduler<string>();
    s.push(ev('c', 1_300), 1_000);
    s.push(ev('a', 1_100), 1_010);
    s.push(ev('b', 1_200), 1_020);
    s.push(ev('b2', 1_200), 1_030); // tie: arrival order
    expect(s.release(1_600, media(1_600)).map((r) => r.event.id)).toEqual(['a', 'b', 'b2', 'c']);
  });

  it('a capped event pulls out the earlier-media events pending before it', () => {
    const s = new EventScheduler<string>({ maxHoldMs: 1_000 });
    s.push(ev('late-sent', 5_000), 0); // capped at 1000
    s.push(ev('earlier', 4_000), 500); // would be capped at 1500 only
    const out = s.release(1_000, media(1_000));
    expect(out.map((r) => [r.event.id, r.reason])).toEqual([
      ['earlier', 'order'],
      ['late-sent', 'cap'],
    ]);
  });

  it('flags an event that arrives after later-media events were shown', () => {
    const s = new EventScheduler<string>();
    s.push(ev('b', 1_000), 1_300);
    expect(s.release(1_300, media(1_300))[0]!.outOfOrder).toBe(false);
    s.push(ev('a', 900), 1_400); // a viewer with a longer delay sent it
    const out = s.release(1_400, media(1_400));
    expect(out.map((r) => [r.event.id, r.outOfOrder])).toEqual([['a', true]]);
  });

  it('a late joiner gets the backlog at once, in media order', () => {
    const s = new EventScheduler<string>();
    const backlog = [ev('m3', 3_000), ev('m1', 1_000), ev('m2', 2_000)];
    for (const e of backlog) s.push(e, 60_000);
    s.push(ev('live', 60_100), 60_000);
    const out = s.release(60_000, media(60_000));
    expect(out.map((r) => r.event.id)).toEqual(['m1', 'm2', 'm3']);
    expect(s.size).toBe(1);
    expect(s.nextWakeAt(60_000, media(60_000))).toBe(60_300);
  });

  it('ignores a duplicate of a pending event, and clear() empties it', () => {
    const s = new EventScheduler<string>();
    s.push(ev('a', 10_000), 0);
    s.push(ev('a', 10_000), 5);
    expect(s.size).toBe(1);
    s.clear();
    expect(s.size).toBe(0);
  });

  it('property: never before media time unless capped (or pulled by a capped later one), never after the cap, in media order within a batch', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ arriveAt: fc.integer({ min: 0, max: 10_000 }), mediaOffset: fc.integer({ min: -3_000, max: 5_000 }) }), { maxLength: 40 }),
        fc.integer({ min: -500, max: 0 }),
        fc.integer({ min: 0, max: 3_000 }),
        (arrivals, lead, cap) => {
          const s = new EventScheduler<number>({ maxHoldMs: cap });
          const sorted = [...arrivals].sort((a, b) => a.arriveAt - b.arriveAt);
          const released: ReleasedEvent<number>[] = [];
          let k = 0;
          let now = 0;
          // Drive it as the renderer would: wake at nextWakeAt or at the next arrival.
          while (k < sorted.length || s.size > 0) {
            while (k < sorted.length && sorted[k]!.arriveAt <= now) {
              const a = sorted[k]!;
              s.push({ id: String(k), mediaTime: a.arriveAt + a.mediaOffset, payload: k }, now);
              k++;
            }
            const batch = s.release(now, now + lead);
            for (let i = 1; i < batch.length; i++) expect(batch[i]!.event.mediaTime).toBeGreaterThanOrEqual(batch[i - 1]!.event.mediaTime);
            released.push(...batch);
            const wake = s.nextWakeAt(now, now + lead);
            const nextArrival = k < sorted.length ? sorted[k]!.arriveAt : Infinity;
            const next = Math.min(wake ?? Infinity, nextArrival);
            if (!Number.isFinite(next)) break;
            now = Math.max(now, next);
          }
          expect(released.length).toBe(arrivals.length);
          for (const r of released) {
            const capAt = r.arrivedAt + cap;
            expect(r.releasedAt).toBeLessThanOrEqual(Math.max(r.arrivedAt, Math.min(capAt, r.event.mediaTime - lead)));
            if (r.reason === 'due') expect(r.releasedAt + lead).toBeGreaterThanOrEqual(r.event.mediaTime);
            if (r.reason === 'cap') expect(r.releasedAt).toBeGreaterThanOrEqual(capAt);
            if (r.reason === 'order') {
              const puller = released.find((x) => x.releasedAt === r.releasedAt && x.reason === 'cap' && x.event.mediaTime >= r.event.mediaTime);
              expect(puller).toBeDefined();
            }
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
