/**
 * The ONE module that touches simple-peer (9.11.1, unmaintained since 2022). We load its prebuilt
 * browser bundle, which carries its own `global`/`process`/`Buffer` shims, so the renderer bundle
 * needs no Node polyfills. Everything else sees the PeerFactory interface from peer-manager.ts.
 *
 * simple-peer keeps its RTCPeerConnection in the private `_pc`; the synchronizer needs it (encoded
 * transforms on senders/receivers, jitterBufferTarget on receivers), so `onPeerConnection` hands it
 * out right after construction: the senders for our streams exist by then (simple-peer adds them in
 * its constructor) and no remote track has arrived yet. It is called again, with the new streams,
 * right after a renegotiation added senders (before the offer goes out, so before any frame is sent).
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
    let sent = [...options.streams];
    const peer = new SimplePeer({
      initiator: options.initiator,
      trickle: true,
      streams: options.streams,
      config: { iceServers: options.iceServers as RTCIceServer[] },
    });
    const pc = (peer as unknown as { _pc?: RTCPeerConnection })._pc;
    const tellHook = (streams: MediaStream[], kinds: Record<string, StreamKind>) => {
      if (!pc || !hooks.onPeerConnection) return;
      try {
        hooks.onPeerConnection(pc, { initiator: options.initiator, streams, kinds });
      } catch {
        // A hook failing (e.g. no encoded transforms here) must not break the call itself.
      }
    };
    tellHook(options.streams, options.kinds ?? {});
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
    const rejoiner = new StreamRejoiner<MediaStream, MediaStreamTrack>(
      (stream) => callbacks.stream(stream),
      (stream) => callbacks.streamRemoved(stream),
    );
    peer.on('stream', (stream: MediaStream) => {
      // simple-peer says nothing when a renegotiation stops a remote track; the stream does.
      stream.addEventListener('removetrack', (e) => rejoiner.removed(stream, e.track));
      rejoiner.push(stream);
    });
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
      setStreams(streams, kinds) {
        if (closed || ownDestroy) return;
        try {
          // Removed first: a track kept in a new stream object (camera toggled) needs its old sender gone.
          for (const stream of sent) if (!streams.includes(stream)) peer.removeStream(stream);
          for (const stream of streams) if (!sent.includes(stream)) peer.addStream(stream);
          sent = [...streams];
        } catch (err) {
          // The manager rebuilds a peer that errs.
          peer.destroy(Object.assign(err instanceof Error ? err : new Error(String(err)), { code: 'ERR_RENEGOTIATE' }));
          return;
        }
        tellHook(streams, kinds);
      },
    };
  };
}

/** The factory without hooks (no synchronizer). */
export const createSimplePeer: PeerFactory<MediaStream> = createSimplePeerFactory();
