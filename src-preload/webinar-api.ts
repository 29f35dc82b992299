/**
 * Builds `window.webinar` from the contract over an abstract transport, so the same object is
 * exposed by the Electron preload and by the desktop test harness. Every function is generated
 * from PRELOAD_API_SHAPE: a key named `on…` subscribes to a main → renderer event, every other key
 * invokes its channel with at most one payload argument.
 */
import { PRELOAD_API_SHAPE, type WebinarApi } from '../src-shared/preload-api';

export interface BridgeTransport {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

type Fn = (arg?: unknown) => unknown;

function bridgeFunction(transport: BridgeTransport, key: string, channel: string): Fn {
  if (key.startsWith('on')) {
    return (listener) => {
      if (typeof listener !== 'function') throw new TypeError(`${key} needs a function`);
      // Only the payload is passed on: never an event object or sender.
      return transport.subscribe(channel, (payload) => (listener as (p: unknown) => void)(payload));
    };
  }
  // Exactly one argument crosses: extra arguments cannot smuggle anything to main.
  return (payload) => transport.invoke(channel, payload);
}

export function buildWebinarApi(transport: BridgeTransport): WebinarApi {
  const api = Object.fromEntries(
    Object.entries(PRELOAD_API_SHAPE).map(([namespace, functions]) => [
      namespace,
      Object.freeze(Object.fromEntries(Object.entries(functions).map(([key, channel]) => [key, bridgeFunction(transport, key, channel)]))),
    ]),
  );
  return Object.freeze(api) as unknown as WebinarApi;
}
