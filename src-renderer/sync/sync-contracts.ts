/**
 * The seams between the synchronizer's parts in the renderer (issue 4):
 * - the session clock (ping/pong over signaling) is used by publishers to stamp capture times and by
 *   everyone to time events;
 * - the media side (capture timestamps, presentation probes, the aligner) tells the event timeline
 *   what media time is on screen now and how late this viewer is.
 * All times are milliseconds. "Session time" is the server's clock as estimated by this client.
 */

export interface SessionClockLike {
  /** Session (server) time now, estimated. */
  now(): number;
  /** True once at least one good burst of samples has been taken. */
  readonly synced: boolean;
  /** Current error bound of `now()` (min-RTT/2 plus drift allowance), ms; Infinity before sync. */
  errorBoundMs(): number;
}

export interface PresentedMediaClock {
  /**
   * Session-clock capture time of the media being presented now (the common aligned timeline, or
   * the slowest stream when alignment is off), or null when nothing is playing.
   */
  presentedMediaTime(): number | null;
  /** This viewer's presentation delay (session now − presented capture time), or null. */
  ownDelayMs(): number | null;
}

export type SyncIndicatorState = 'inSync' | 'aligning' | 'degraded' | 'off';

export interface SyncStats {
  state: SyncIndicatorState;
  /** Per stream (publisherId:kind) measured presentation delay, applied jitterBufferTarget, and how
   *  long its media takes from capture to arriving here (before the jitter buffer). */
  streams: { key: string; kind: 'audio' | 'camera' | 'screen'; delayMs: number | null; targetMs: number; arrivalMs: number | null }[];
  /** Current skews between stream pairs, ms (positive: first is later). */
  skews: { pair: string; skewMs: number }[];
  clockErrorBoundMs: number;
}
