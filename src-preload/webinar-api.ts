/**
 * Builds `window.webinar` from the contract over an abstract transport, so the same object is
 * exposed by the Electron preload and by the desktop test harness.
 */
import { PRELOAD_API_SHAPE, type WebinarApi } from '../src-shared/preload-api';
import type { IpcResult } from '../src-shared/ipc-contract';
import type { SessionState } from '../src-shared/session/session-state';

export interface BridgeTransport {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

export function buildWebinarApi(transport: BridgeTransport): WebinarApi {
  const s = PRELOAD_API_SHAPE.session;
  const call = <T>(channel: string, payload?: unknown) => transport.invoke(channel, payload) as Promise<IpcResult<T>>;
  return Object.freeze({
    session: Object.freeze({
      getState: () => call<SessionState>(s.getState),
      register: (req: Parameters<WebinarApi['session']['register']>[0]) => call(s.register, req),
      signIn: (req: Parameters<WebinarApi['session']['signIn']>[0]) => call<SessionState>(s.signIn, req),
      signOut: () => call<SessionState>(s.signOut),
      listDevices: () => call(s.listDevices),
      revokeDevice: (req: { id: string }) => call(s.revokeDevice, req),
      onChange: (listener: (state: SessionState) => void) => {
        if (typeof listener !== 'function') throw new TypeError('onChange needs a function');
        return transport.subscribe(s.onChange, (payload) => listener(payload as SessionState));
      },
    }),
  }) as WebinarApi;
}
