/**
 * API calls with the session's access token. The token is renewed on demand (expired, or rejected
 * with 401) through the manager's single shared refresh, so a burst of calls costs one refresh.
 */
import type { Clock } from '../../src-shared/clock';
import type { SessionState } from '../../src-shared/session/session-state';
import type { AuthClient } from './auth-client';
import { accessUsable, type LiveSession, type RefreshOutcome } from './live-session';
import { notUsableError, operationErrorFrom, type SessionOperationError } from './session-errors';

export interface AccessTokenHost {
  readonly clock: Clock;
  session(): LiveSession | null;
  client(): AuthClient | null;
  /** The current client; throws `not_signed_in` without one. */
  requireClient(): AuthClient;
  state(): Readonly<SessionState>;
  refreshNow(): Promise<RefreshOutcome>;
  /** Without a refresh token a rejected access token is the end of the session. */
  endExpiredSession(): Promise<void>;
}

export class AuthorizedFetch {
  constructor(private readonly host: AccessTokenHost) {}

  /**
   * fetch() against the current server with the access token. A 401 triggers the single shared
   * refresh and one retry. Rejects with SessionOperationError when there is no usable session.
   */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const token = await this.currentAccessToken();
    const first = await this.sendWith(path, init, token);
    if (first.status !== 401) return first;
    await first.body?.cancel();
    const fresh = await this.accessTokenAfter401(token);
    return this.sendWith(path, init, fresh);
  }

  private async sendWith(path: string, init: RequestInit, token: string): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token}`);
    try {
      return await this.host.requireClient().send(path, { ...init, headers });
    } catch (e) {
      throw operationErrorFrom(e);
    }
  }

  private usable(s: LiveSession): boolean {
    return accessUsable(s, this.host.client(), this.host.clock);
  }

  private async currentAccessToken(): Promise<string> {
    const s = this.host.session();
    const { status } = this.host.state();
    if (!s || status === 'error' || status === 'signingIn') throw this.notUsable();
    if (this.usable(s) && s.access) return s.access.token;
    return this.tokenAfter(await this.host.refreshNow());
  }

  private async accessTokenAfter401(used: string): Promise<string> {
    const s = this.host.session();
    if (!s) throw this.notUsable();
    // Someone already refreshed since our request left: just retry with the new token.
    if (s.access && s.access.token !== used && this.usable(s)) return s.access.token;
    if (!s.refreshToken) {
      await this.host.endExpiredSession();
      throw this.notUsable();
    }
    return this.tokenAfter(await this.host.refreshNow());
  }

  private tokenAfter(outcome: RefreshOutcome): string {
    const s = this.host.session();
    if (outcome === 'signedIn' && s?.access) return s.access.token;
    throw this.notUsable();
  }

  private notUsable(): SessionOperationError {
    return notUsableError(this.host.state());
  }
}
