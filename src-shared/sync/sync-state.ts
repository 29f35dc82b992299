/**
 * The receiver's sync state (in sync / aligning / degraded) from its streams' measured delays, with
 * hysteresis (see judge()). Pure.
 */
export type SyncState = 'inSync' | 'aligning' | 'degraded';

export interface MeasuredDelay {
  stream: string;
  /** Recent median delay, ms; null while the stream is still being measured. */
  delayMs: number | null;
  /** Its standard error, ms. */
  se: number;
}

export class SyncStateJudge {
  /** Whether the last judgement was 'inSync'. */
  private inSync = false;

  /**
   * The state is judged on measured delays (a ramp still finishing does not stop us saying "in
   * sync" once the delays already agree), but those are medians of a few hundred ms of jittery
   * samples: with ±20 ms jitter the spread of three aligned streams exceeds a 20 ms tolerance now
   * and then by chance alone, and a bare threshold made the indicator flicker to 'aligning' while
   * the true skew was a few ms. So the state has hysteresis sized by the same evidence rule as the
   * deadband: we enter 'inSync' when the measured spread is within the tolerance, and leave it only
   * when the spread exceeds the tolerance by more than 3 standard errors of that spread (noise
   * cannot explain it). A new or unmeasured stream, or a late one (`late`: beyond what alignment may
   * add), ends 'inSync' at once.
   */
  judge(streams: MeasuredDelay[], late: boolean, toleranceMs: number): SyncState {
    const known = streams.filter((d) => d.delayMs !== null);
    if (late || known.length < streams.length) {
      this.inSync = false;
    } else if (known.length > 0) {
      const lo = known.reduce((m, d) => (d.delayMs! < m.delayMs! ? d : m));
      const hi = known.reduce((m, d) => (d.delayMs! > m.delayMs! ? d : m));
      const spread = hi.delayMs! - lo.delayMs!;
      if (spread <= toleranceMs) this.inSync = true;
      else if (spread > toleranceMs + 3 * Math.hypot(hi.se, lo.se)) this.inSync = false;
    } else {
      this.inSync = true; // nothing to align
    }
    return late ? 'degraded' : this.inSync ? 'inSync' : 'aligning';
  }
}
