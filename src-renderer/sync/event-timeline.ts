/**
 * Events on the media timeline (issue 4, item 4), the browser side of EventScheduler: incoming chat
 * messages / Q&A answers carrying `mediaTime` are held until this receiver's presented media reaches
 * that moment (PresentedMediaClock.presentedMediaTime(), session ms), released at once when it has
 * already passed or when nothing is playing (null), and never held longer than `maxHoldMs`.
 *
 * It re-arms one timer at the scheduler's next wake time (assuming media advances with the local
 * clock), and re-checks at least every `maxSleepMs` in case presented media jumps (a stall, a new
 * alignment target).
 */
import { EventScheduler, type ReleasedEvent, type TimedEvent } from '../../src-shared/sync/event-scheduler';
import type { PresentedMediaClock } from './sync-contracts';

export interface EventTimelineDeps<T> {
  /** The media side, or null (no media sync: events go out at once). Read on every check. */
  media: () => PresentedMediaClock | null;
  /** Called with events to show now, in media order. */
  onRelease: (released: ReleasedEvent<T>[]) => void;
  /** Local clock, ms (only differences are used). Default: performance.timeOrigin + performance.now(). */
  localNow?: () => number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  /** Longest an event is held after arrival, ms. Default 1500. */
  maxHoldMs?: number;
  /** Longest sleep between checks while something is pending, ms. Default 100. */
  maxSleepMs?: number;
}

export const DEFAULT_EVENT_HOLD_CAP_MS = 1_500;

export class EventTimeline<T> {
  private readonly scheduler: EventScheduler<T>;
  private readonly localNow: () => number;
  private readonly setT: (fn: () => void, ms: number) => unknown;
  private readonly clearT: (handle: unknown) => void;
  private readonly maxSleepMs: number;
  private timer: unknown = null;
  private disposed = false;

  constructor(private readonly deps: EventTimelineDeps<T>) {
    this.scheduler = new EventScheduler<T>({ maxHoldMs: deps.maxHoldMs ?? DEFAULT_EVENT_HOLD_CAP_MS });
    this.localNow = deps.localNow ?? (() => performance.timeOrigin + performance.now());
    this.setT = deps.setTimeout ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearT = deps.clearTimeout ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>));
    this.maxSleepMs = deps.maxSleepMs ?? 100;
  }

  /** An event arrived. Released synchronously (from inside this call) when already due. */
  push(event: TimedEvent<T>): void {
    if (this.disposed) return;
    this.scheduler.push(event, this.localNow());
    this.check();
  }

  /** Events pending. */
  get size(): number {
    return this.scheduler.size;
  }

  /** Release everything pending now (e.g. the media side went away). */
  flush(): void {
    if (this.disposed) return;
    const out = this.scheduler.release(this.localNow(), Number.POSITIVE_INFINITY);
    this.stopTimer();
    if (out.length > 0) this.deps.onRelease(out);
  }

  /** Drop everything pending (leaving, or a welcome replaced the history). */
  clear(): void {
    this.scheduler.clear();
    this.stopTimer();
  }

  dispose(): void {
    this.clear();
    this.disposed = true;
  }

  private mediaNow(): number {
    const m = this.deps.media()?.presentedMediaTime();
    // Nothing playing: nothing to wait for.
    return m == null || !Number.isFinite(m) ? Number.POSITIVE_INFINITY : m;
  }

  private check = (): void => {
    this.stopTimer();
    if (this.disposed) return;
    const now = this.localNow();
    const mediaNow = this.mediaNow();
    const out = this.scheduler.release(now, mediaNow);
    if (out.length > 0) this.deps.onRelease(out);
    const wake = this.scheduler.nextWakeAt(now, mediaNow);
    if (wake === null || this.disposed) return;
    this.timer = this.setT(this.check, Math.min(this.maxSleepMs, Math.max(0, wake - now)));
  };

  private stopTimer(): void {
    if (this.timer !== null) this.clearT(this.timer);
    this.timer = null;
  }
}
