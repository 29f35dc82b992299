/**
 * Writing the live session to the keychain and clearing out entries it supersedes. The keychain is
 * the only durable copy of the refresh token, so a rotated token must land here before the renewed
 * session is reported.
 */
import type { Clock } from '../../src-shared/clock';
import type { AuthClient } from './auth-client';
import type { LiveSession } from './live-session';
import type { SecretStore } from './secret-store';
import { encodeStoredSession, pickStoredSession } from './stored-session';

export async function persistSession(store: SecretStore, clock: Clock, s: LiveSession): Promise<void> {
  if (!s.refreshToken) {
    // The server stopped issuing refresh tokens: nothing may stay in the keychain.
    await store.delete(s.account);
    return;
  }
  const secret = encodeStoredSession({ refreshToken: s.refreshToken, user: s.user, sessionId: s.sessionId, savedAt: clock.now() });
  await store.set(s.account, secret);
}

/** Older entries for the same server (another user who never signed out): revoke and delete. */
export async function forgetOtherAccounts(store: SecretStore, client: AuthClient, keep: string, logoutTimeoutMs: number): Promise<void> {
  try {
    const { found, stale } = pickStoredSession(await store.list(), client.origin);
    const others = [...stale, ...(found && found.account !== keep ? [found.account] : [])];
    for (const account of others) {
      if (found && found.account === account) void client.logout(found.stored.refreshToken, logoutTimeoutMs).catch(() => {});
      await store.delete(account).catch(() => false);
    }
  } catch {
    // best effort: a leftover entry only holds a token for an idle session
  }
}
