/**
 * The HTTP contract between the desktop app and our server. Both sides import these schemas:
 * the server validates request bodies with them, the app validates responses with them.
 */
import { z } from 'zod';

export const ApiErrorCode = z.enum([
  'invalid_request',
  'email_taken',
  'invalid_credentials',
  'invalid_grant',
  'invalid_token',
  'rate_limited',
  'payload_too_large',
  'not_found',
  'forbidden',
  'unsupported_media_type',
  'internal_error',
  'webinar_ended',
]);
export type ApiErrorCode = z.infer<typeof ApiErrorCode>;

export const ApiError = z.object({ error: z.string(), message: z.string() });
export type ApiError = z.infer<typeof ApiError>;

export const Email = z.email().max(254);
export const Password = z.string().min(8).max(128);
export const DisplayName = z.string().trim().min(1).max(64);
export const DeviceName = z.string().trim().min(1).max(100);

export const User = z.object({ id: z.string(), email: z.string(), displayName: z.string() });
export type User = z.infer<typeof User>;

export const RegisterRequest = z.object({ email: Email, password: Password, displayName: DisplayName });
export type RegisterRequest = z.infer<typeof RegisterRequest>;
export const RegisterResponse = z.object({ user: User });
export type RegisterResponse = z.infer<typeof RegisterResponse>;

// Login does not re-apply the password length rule: an over-long password is simply wrong.
export const LoginRequest = z.object({
  email: z.string().max(254),
  password: z.string().max(1024),
  deviceName: DeviceName.optional(),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const RefreshRequest = z.object({ refreshToken: z.string().min(1).max(512) });
export type RefreshRequest = z.infer<typeof RefreshRequest>;
export const LogoutRequest = RefreshRequest;
export type LogoutRequest = z.infer<typeof LogoutRequest>;

/** Timestamps are ISO 8601 strings in server time. `refreshToken*` are null under REFRESH_TOKENS=off. */
export const TokenResponse = z.object({
  accessToken: z.string(),
  accessTokenExpiresAt: z.iso.datetime(),
  refreshToken: z.string().nullable(),
  refreshTokenExpiresAt: z.iso.datetime().nullable(),
  sessionId: z.string(),
  user: User,
});
export type TokenResponse = z.infer<typeof TokenResponse>;

export const MeResponse = z.object({ user: User, sessionId: z.string() });
export type MeResponse = z.infer<typeof MeResponse>;

export const DeviceSession = z.object({
  id: z.string(),
  deviceName: z.string().nullable(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime(),
  current: z.boolean(),
});
export type DeviceSession = z.infer<typeof DeviceSession>;
export const SessionsResponse = z.object({ sessions: z.array(DeviceSession) });
export type SessionsResponse = z.infer<typeof SessionsResponse>;

/** Every response carries the server clock in epoch ms, so clients can judge expiry in server time. */
export const SERVER_TIME_HEADER = 'x-server-time';

export const API_PATHS = {
  register: '/api/auth/register',
  login: '/api/auth/login',
  refresh: '/api/auth/refresh',
  logout: '/api/auth/logout',
  me: '/api/me',
  sessions: '/api/sessions',
  jwks: '/.well-known/jwks.json',
  webinars: '/api/webinars',
  /** WebSocket signaling endpoint: `${wsUrl}?ticket=…` where wsUrl comes from POST /api/webinars/:id/join. */
  ws: '/ws',
} as const;
