/**
 * The common presentation delay T that a receiver's streams are brought to (see delay-controller.ts):
 * set by the slowest stream, risen to at once, fallen to only after a hold. Pure: time is an argument.
 */
import type { StreamDelayModel } from './stream-delay-model';

/** What the pace reads of a stream's model. */
export type PacedStream = Pick<StreamDelayModel, 'natural' | 'naturalHigh' | 'binding'>;

export class Pace {
  /** The common delay aimed at, ms; null before any stream is measured. */
  private target: number | null = null;
  private lowerSince: number | null = null;

  /** The clock the delays are measured on stepped by `deltaMs`: the pace moves with them. */
  shift(deltaMs: number): void {
    if (this.target !== null) this.target += deltaMs;
  }

  /**
   * Re-evaluate from the measured streams at `now`. `band(s)`: the noise band of a stream's delay;
   * `maxAddedMs`: the cap on the delay added to anyone; `decreaseHoldMs`: how long a lower pace must
   * persist before it is followed; `floorMs`: the lowest pace (the playout floor, see
   * DelayController.initialTarget).
   */
  update<S extends PacedStream>(measured: S[], now: number, band: (s: S) => number, maxAddedMs: number, decreaseHoldMs: number, floorMs = 0): number | null {
    if (measured.length === 0) {
      this.target = null;
      this.lowerSince = null;
      return null;
    }
    // The pace is set at the upper end of the slowest stream's own wander, not its middle: floored
    // there, that stream holds still too instead of dragging every pair with its jitter.
    // A stream whose floor does not bind plays at its natural delay: that counts too when it has
    // risen above the wander learnt before the stream was floored (seen in bench:sync: a screen
    // floored at 170 playing at its natural 190 ms while the pace stayed at its old 175).
    // Nothing is added on top of the pace: a stream floored at T and read as not binding counts
    // its delay, T, as natural, so a margin goes on top again. With a 25 ms margin, bench:sync's
    // pace climbed 28–64 ms at a time and fell back after the hold, every few seconds (2 runs:
    // added delay p50 150 and 83 ms, max 217 and 244; camera–audio p95 66 and 68 ms).
    const highs = measured.map((s) => Math.max(s.naturalHigh ?? s.natural!, s.binding ? Number.NEGATIVE_INFINITY : s.natural!));
    const maxHigh = Math.max(...highs);
    const capped = Math.min(...measured.map((s) => s.natural!)) + maxAddedMs;
    const wanted = Math.max(floorMs, Math.min(maxHigh, capped));
    const b = band(measured[highs.indexOf(maxHigh)]!);
    // The cap binds at once (a newly measured fast stream must not be held back by more than it);
    // only a lower natural pace waits out the hold.
    if (this.target === null || wanted > this.target + b || this.target > capped) {
      this.target = wanted;
      this.lowerSince = null;
    } else if (wanted < this.target - b) {
      this.lowerSince ??= now;
      if (now - this.lowerSince >= decreaseHoldMs) {
        this.target = wanted;
        this.lowerSince = null;
      }
    } else {
      this.lowerSince = null;
    }
    return this.target;
  }
}
