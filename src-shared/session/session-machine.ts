/**
 * The session's states and which moves between them are legal. The SessionManager asks
 * `canTransition` before every change so a bug shows up as a thrown error in tests rather than as a
 * UI that says "signed in" with no session behind it.
 *
 *   signedOut ──signIn──▶ signingIn ──ok──▶ signedIn ◀──ok── refreshing ◀── (start with stored token)
 *                              │                 │  ▲            │ │ │
 *                              ▼                 ▼  └────────────┘ │ └─ invalid_grant ─▶ signedOut
 *                        signedOut/error    refreshing        offline (server unreachable; retries)
 *   any state ──signOut──▶ signedOut;  keychain locked/missing ──▶ error (explicit, actionable)
 */
import type { SessionStatus } from './session-state';

const ALLOWED: Record<SessionStatus, readonly SessionStatus[]> = {
  signedOut: ['signingIn', 'refreshing', 'error', 'signedOut'],
  signingIn: ['signedIn', 'signedOut', 'error', 'signingIn', 'refreshing'],
  signedIn: ['refreshing', 'offline', 'signedOut', 'error', 'signingIn', 'signedIn'],
  refreshing: ['signedIn', 'offline', 'signedOut', 'error', 'signingIn', 'refreshing'],
  offline: ['refreshing', 'signedOut', 'error', 'signingIn', 'offline'],
  error: ['refreshing', 'signedOut', 'signingIn', 'signedIn', 'error'],
};

export function canTransition(from: SessionStatus, to: SessionStatus): boolean {
  return ALLOWED[from].includes(to);
}

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: SessionStatus,
    readonly to: SessionStatus,
  ) {
    super(`illegal session transition ${from} -> ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

export function assertTransition(from: SessionStatus, to: SessionStatus): void {
  if (!canTransition(from, to)) throw new IllegalTransitionError(from, to);
}

/** States in which the app holds (or is getting) a usable session for the cached user. */
export function hasIdentity(status: SessionStatus): boolean {
  return status === 'signedIn' || status === 'refreshing' || status === 'offline';
}
