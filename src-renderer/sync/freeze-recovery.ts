/**
 * Freeze recovery: a remote video whose frames keep arriving but are no longer shown gets a key
 * frame asked for (see src-shared/sync/stall-detector.ts for when and why). The aligner feeds it
 * arrivals (from the receive transforms) and presentations (from the probes) per receiver entry, and
 * runs check() on its update timer. While the page is hidden nothing is presented, so nothing counts
 * as stalled.
 */
import { newStallState, noteArrival, noteShown, shouldRequestKeyFrame, type StallState } from '../../src-shared/sync/stall-detector';

export interface FreezeRecoveryDeps {
  /** Ask the sender behind this receiver entry for a key frame. */
  requestKeyFrame(entryId: string): void;
  now(): number;
  /** Whether the page is visible (frames are presented only then). */
  visible(): boolean;
}

export class FreezeRecovery {
  private readonly streams = new Map<string, StallState>(); // by receiver entry id
  private requests = 0;

  constructor(private readonly d: FreezeRecoveryDeps) {}

  /** Start watching a video receiver entry. */
  watch(entryId: string): void {
    if (!this.streams.has(entryId)) this.streams.set(entryId, newStallState(this.d.now()));
  }

  forget(entryId: string): void {
    this.streams.delete(entryId);
  }

  arrived(entryId: string): void {
    const s = this.streams.get(entryId);
    if (s) noteArrival(s, this.d.now());
  }

  shown(entryId: string): void {
    const s = this.streams.get(entryId);
    if (s) noteShown(s, this.d.now());
  }

  check(): void {
    const now = this.d.now();
    const visible = this.d.visible();
    for (const [id, s] of this.streams) {
      if (!visible) noteShown(s, now);
      else if (shouldRequestKeyFrame(s, now)) {
        this.requests++;
        this.d.requestKeyFrame(id);
      }
    }
  }

  /** Key frames asked for so far. */
  get keyFrameRequests(): number {
    return this.requests;
  }
}
