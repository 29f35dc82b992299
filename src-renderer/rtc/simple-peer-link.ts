/**
 * The ONE module that touches simple-peer (9.11.1, unmaintained since 2022). We load its prebuilt
 * browser bundle, which carries its own `global`/`process`/`Buffer` shims, so the renderer bundle
 * needs no Node polyfills. Everything else sees the PeerFactory interface from peer-manager.ts.
 */
import SimplePeer from 'simple-peer/simplepeer.min.js';
import type { PeerFactory } from './peer-manager';

export const createSimplePeer: PeerFactory<MediaStream> = (options, callbacks) => {
  const peer = new SimplePeer({
    initiator: options.initiator,
    trickle: true,
    streams: options.streams,
    config: { iceServers: options.iceServers as RTCIceServer[] },
  });
  let ownDestroy = false;
  let closed = false;
  const close = (error?: { code?: string; message: string }) => {
    if (closed || ownDestroy) return;
    closed = true;
    callbacks.close(error);
  };
  peer.on('signal', (data) => callbacks.signal(data as unknown as Record<string, unknown>));
  peer.on('connect', () => callbacks.connect());
  peer.on('stream', (stream: MediaStream) => callbacks.stream(stream));
  peer.on('error', (err: Error & { code?: string }) => {
    close({ code: err.code, message: err.message });
  });
  peer.on('close', () => close());
  return {
    signal(data) {
      if (closed || ownDestroy) return;
      try {
        peer.signal(data as unknown as SimplePeer.SignalData);
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
