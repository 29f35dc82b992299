/**
 * The signed-in session as held in memory. The access token exists only here; the refresh token
 * here and in the keychain. None of it may reach subscribers or logs.
 */
import type { User } from '../../src-shared/http-api';
import { isAccessExpired, type AccessLifetime } from '../../src-shared/session/renewal-schedule';
import type { ServerClockEstimator } from '../../src-shared/session/server-time';
import type { TokenGrant } from './auth-client';

export interface LiveSession {
  account: string;
  user: User;
  sessionId: string;
  /** null under REFRESH_TOKENS=off: the session ends with the access token. */
  refreshToken: string | null;
  access: { token: string; life: AccessLifetime } | null;
  /** A rotated refresh token that the keychain refused to store (we are in `error`). */
  unsaved: boolean;
}

export type RefreshOutcome = 'signedIn' | 'offline' | 'signedOut' | 'error' | 'stale';

export function lifeOf(grant: TokenGrant): AccessLifetime {
  return { receivedAtServer: grant.receivedAtServer, expiresAtServer: Date.parse(grant.accessTokenExpiresAt) };
}

/** Expiry is judged in server time, so a skewed local clock cannot keep a dead token alive. */
export function accessUsable(s: LiveSession, serverClock: ServerClockEstimator, nowLocal: number): boolean {
  if (!s.access) return false;
  const serverNow = serverClock.toServer(nowLocal);
  // Without a refresh token there is no renewing early: use the token up to its very end.
  return !isAccessExpired(s.access.life, serverNow, s.refreshToken ? undefined : 0);
}
