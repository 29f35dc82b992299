/**
 * At most one refresh in flight, however many callers ask: concurrent callers share the promise of
 * the run already going. Refresh tokens rotate, so two parallel refreshes would race and the loser
 * would present a just-rotated token (reuse) and could get the whole session revoked.
 */
export class SingleFlight<T> {
  private inflight: Promise<T> | null = null;
  /** How many times `fn` actually ran (tests and metrics). */
  runs = 0;

  run(fn: () => Promise<T>): Promise<T> {
    if (this.inflight) return this.inflight;
    this.runs++;
    const p = (async () => fn())().finally(() => {
      if (this.inflight === p) this.inflight = null;
    });
    this.inflight = p;
    return p;
  }

  /** The run in flight, if any (to wait for it without starting one). */
  get current(): Promise<T> | null {
    return this.inflight;
  }

  get busy(): boolean {
    return this.inflight !== null;
  }

  /** Forget the current run (sign-out): later callers start a fresh one. */
  reset(): void {
    this.inflight = null;
  }
}
