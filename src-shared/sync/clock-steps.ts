/**
 * Steps of the session clock's estimate, seen from its offset (session − local time) read now and
 * then. A resync that finds a tighter anchor steps the offset at once; between resyncs it moves
 * only with the estimated drift (≤ 250 ppm: a few µs between two reads 50 ms apart), which is not a
 * step. Pure: the caller reads the offset and passes it in.
 */
export class ClockSteps {
  private last: number | null = null;

  /** `thresholdMs`: a change of the offset larger than this between two reads is a step. */
  constructor(private readonly thresholdMs = 0.25) {}

  /** The offset read now, ms; returns the step since the last read (0 when none). */
  read(offsetMs: number): number {
    if (!Number.isFinite(offsetMs)) return 0;
    const last = this.last;
    this.last = offsetMs;
    return last !== null && Math.abs(offsetMs - last) > this.thresholdMs ? offsetMs - last : 0;
  }
}
