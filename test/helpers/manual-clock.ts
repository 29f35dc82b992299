import type { Clock } from '../../src-shared/clock';

/** A clock tests move by hand. `offsetMs` shifts it from real time so servers still run on real timers. */
export class ManualClock implements Clock {
  constructor(private current: number = Date.now()) {}
  now(): number {
    return this.current;
  }
  set(epochMs: number): void {
    this.current = epochMs;
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/** Real time plus an adjustable skew: for a server (or client) whose clock is wrong by a known amount. */
export class SkewedClock implements Clock {
  constructor(public skewMs = 0) {}
  now(): number {
    return Date.now() + this.skewMs;
  }
}
