/**
 * The one IPC contract. Main registers a handler per invoke channel and parses every payload with
 * the channel's `request` schema; the preload exposes each channel as a named function. Nothing
 * else crosses the bridge.
 */
import { z } from 'zod';
import { DeviceSession, DisplayName, Email, Password, RegisterResponse } from './http-api';
import { SessionState } from './session/session-state';
import { AddPanelistRequest, CreateWebinarRequest, Id, JoinResponse, WebinarListResponse, WebinarResponse } from './signaling-protocol';

export const ScreenSource = z.object({ id: z.string(), name: z.string(), kind: z.enum(['screen', 'window']), thumbnail: z.string() });
export type ScreenSource = z.infer<typeof ScreenSource>;

export const ServerUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without credentials');

const NoArgs = z.undefined();

export const ipcInvoke = {
  'session:getState': { request: NoArgs, response: SessionState },
  'session:register': {
    request: z.object({ serverUrl: ServerUrl, email: Email, password: Password, displayName: DisplayName }).strict(),
    response: RegisterResponse,
  },
  'session:signIn': {
    request: z
      .object({ serverUrl: ServerUrl, email: z.string().max(254), password: z.string().min(1).max(1024) })
      .strict(),
    response: SessionState,
  },
  'session:signOut': { request: NoArgs, response: SessionState },
  'session:listDevices': { request: NoArgs, response: z.array(DeviceSession) },
  'session:revokeDevice': { request: z.object({ id: z.string().min(1).max(128) }).strict(), response: z.array(DeviceSession) },
  'webinars:list': { request: NoArgs, response: WebinarListResponse.shape.webinars },
  'webinars:create': { request: CreateWebinarRequest, response: WebinarResponse },
  'webinars:get': { request: z.object({ id: Id }).strict(), response: WebinarResponse },
  'webinars:addPanelist': { request: AddPanelistRequest.extend({ webinarId: Id }).strict(), response: z.null() },
  /** A single-use, 60 s ticket for the signaling WebSocket: the only credential the renderer ever holds. */
  'webinars:join': { request: z.object({ id: Id }).strict(), response: JoinResponse },
  /** Screen share: list sources (desktopCapturer in main), then select one before getDisplayMedia(). */
  'screenShare:listSources': { request: NoArgs, response: z.array(ScreenSource) },
  'screenShare:select': { request: z.object({ sourceId: z.string().min(1).max(256) }).strict(), response: z.null() },
} as const;

export type InvokeChannel = keyof typeof ipcInvoke;
export type InvokeRequest<C extends InvokeChannel> = z.infer<(typeof ipcInvoke)[C]['request']>;
export type InvokeResponse<C extends InvokeChannel> = z.infer<(typeof ipcInvoke)[C]['response']>;

/** Main → renderer pushes. */
export const ipcEvents = {
  'session:changed': SessionState,
  /** A webinar://join/<id> link was opened (main holds the single-instance lock). */
  'webinars:deepLink': z.object({ webinarId: Id }),
} as const;
export type EventChannel = keyof typeof ipcEvents;
export type EventPayload<C extends EventChannel> = z.infer<(typeof ipcEvents)[C]>;

/**
 * Handlers never throw across the bridge (Electron flattens thrown errors to a string); they
 * answer with a result the renderer can act on.
 */
export const IpcErrorCode = z.enum([
  'invalid_payload',
  'forbidden_sender',
  'invalid_credentials',
  'email_taken',
  'invalid_request',
  'rate_limited',
  'not_signed_in',
  'keychain_unavailable',
  'keychain_locked',
  'server_unreachable',
  'server_error',
  'not_found',
  'forbidden',
  'unknown',
]);
export type IpcErrorCode = z.infer<typeof IpcErrorCode>;
export const IpcFailure = z.object({ ok: z.literal(false), error: z.object({ code: IpcErrorCode, message: z.string() }) });
export type IpcFailure = z.infer<typeof IpcFailure>;
export type IpcResult<T> = { ok: true; value: T } | IpcFailure;

export { PRELOAD_API_SHAPE, type WebinarApi } from './preload-api';
