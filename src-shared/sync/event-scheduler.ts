/**
 * Events on the media timeline: chat messages, Q&A answers and host actions are shown when this
 * receiver's presented media reaches the moment their sender was seeing, so "look at this" appears
 * with the slide it refers to rather than 400 ms before it.
 *
 * Each event carries `mediaTime` (session clock; see eventMediaTime in media-timeline.ts). A receiver
 * presents media of session time mediaNow = sessionNow − its presentation delay. An event is due
 * when mediaNow ≥ mediaTime; it is released at once if already due on arrival, and never held more
 * than `maxHoldMs` after arrival (a sender with a broken clock or a stalled stream must not make
 * chat disappear).
 *
 * Order: released events come out in media order. When the cap forces an event out early, pending
 * events with an earlier (or equal) media time are released with it, so the chat never shows a later
 * moment above an earlier one that then pops in. Only an event that arrives after a later-media
 * event was already released can come out of order; it is flagged `outOfOrder` so the UI inserts it
 * in place rather than appending.
 *
 * Pure: the caller passes local time `now` and the presented media time `mediaNow` (session ms), and
 * calls release() again at nextWakeAt().
 */

export interface TimedEvent<T> {
  /** Unique id; a second push with a pending id is ignored. */
  id: string;
  /** Session time of the media the sender was seeing when sending, ms. */
  mediaTime: number;
  payload: T;
}

export type ReleaseReason = 'due' | 'cap' | 'order';

export interface ReleasedEvent<T> {
  event: TimedEvent<T>;
  /** Local time it arrived (push) and was released, ms. */
  arrivedAt: number;
  releasedAt: number;
  /** due: media reached it; cap: held for maxHoldMs; order: pulled out with a later capped event. */
  reason: ReleaseReason;
  /** An event with a later mediaTime had already been released. */
  outOfOrder: boolean;
}

export interface EventSchedulerOptions {
  /** Longest an event is held after arrival, ms. */
  maxHoldMs?: number;
}

interface Pending<T> {
  event: TimedEvent<T>;
  arrivedAt: number;
  seq: number;
}

export class EventScheduler<T> {
  private readonly maxHoldMs: number;
  /** Sorted by (mediaTime, arrival seq). */
  private pending: Pending<T>[] = [];
  private seq = 0;
  private latestReleasedMediaTime = Number.NEGATIVE_INFINITY;

  constructor(opts: EventSchedulerOptions = {}) {
    this.maxHoldMs = Math.max(0, opts.maxHoldMs ?? 1_500);
  }

  /** An event arrived at local time `now`. Call release() afterwards (it may already be due). */
  push(event: TimedEvent<T>, now: number): void {
    if (this.pending.some((p) => p.event.id === event.id)) return;
    const item: Pending<T> = { event, arrivedAt: now, seq: this.seq++ };
    // Insertion keeps the list sorted; chat rates make this cheap.
    let i = this.pending.length;
    while (i > 0 && this.pending[i - 1]!.event.mediaTime > event.mediaTime) i--;
    this.pending.splice(i, 0, item);
  }

  /** Events to show now, in media order. */
  release(now: number, mediaNow: number): ReleasedEvent<T>[] {
    // The last index that must go: due by media time, or capped (and everything before a capped one).
    let cut = -1;
    const reasons: ReleaseReason[] = [];
    for (let i = 0; i < this.pending.length; i++) {
      const p = this.pending[i]!;
      if (p.event.mediaTime <= mediaNow) {
        reasons[i] = 'due';
        cut = i;
      } else if (now >= p.arrivedAt + this.maxHoldMs) {
        reasons[i] = 'cap';
        cut = i;
      }
    }
    if (cut < 0) return [];
    const out = this.pending.splice(0, cut + 1).map((p, i): ReleasedEvent<T> => {
      const outOfOrder = p.event.mediaTime < this.latestReleasedMediaTime;
      this.latestReleasedMediaTime = Math.max(this.latestReleasedMediaTime, p.event.mediaTime);
      return { event: p.event, arrivedAt: p.arrivedAt, releasedAt: now, reason: reasons[i] ?? 'order', outOfOrder };
    });
    return out;
  }

  /**
   * Local time at which release() should next be called, assuming presented media advances at the
   * local clock's rate from (now, mediaNow); null when nothing is pending. May be ≤ now: call at once.
   */
  nextWakeAt(now: number, mediaNow: number): number | null {
    let wake: number | null = null;
    for (const p of this.pending) {
      const due = Math.min(now + (p.event.mediaTime - mediaNow), p.arrivedAt + this.maxHoldMs);
      wake = wake === null ? due : Math.min(wake, due);
    }
    return wake;
  }

  get size(): number {
    return this.pending.length;
  }

  /** Drop everything pending (e.g. leaving the room). */
  clear(): void {
    this.pending = [];
  }
}
