/**
 * The IPC handler table for the session channels. Payloads arrive already parsed by
 * `dispatchInvoke`; this layer only calls the service and turns failures into results.
 */
import { IpcErrorCode, type IpcFailure, type IpcResult } from '../../src-shared/ipc-contract';
import type { DeviceSession, RegisterResponse } from '../../src-shared/http-api';
import type { SessionState } from '../../src-shared/session/session-state';
import type { IpcHandlerTable } from './ipc-dispatch';

/** What the IPC layer needs from the session service (implemented by SessionManager). */
export interface SessionService {
  getState(): SessionState;
  register(serverUrl: string, input: { email: string; password: string; displayName: string }): Promise<RegisterResponse>;
  signIn(serverUrl: string, email: string, password: string): Promise<SessionState>;
  signOut(): Promise<SessionState>;
  listDevices(): Promise<DeviceSession[]>;
  revokeDevice(id: string): Promise<DeviceSession[]>;
}

/** Errors that carry a renderer-safe code and message; anything else becomes a generic failure. */
export function toIpcFailure(error: unknown): IpcFailure {
  if (error && typeof error === 'object' && 'code' in error && 'message' in error) {
    const code = IpcErrorCode.safeParse((error as { code: unknown }).code);
    if (code.success) return { ok: false, error: { code: code.data, message: String((error as { message: unknown }).message) } };
  }
  // Unknown errors may carry internals (paths, tokens in URLs): never forward their text.
  return { ok: false, error: { code: 'unknown', message: 'Something went wrong. Please try again.' } };
}

async function result<T>(work: () => Promise<T> | T): Promise<IpcResult<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (error) {
    return toIpcFailure(error);
  }
}

export function createSessionHandlers(session: SessionService): IpcHandlerTable {
  return {
    'session:getState': () => result(() => session.getState()),
    'session:register': ({ serverUrl, ...account }) => result(() => session.register(serverUrl, account)),
    'session:signIn': ({ serverUrl, email, password }) => result(() => session.signIn(serverUrl, email, password)),
    'session:signOut': () => result(() => session.signOut()),
    'session:listDevices': () => result(() => session.listDevices()),
    'session:revokeDevice': (req) => result(() => session.revokeDevice(req.id)),
  };
}
