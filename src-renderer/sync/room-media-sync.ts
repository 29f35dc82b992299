/**
 * Plugs the synchronizer's media side (capture timestamps, presentation probes, the aligner) into
 * a room session through the hook in features/room/media-sync-hook.ts: every peer connection gets
 * the transforms, and every publisher's remote streams are probed and aligned.
 */
import type { CreateMediaSync } from '../features/room/media-sync-hook';
import { createMediaSync } from './aligner';

export const createRoomMediaSync: CreateMediaSync = (deps) => {
  const sync = createMediaSync({ sessionClock: deps.clock });
  let known = new Set<string>();
  const follow = () => {
    const remote = deps.snapshot().remote;
    for (const [publisherId, media] of remote) sync.setRemoteMedia(publisherId, media);
    // A publisher that left (or stopped sending) releases its probes and jitter-buffer targets.
    for (const publisherId of known) if (!remote.has(publisherId)) sync.setRemoteMedia(publisherId, {});
    known = new Set(remote.keys());
  };
  const unsubscribe = deps.subscribe(follow);
  follow();
  return {
    clock: sync.clock,
    stats: () => sync.stats(),
    onPeerConnection: (pc, info) => sync.onPeerConnection(pc, info),
    presentOn: (track, element) => sync.presentOn(track, element),
    dispose() {
      unsubscribe();
      sync.dispose();
    },
  };
};
