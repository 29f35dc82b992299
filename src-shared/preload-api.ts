/**
 * The shape of `window.webinar`, free of zod so the sandboxed preload bundle stays small. Types
 * come from the contract (type-only imports are erased).
 */
import type { DeviceSession } from './http-api';
import type { InvokeChannel, InvokeRequest, InvokeResponse, IpcResult, ScreenSource } from './ipc-contract';
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
  webinars: {
    list: 'webinars:list',
    create: 'webinars:create',
    get: 'webinars:get',
    addPanelist: 'webinars:addPanelist',
    join: 'webinars:join',
    onDeepLink: 'webinars:deepLink',
  },
  screenShare: {
    listSources: 'screenShare:listSources',
    select: 'screenShare:select',
  },
} as const;

/** A function for one invoke channel: no argument when the channel takes none. */
type Invoke<C extends InvokeChannel> = (
  ...args: InvokeRequest<C> extends undefined ? [] : [InvokeRequest<C>]
) => Promise<IpcResult<InvokeResponse<C>>>;

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
  webinars: {
    list: Invoke<'webinars:list'>;
    create: Invoke<'webinars:create'>;
    get: Invoke<'webinars:get'>;
    addPanelist: Invoke<'webinars:addPanelist'>;
    join: Invoke<'webinars:join'>;
    /** Returns an unsubscribe function. */
    onDeepLink(listener: (link: { webinarId: string }) => void): () => void;
  };
  screenShare: {
    listSources(): Promise<IpcResult<ScreenSource[]>>;
    select(req: { sourceId: string }): Promise<IpcResult<null>>;
  };
}
