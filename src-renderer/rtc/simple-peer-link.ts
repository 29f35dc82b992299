/**
 * The ONE module that touches simple-peer (9.11.1, unmaintained since 2022). We load its prebuilt
 * browser bundle, which carries its own `global`/`process`/`Buffer` shims, so the renderer bundle
 * needs no Node polyfills. Everything else sees the PeerFactory interface from peer-manager.ts.
 *
 * simple-peer keeps its RTCPeerConnection in the private `_pc`; the synchronizer needs it (encoded
 * transforms on senders/receivers, jitterBufferTarget on receivers), so `onPeerConnection` hands it
 * out right after construction: the senders for our streams exist by then (simple-peer adds them in
 * its constructor) and no remote track has arrived yet.
 */
import SimplePeer from 'simple-peer/simplepeer.min.js';
import type { PeerFactory } from './peer-manager';
import type { StreamKind } from './peer-plan';
import { StreamRejoiner, unsyncAudio } from './sync-group';

export interface SimplePeerHooks {
  onPeerConnection?(pc: RTCPeerConnection, info: { initiator: boolean; streams: MediaStream[]; kinds: Record<string, StreamKind> }): void;
}

export function createSimplePeerFactory(hooks: SimplePeerHooks = {}): PeerFactory<MediaStream> {
  return (options, callbacks) => {
    const peer = new SimplePeer({
      initiator: options.initiator,
      trickle: true,
      streams: options.streams,
      config: { iceServers: options.iceServers as RTCIceServer[] },
    });
    const pc = (peer as unknown as { _pc?: RTCPeerConnection })._pc;
    if (pc && hooks.onPeerConnection) {
      try {
        hooks.onPeerConnection(pc, { initiator: options.initiator, streams: options.streams, kinds: options.kinds ?? {} });
      } catch {
        // A hook failing (e.g. no encoded transforms here) must not break the call itself.
      }
    }
    let ownDestroy = false;
    let closed = false;
    const close = (error?: { code?: string; message: string }) => {
      if (closed || ownDestroy) return;
      closed = true;
      callbacks.close(error);
    };
    peer.on('signal', (data) => callbacks.signal(data as unknown as Record<string, unknown>));
    peer.on('connect', () => callbacks.connect());
    // Remote camera audio arrives outside libwebrtc's lip-sync group (see sync-group.ts) and is put
    // back into its camera stream here.
    const rejoiner = new StreamRejoiner<MediaStream, MediaStreamTrack>((stream) => callbacks.stream(stream));
    peer.on('stream', (stream: MediaStream) => rejoiner.push(stream));
    peer.on('error', (err: Error & { code?: string }) => {
      close({ code: err.code, message: err.message });
    });
    peer.on('close', () => close());
    return {
      signal(data) {
        if (closed || ownDestroy) return;
        const sdp = (data as { sdp?: unknown }).sdp;
        const signal = typeof sdp === 'string' ? { ...data, sdp: unsyncAudio(sdp) } : data;
        try {
          peer.signal(signal as unknown as SimplePeer.SignalData);
        } catch (err) {
          close({ code: 'ERR_SIGNALING', message: err instanceof Error ? err.message : String(err) });
        }
      },
      destroy() {
        ownDestroy = true;
        peer.destroy();
      },
    };
  };
}

/** The factory without hooks (no synchronizer). */
export const createSimplePeer: PeerFactory<MediaStream> = createSimplePeerFactory();
