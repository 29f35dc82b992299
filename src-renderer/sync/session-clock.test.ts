import { describe, expect, it } from 'vitest';
import type { ClientMessage, ServerMessageOf } from '../../src-shared/signaling-protocol';
import { SessionClock, type ClockTransport } from './session-clock';

/**
 * A simulated world: one true time axis `t`; the client's local clock reads
 * t·(1 + drift) + offset0 (so serverTime − local ≈ −offset0); the server answers with t.
 * Messages take `up` ms to reach the server and `down` ms back (plus optional jitter).
 */
class World {
  t = 0;
  private timers: Array<{ at: number; fn: () => void; id: number }> = [];
  private seq = 0;
  /** Shared with the transport (read through `transport.state`). */
  private readonly conn = { status: 'connecting' };
  private stateListeners = new Set<(s: { status: string }) => void>();
  private pongListeners = new Set<(m: ServerMessageOf<'clock.pong'>) => void>();
  sent: ClientMessage[] = [];
  drop = false;

  constructor(
    readonly localOffset: number,
    readonly driftPpm: number,
    readonly up: () => number,
    readonly down: () => number,
  ) {}

  local = (): number => this.t * (1 + this.driftPpm * 1e-6) + this.localOffset;
  /** True serverTime − localTime at this instant. */
  trueOffset(): number {
    return this.t - this.local();
  }

  setTimeout = (fn: () => void, ms: number): unknown => {
    // The client's timers run on its local clock; close enough for ppm drift.
    const id = this.seq++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  };
  clearTimeout = (h: unknown): void => {
    this.timers = this.timers.filter((x) => x.id !== h);
  };

  transport: ClockTransport = {
    send: (m) => {
      if (this.conn.status !== 'live') return false;
      this.sent.push(m);
      if (m.type === 'clock.ping' && !this.drop) {
        const at = this.t + this.up();
        this.setTimeout(() => {
          const pong = { type: 'clock.pong' as const, id: m.id, t0: m.t0, serverTime: this.t };
          this.setTimeout(() => this.pongListeners.forEach((l) => l(pong)), this.down());
        }, at - this.t);
      }
      return true;
    },
    onMessage: (_type, l) => {
      this.pongListeners.add(l);
      return () => this.pongListeners.delete(l);
    },
    on: (_event, l) => {
      this.stateListeners.add(l);
      return () => this.stateListeners.delete(l);
    },
    state: this.conn,
  };

  setStatus(status: string): void {
    this.conn.status = status;
    this.stateListeners.forEach((l) => l({ status }));
  }

  inject(m: ServerMessageOf<'clock.pong'>): void {
    this.pongListeners.forEach((l) => l(m));
  }

  run(untilT: number): void {
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > untilT) break;
      this.timers.shift();
      this.t = Math.max(this.t, next.at);
      next.fn();
    }
    this.t = untilT;
  }
}

function make(localOffset: number, driftPpm: number, up: () => number, down: () => number) {
  const w = new World(localOffset, driftPpm, up, down);
  const clock = new SessionClock({ transport: w.transport, localNow: w.local, setTimeout: w.setTimeout, clearTimeout: w.clearTimeout });
  return { w, clock };
}

/** Deterministic pseudo-random in [0, 1). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('SessionClock', () => {
  it('does nothing until live; then a burst of 8 pings, 50 ms apart, and synced', () => {
    const { w, clock } = make(3_700, 0, () => 5, () => 5);
    w.run(1_000);
    expect(w.sent).toHaveLength(0);
    expect(clock.synced).toBe(false);
    expect(clock.errorBoundMs()).toBe(Number.POSITIVE_INFINITY);
    w.setStatus('live');
    w.run(1_500);
    expect(w.sent.filter((m) => m.type === 'clock.ping')).toHaveLength(8);
    expect(clock.synced).toBe(true);
    // Symmetric 5/5 ms: exact offset; bound = rtt/2.
    expect(clock.offsetMs()).toBeCloseTo(w.trueOffset(), 6);
    expect(Math.abs(clock.now() - w.t)).toBeLessThan(1e-6);
    expect(clock.errorBoundMs()).toBeGreaterThanOrEqual(5);
    expect(clock.errorBoundMs()).toBeLessThan(5.5);
  });

  it('asymmetric delay: error within min-RTT/2, and the bound holds', () => {
    const { w, clock } = make(-12_345.6, 0, () => 9, () => 1);
    w.setStatus('live');
    w.run(1_000);
    const err = Math.abs(clock.now() - w.t);
    expect(err).toBeCloseTo(4, 6); // (up − down)/2
    expect(err).toBeLessThanOrEqual(clock.errorBoundMs());
  });

  it('jittery path: min-RTT filtering picks the quiet sample', () => {
    const r = rng(7);
    // Usually 1 ms each way, sometimes 40 ms queueing upstream.
    const { w, clock } = make(500, 0, () => (r() < 0.6 ? 40 * r() : 1), () => 1 + 0.2 * r());
    w.setStatus('live');
    w.run(2_000);
    expect(Math.abs(clock.now() - w.t)).toBeLessThan(1.5);
    expect(Math.abs(clock.now() - w.t)).toBeLessThanOrEqual(clock.errorBoundMs());
  });

  it('resyncs periodically and tracks +200 ppm drift over minutes, staying within its bound', () => {
    const r = rng(3);
    const { w, clock } = make(3_700, 200, () => 0.5 + r(), () => 0.5 + r());
    w.setStatus('live');
    let worst = 0;
    let boundViolations = 0;
    for (let t = 2_000; t <= 180_000; t += 250) {
      w.run(t);
      const err = Math.abs(clock.now() - w.t);
      worst = Math.max(worst, err);
      if (err > clock.errorBoundMs() + 1e-9) boundViolations++;
    }
    const pings = w.sent.filter((m) => m.type === 'clock.ping').length;
    // About a burst of 8 every ≤ 10 s.
    expect(pings).toBeGreaterThanOrEqual(8 * 17);
    expect(pings).toBeLessThan(8 * 100);
    expect(boundViolations).toBe(0);
    expect(worst).toBeLessThan(2);
    expect(clock.driftPpm).toBeGreaterThan(-260);
    expect(clock.driftPpm).toBeLessThan(-140);
  });

  it('ignores pongs it did not ask for (liveness probes, forged, stale t0)', () => {
    const { w, clock } = make(1_000, 0, () => 2, () => 2);
    w.setStatus('live');
    w.inject({ type: 'clock.pong', id: 2 ** 40, t0: 0, serverTime: 1e12 });
    w.run(30); // first ping in flight
    w.inject({ type: 'clock.pong', id: 0, t0: 123, serverTime: 1e12 }); // wrong t0
    w.run(1_000);
    expect(clock.counts.ignored).toBe(2);
    expect(Math.abs(clock.now() - w.t)).toBeLessThan(1e-6);
  });

  it('pauses while not live and bursts again on reconnect', () => {
    const { w, clock } = make(0, 0, () => 3, () => 3);
    w.setStatus('live');
    w.run(1_000);
    const afterFirst = w.sent.length;
    w.setStatus('reconnecting');
    w.run(30_000);
    expect(w.sent.length).toBe(afterFirst);
    expect(clock.synced).toBe(true); // the estimate survives
    w.setStatus('live');
    w.run(30_500);
    expect(w.sent.length).toBe(afterFirst + 8);
  });

  it('stops on dispose', () => {
    const { w, clock } = make(0, 0, () => 3, () => 3);
    w.setStatus('live');
    w.run(100);
    clock.dispose();
    const n = w.sent.length;
    w.run(60_000);
    expect(w.sent.length).toBe(n);
  });

  it('a lost burst does not make it synced; pings still go out on schedule', () => {
    const { w, clock } = make(0, 0, () => 3, () => 3);
    w.drop = true;
    w.setStatus('live');
    w.run(5_000);
    expect(clock.synced).toBe(false);
    expect(clock.now()).toBeCloseTo(w.local(), 6);
    w.drop = false;
    w.run(15_000);
    expect(clock.synced).toBe(true);
  });
});
