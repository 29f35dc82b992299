/**
 * Ending a session on sign-out: on the server (best effort, short timeout, so signing out works
 * offline) and in the keychain, both at once.
 */
import { API_PATHS } from '../../src-shared/http-api';
import type { SessionProblem } from '../../src-shared/session/session-state';
import type { AuthClient } from './auth-client';
import type { LiveSession } from './live-session';
import type { SecretStore } from './secret-store';
import { errText, problemFrom } from './session-errors';
import type { SessionLogger } from './session-manager-options';

export interface SignOutDeps {
  secretStore: SecretStore;
  logger: SessionLogger;
  logoutTimeoutMs: number;
}

/** Resolves with the keychain problem, if the entry could not be deleted; a failed revoke is only logged. */
export async function endSessionEverywhere(deps: SignOutDeps, client: AuthClient | null, live: LiveSession): Promise<SessionProblem | null> {
  let problem: SessionProblem | null = null;
  const revoke = revokeOnServer(client, live, deps.logoutTimeoutMs).catch((e: unknown) =>
    deps.logger.warn('session: server revoke failed (signed out locally)', { error: errText(e) }),
  );
  const forget = live.refreshToken
    ? deps.secretStore.delete(live.account).then(
        () => {},
        (e: unknown) => {
          problem = problemFrom(e);
        },
      )
    : Promise.resolve();
  await Promise.all([revoke, forget]);
  return problem;
}

async function revokeOnServer(client: AuthClient | null, live: LiveSession, timeoutMs: number): Promise<void> {
  if (!client) return;
  if (live.refreshToken) await client.logout(live.refreshToken, timeoutMs);
  else if (live.access) {
    // No refresh token (REFRESH_TOKENS=off): revoke our own session with the access token.
    const res = await client.send(
      `${API_PATHS.sessions}/${encodeURIComponent(live.sessionId)}`,
      { method: 'DELETE', headers: { authorization: `Bearer ${live.access.token}` } },
      timeoutMs,
    );
    await res.body?.cancel();
  }
}
