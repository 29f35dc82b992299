/**
 * The shape of `window.webinar`, free of zod so the sandboxed preload bundle stays small. Types
 * come from the contract (type-only imports are erased).
 */
import type { DeviceSession } from './http-api';
import type { InvokeRequest, InvokeResponse, IpcResult } from './ipc-contract';
import type { SessionState } from './session/session-state';

/** The exact shape of `window.webinar`; a test compares the preload's key set to this. */
export const PRELOAD_API_SHAPE = {
  session: {
    getState: 'session:getState',
    register: 'session:register',
    signIn: 'session:signIn',
    signOut: 'session:signOut',
    listDevices: 'session:listDevices',
    revokeDevice: 'session:revokeDevice',
    onChange: 'session:changed',
  },
} as const;

/** What the renderer sees: each invoke channel as an async function resolving to an IpcResult. */
export interface WebinarApi {
  session: {
    getState(): Promise<IpcResult<SessionState>>;
    register(req: InvokeRequest<'session:register'>): Promise<IpcResult<InvokeResponse<'session:register'>>>;
    signIn(req: InvokeRequest<'session:signIn'>): Promise<IpcResult<SessionState>>;
    signOut(): Promise<IpcResult<SessionState>>;
    listDevices(): Promise<IpcResult<DeviceSession[]>>;
    revokeDevice(req: { id: string }): Promise<IpcResult<DeviceSession[]>>;
    /** Returns an unsubscribe function. */
    onChange(listener: (state: SessionState) => void): () => void;
  };
}
