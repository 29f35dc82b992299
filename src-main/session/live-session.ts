/**
 * The signed-in session as held in memory. The access token exists only here; the refresh token
 * here and in the keychain. None of it may reach subscribers or logs.
 */
import type { Clock } from '../../src-shared/clock';
import type { User } from '../../src-shared/http-api';
import { isAccessExpired, type AccessLifetime } from '../../src-shared/session/renewal-schedule';
import type { AuthClient, TokenGrant } from './auth-client';
import type { FoundSession } from './stored-session';

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

function lifeOf(grant: TokenGrant): AccessLifetime {
  return { receivedAtServer: grant.receivedAtServer, expiresAtServer: Date.parse(grant.accessTokenExpiresAt) };
}

/** Expiry is judged in server time, so a skewed local clock cannot keep a dead token alive. */
export function accessUsable(s: LiveSession, client: AuthClient | null, clock: Clock): boolean {
  if (!s.access || !client) return false;
  const serverNow = client.serverClock.toServer(clock.now());
  // Without a refresh token there is no renewing early: use the token up to its very end.
  return !isAccessExpired(s.access.life, serverNow, s.refreshToken ? undefined : 0);
}

export function liveFromGrant(account: string, grant: TokenGrant): LiveSession {
  return {
    account,
    user: grant.user,
    sessionId: grant.sessionId,
    refreshToken: grant.refreshToken,
    access: { token: grant.accessToken, life: lifeOf(grant) },
    unsaved: false,
  };
}

/** A session restored from the keychain has no access token yet: the first refresh gets one. */
export function liveFromStored(found: FoundSession): LiveSession {
  const { stored } = found;
  return {
    account: found.account,
    user: stored.user,
    sessionId: stored.sessionId,
    refreshToken: stored.refreshToken,
    access: null,
    unsaved: false,
  };
}

/** Takes over a refresh's grant; the previous refresh token is dead from here on. */
export function applyGrant(s: LiveSession, grant: TokenGrant): void {
  s.refreshToken = grant.refreshToken;
  s.user = grant.user;
  s.sessionId = grant.sessionId;
  s.access = { token: grant.accessToken, life: lifeOf(grant) };
}
