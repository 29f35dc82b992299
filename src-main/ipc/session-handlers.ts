/**
 * IPC handlers for the session channels. Payloads arrive already parsed by `dispatchInvoke`; this
 * layer only calls the service and turns failures into results.
 */
import type { DeviceSession, RegisterResponse } from '../../src-shared/http-api';
import type { SessionState } from '../../src-shared/session/session-state';
import type { IpcHandlerTable } from './ipc-dispatch';
import { ipcResult } from './ipc-result';

/** What the IPC layer needs from the session service (implemented by SessionManager). */
export interface SessionService {
  getState(): SessionState;
  register(serverUrl: string, input: { email: string; password: string; displayName: string }): Promise<RegisterResponse>;
  signIn(serverUrl: string, email: string, password: string): Promise<SessionState>;
  signOut(): Promise<SessionState>;
  listDevices(): Promise<DeviceSession[]>;
  revokeDevice(id: string): Promise<DeviceSession[]>;
}

export type SessionHandlers = Pick<IpcHandlerTable, `session:${string}` & keyof IpcHandlerTable>;

export function createSessionHandlers(session: SessionService): SessionHandlers {
  return {
    'session:getState': () => ipcResult(() => session.getState()),
    'session:register': ({ serverUrl, ...account }) => ipcResult(() => session.register(serverUrl, account)),
    'session:signIn': ({ serverUrl, email, password }) => ipcResult(() => session.signIn(serverUrl, email, password)),
    'session:signOut': () => ipcResult(() => session.signOut()),
    'session:listDevices': () => ipcResult(() => session.listDevices()),
    'session:revokeDevice': (req) => ipcResult(() => session.revokeDevice(req.id)),
  };
}
