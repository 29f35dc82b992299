/**
 * What went wrong, in words the user can act on, and the typed error that session operations
 * reject with. Codes line up with the IPC contract so the IPC layer can pass them straight through.
 */
import type { IpcErrorCode } from '../../src-shared/ipc-contract';
import type { SessionProblem, SessionState } from '../../src-shared/session/session-state';
import { AuthClientError } from './auth-client';
import { SecretStoreError } from './secret-store';

export class SessionOperationError extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
    /** For rate limits: how long to wait, ms. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'SessionOperationError';
  }
}

export function keychainProblem(e: SecretStoreError): SessionProblem {
  return { code: e.kind === 'locked' ? 'keychain_locked' : 'keychain_unavailable', message: e.message };
}

export const SESSION_EXPIRED: SessionProblem = {
  code: 'session_expired',
  message: 'Your session has ended (it expired or was signed out from another device). Please sign in again.',
};

/** A problem for the session state from any failure of a session operation. */
export function problemFrom(e: unknown): SessionProblem {
  if (e instanceof SecretStoreError) return keychainProblem(e);
  if (e instanceof SessionOperationError) {
    switch (e.code) {
      case 'invalid_credentials':
      case 'email_taken':
      case 'invalid_request':
      case 'rate_limited':
      case 'keychain_unavailable':
      case 'keychain_locked':
      case 'server_unreachable':
      case 'server_error':
        return { code: e.code, message: e.message };
      case 'not_signed_in':
        return SESSION_EXPIRED;
      default:
        return { code: 'unknown', message: e.message };
    }
  }
  if (e instanceof AuthClientError) return problemFrom(operationErrorFrom(e));
  return { code: 'unknown', message: e instanceof Error ? e.message : String(e) };
}

/** Maps an HTTP failure to the error a session operation rejects with. */
export function operationErrorFrom(e: unknown): SessionOperationError {
  if (e instanceof SessionOperationError) return e;
  if (e instanceof SecretStoreError) return keychainOperationError(e);
  if (e instanceof AuthClientError) {
    switch (e.kind) {
      case 'transient':
        return e.code === 'server_error' || e.code === 'bad_response'
          ? new SessionOperationError('server_error', e.message)
          : new SessionOperationError('server_unreachable', e.message);
      case 'rate_limited': {
        const secs = e.retryAfterMs != null ? Math.ceil(e.retryAfterMs / 1000) : null;
        return new SessionOperationError(
          'rate_limited',
          secs != null ? `Too many attempts. Try again in ${secs} s.` : 'Too many attempts. Try again shortly.',
          e.retryAfterMs,
        );
      }
      case 'auth':
        return new SessionOperationError('not_signed_in', SESSION_EXPIRED.message);
      case 'client':
        if (e.code === 'invalid_credentials') return new SessionOperationError('invalid_credentials', 'Wrong email or password.');
        if (e.code === 'email_taken') return new SessionOperationError('email_taken', 'An account with this email already exists.');
        if (e.code === 'invalid_request') return new SessionOperationError('invalid_request', e.message);
        if (e.code === 'not_found' || e.status === 404) return new SessionOperationError('not_found', e.message);
        return new SessionOperationError('unknown', e.message);
    }
  }
  return new SessionOperationError('unknown', e instanceof Error ? e.message : String(e));
}

/** SecretStoreError → SessionOperationError with the keychain code (for IPC). */
export function keychainOperationError(e: SecretStoreError): SessionOperationError {
  const p = keychainProblem(e);
  return new SessionOperationError(p.code === 'keychain_locked' ? 'keychain_locked' : 'keychain_unavailable', p.message);
}

/** The error for "no usable session right now", matching the current state. */
export function notUsableError(state: Pick<SessionState, 'status' | 'problem'>): SessionOperationError {
  const p = state.problem;
  switch (state.status) {
    case 'offline':
      return new SessionOperationError(p?.code === 'server_error' ? 'server_error' : 'server_unreachable', p?.message ?? 'Offline.');
    case 'error':
      if (p?.code === 'keychain_locked' || p?.code === 'keychain_unavailable') return new SessionOperationError(p.code, p.message);
      return new SessionOperationError('unknown', p?.message ?? 'The session is in an error state.');
    default:
      return new SessionOperationError('not_signed_in', p?.message ?? 'Not signed in.');
  }
}

/** An error's message, for logs and problem texts. */
export function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** A transient failure keeps the session; the problem says we retry by ourselves. */
export function offlineProblem(e: unknown, origin: string | null): SessionProblem {
  const p = problemFrom(e);
  return p.code === 'server_error' || p.code === 'rate_limited'
    ? p
    : { code: 'server_unreachable', message: `Cannot reach ${origin ?? 'the server'} (${errText(e)}). Retrying automatically.` };
}
