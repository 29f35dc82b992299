/**
 * The session clock (issue 4, item 1): this client's estimate of the server's clock, over the
 * signaling WebSocket. While the signal client is live it sends `clock.ping {id, t0}` on the
 * ResyncSchedule (a burst of 8 at join / reconnect, then every 10 s, sooner when the bound ages) and
 * feeds each `clock.pong` to the pure ClockEstimator (min-RTT filter, drift regression, jump reset).
 *
 * The local clock must be monotonic: performance.timeOrigin + performance.now() (injected for tests).
 * Ping ids are a small counter from 0; pongs whose id we did not send (the signal client's liveness
 * probes use ids ≥ 2^40) or that we already gave up on are ignored.
 */
import type { ClientMessage, ServerMessageOf } from '../../src-shared/signaling-protocol';
import { ClockEstimator, type ClockEstimate, type ClockEstimatorOptions, type SampleVerdict } from '../../src-shared/sync/clock-estimator';
import { DEFAULT_RESYNC_POLICY, ResyncSchedule, type ResyncPolicy } from '../../src-shared/sync/resync-schedule';
import type { SessionClockLike } from './sync-contracts';

/** The part of the SignalClient the session clock uses (SignalClient satisfies it). */
export interface ClockTransport {
  /** Sends when live; false when not. */
  send(message: ClientMessage): boolean;
  onMessage(type: 'clock.pong', listener: (message: ServerMessageOf<'clock.pong'>) => void): () => void;
  on(event: 'state', listener: (state: { status: string }) => void): () => void;
  readonly state: { status: string };
}

export interface SessionClockDeps {
  transport: ClockTransport;
  /** Monotonic local clock in epoch-like ms. Default: performance.timeOrigin + performance.now(). */
  localNow?: () => number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  policy?: ResyncPolicy;
  estimator?: ClockEstimatorOptions;
  /** Accepted samples needed before `synced` (within the first burst). Default 3. */
  samplesToSync?: number;
  /** How long the schedule may sleep before re-checking whether the bound has degraded, ms. */
  maxSleepMs?: number;
}

export const defaultLocalNow = (): number => performance.timeOrigin + performance.now();

export class SessionClock implements SessionClockLike {
  private readonly estimator: ClockEstimator;
  private readonly schedule: ResyncSchedule;
  private readonly localNow: () => number;
  private readonly setT: (fn: () => void, ms: number) => unknown;
  private readonly clearT: (handle: unknown) => void;
  private readonly samplesToSync: number;
  private readonly maxSleepMs: number;
  private readonly maxRttMs: number;
  private readonly pending = new Map<number, number>(); // id → t0
  private nextId = 0;
  private timer: unknown = null;
  private accepted = 0;
  private wasSynced = false;
  private disposed = false;
  private readonly unsubscribe: Array<() => void> = [];
  private readonly listeners = new Set<() => void>();
  /** Counters for diagnostics and tests. */
  readonly counts = { sent: 0, received: 0, ignored: 0, accepted: 0, rejected: 0, suspect: 0, reset: 0 };

  constructor(private readonly deps: SessionClockDeps) {
    this.localNow = deps.localNow ?? defaultLocalNow;
    this.setT = deps.setTimeout ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearT = deps.clearTimeout ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    this.samplesToSync = Math.max(1, deps.samplesToSync ?? 3);
    this.maxSleepMs = deps.maxSleepMs ?? 500;
    this.maxRttMs = deps.estimator?.maxRttMs ?? 2_000;
    this.estimator = new ClockEstimator(deps.estimator);
    this.schedule = new ResyncSchedule(deps.policy ?? DEFAULT_RESYNC_POLICY);
    const t = deps.transport;
    this.unsubscribe.push(t.onMessage('clock.pong', (m) => this.onPong(m)));
    this.unsubscribe.push(t.on('state', (s) => this.onState(s.status)));
    if (t.state.status === 'live') this.onState('live');
  }

  // ---- SessionClockLike ----------------------------------------------------------------------------

  /** Session (server) time now; before sync, the local clock (offset 0). */
  now(): number {
    return this.estimator.serverNow(this.localNow());
  }

  get synced(): boolean {
    return this.estimator.synced && this.accepted >= this.samplesToSync;
  }

  errorBoundMs(): number {
    return this.synced ? this.estimator.errorBound(this.localNow()) : Number.POSITIVE_INFINITY;
  }

  // ---- more --------------------------------------------------------------------------------------

  /** serverTime − localTime now, ms (0 before sync). */
  offsetMs(): number {
    return this.estimator.offsetAt(this.localNow());
  }

  get driftPpm(): number {
    return this.estimator.driftPpm;
  }

  estimate(): ClockEstimate {
    return { ...this.estimator.estimate(this.localNow()), synced: this.synced };
  }

  /** Local (monotonic) time now, the clock this estimate is relative to. */
  local(): number {
    return this.localNow();
  }

  /** Session time at a local time (e.g. a frame's presentation time). */
  toSession(localTime: number): number {
    return this.estimator.serverNow(localTime);
  }

  /** Local time at which the session clock reads `sessionTime`. */
  toLocal(sessionTime: number): number {
    return this.estimator.toLocal(sessionTime);
  }

  /** Called when `synced` changes (and after each resync burst settles). Returns unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.stopTimer();
    for (const u of this.unsubscribe.splice(0)) u();
    this.listeners.clear();
    this.pending.clear();
  }

  // ---- internals ---------------------------------------------------------------------------------

  private onState(status: string): void {
    if (this.disposed) return;
    if (status === 'live') {
      // A new connection: a new path, maybe a new server. Start with a burst; keep what we know
      // (the estimator's consistency check resets it if the new samples disagree).
      this.schedule.reset();
      this.pending.clear();
      this.tick();
    } else {
      this.stopTimer();
      this.pending.clear();
    }
  }

  private stopTimer(): void {
    if (this.timer !== null) this.clearT(this.timer);
    this.timer = null;
  }

  private tick = (): void => {
    this.timer = null;
    if (this.disposed || this.deps.transport.state.status !== 'live') return;
    let now = this.localNow();
    const input = () => ({ errorBoundMs: this.estimator.errorBound(now), freshBoundMs: this.estimator.freshBoundMs });
    if (this.schedule.nextPingAt(now, input()) <= now) {
      this.sendPing(now);
      now = this.localNow();
    }
    const due = this.schedule.nextPingAt(now, input());
    this.timer = this.setT(this.tick, Math.min(this.maxSleepMs, Math.max(0, due - now)));
  };

  private sendPing(now: number): void {
    // Forget pings that can no longer give a usable sample.
    for (const [id, t0] of this.pending) if (now - t0 > this.maxRttMs) this.pending.delete(id);
    const id = this.nextId++;
    const t0 = this.localNow();
    if (!this.deps.transport.send({ type: 'clock.ping', id, t0 })) return;
    this.pending.set(id, t0);
    this.schedule.onPingSent(now);
    this.counts.sent++;
  }

  private onPong(m: ServerMessageOf<'clock.pong'>): void {
    const t1 = this.localNow();
    const t0 = this.pending.get(m.id);
    if (t0 === undefined || t0 !== m.t0) {
      this.counts.ignored++;
      return;
    }
    this.pending.delete(m.id);
    this.counts.received++;
    const verdict: SampleVerdict = this.estimator.addSample({ t0, serverTime: m.serverTime, t1 });
    this.counts[verdict]++;
    if (verdict === 'reset') this.accepted = 1;
    else if (verdict === 'accepted') this.accepted++;
    const synced = this.synced;
    if (synced !== this.wasSynced || this.pending.size === 0) {
      this.wasSynced = synced;
      for (const l of [...this.listeners]) l();
    }
  }
}
