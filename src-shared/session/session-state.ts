import { z } from 'zod';
import { User } from '../http-api';

export const SessionStatus = z.enum(['signedOut', 'signingIn', 'signedIn', 'refreshing', 'offline', 'error']);
export type SessionStatus = z.infer<typeof SessionStatus>;

export const SessionErrorCode = z.enum([
  'invalid_credentials',
  'email_taken',
  'invalid_request',
  'rate_limited',
  'keychain_unavailable',
  'keychain_locked',
  'server_unreachable',
  'session_expired',
  'invalid_server_url',
  'server_error',
  'unknown',
]);
export type SessionErrorCode = z.infer<typeof SessionErrorCode>;

export const SessionProblem = z.object({ code: SessionErrorCode, message: z.string() });
export type SessionProblem = z.infer<typeof SessionProblem>;

/**
 * What the renderer may know about the session: never a token.
 * `problem` explains the `error` state, a failed sign-in, or why we are offline.
 */
export const SessionState = z.object({
  status: SessionStatus,
  serverUrl: z.string(),
  user: User.nullable(),
  sessionId: z.string().nullable(),
  problem: SessionProblem.nullable(),
  /** Epoch ms of the next automatic retry while offline, else null. */
  nextRetryAt: z.number().nullable(),
});
export type SessionState = z.infer<typeof SessionState>;
