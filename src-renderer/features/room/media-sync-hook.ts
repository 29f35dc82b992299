/**
 * The plug for the synchronizer's media side (issue 4 items 2–3: capture timestamps, presentation
 * probes, the aligner) into a room session.
 *
 * RoomController calls the factory once per session, in start(), right after it created the
 * signaling client and the SessionClock (which pings while the client is live). The factory gets
 * getters rather than objects because peers exist only after `welcome` and are rebuilt per session:
 *
 *   import { setDefaultMediaSync } from './media-sync-hook';
 *   setDefaultMediaSync((deps) => {
 *     const aligner = new Aligner(deps.clock, ...);   // implements PresentedMediaClock
 *     const off = deps.subscribe(() => aligner.onRoom(deps.snapshot(), deps.peers()));
 *     return { clock: aligner, stats: () => aligner.stats(), dispose() { off(); aligner.stop(); } };
 *   });
 *
 * or per controller: `new RoomController(webinarId, { createMediaSync })`. The result's `clock`
 * drives the chat/Q&A event timeline and the `mediaTime` stamped on what this client sends; `stats()`
 * feeds the sync indicator and overlay (polled about twice a second; keep it cheap). `dispose()` is
 * called when the session stops (leave, end, unmount), before peers and local media are torn down.
 * Without a factory, NULL_MEDIA_SYNC is used: no presented media (events shown at once), state 'off'.
 */
import type { MediaManager } from '../../rtc/media-manager';
import type { PeerManager } from '../../rtc/peer-manager';
import type { PeerConnectionInfo } from '../../sync/capture-timestamps';
import type { SignalClient } from '../../rtc/signal-client';
import type { SessionClock } from '../../sync/session-clock';
import type { PresentedMediaClock, SyncStats } from '../../sync/sync-contracts';
import type { RoomSnapshot } from './room-controller';

export interface MediaSyncDeps {
  /** The session clock of this session (SessionClockLike plus toLocal/toSession/offsetMs). */
  clock: SessionClock;
  /** This session's signaling client. */
  signal: SignalClient;
  /** This session's local media (publisher side: the streams to timestamp). */
  media: MediaManager;
  /** The peer manager once `welcome` arrived; null before that and after stop. */
  peers(): PeerManager<MediaStream> | null;
  /** The room snapshot now (participants, remote streams, local state …). */
  snapshot(): RoomSnapshot;
  /** Called after every snapshot change. Returns unsubscribe. */
  subscribe(listener: () => void): () => void;
}

export interface MediaSync {
  /** What media this receiver presents now, and its own delay (for events it sends). */
  clock: PresentedMediaClock;
  stats(): SyncStats;
  dispose(): void;
  /** Every RTCPeerConnection of the session, as simple-peer creates it (capture-time transforms). */
  onPeerConnection?(pc: RTCPeerConnection, info: PeerConnectionInfo): void;
  /** The element a remote video track is shown in (null: no longer), so that what the user sees is
   *  what is measured. */
  presentOn?(track: MediaStreamTrack, element: HTMLVideoElement | null): void;
}

export type CreateMediaSync = (deps: MediaSyncDeps) => MediaSync;

export const NULL_PRESENTED_CLOCK: PresentedMediaClock = {
  presentedMediaTime: () => null,
  ownDelayMs: () => null,
};

/** The default: no media side. Events are shown on arrival; the indicator says 'off'. */
export const NULL_MEDIA_SYNC: CreateMediaSync = (deps) => ({
  clock: NULL_PRESENTED_CLOCK,
  stats: () => ({ state: 'off', streams: [], skews: [], clockErrorBoundMs: deps.clock.errorBoundMs() }),
  dispose: () => undefined,
});

let defaultFactory: CreateMediaSync = NULL_MEDIA_SYNC;

/** Set the factory used by controllers created without `createMediaSync` (call once at startup). */
export function setDefaultMediaSync(factory: CreateMediaSync | null): void {
  defaultFactory = factory ?? NULL_MEDIA_SYNC;
}

export function getDefaultMediaSync(): CreateMediaSync {
  return defaultFactory;
}
