/**
 * SessionManager: log in once, stay signed in. Free of Electron: the secret store, HTTP, clock,
 * timers and randomness are injected; power and network events arrive as method calls
 * (handleNetworkUp / handleResume / handleUnlock) from the composition root.
 *
 * Invariants (see issue 2, section 3):
 * - The refresh token lives in the keychain and in this object's memory; the access token only here.
 *   Neither ever appears in the state given to subscribers, nor in logs.
 * - A rotated refresh token is written to the keychain *before* the renewed session is reported.
 * - Only an auth failure on refresh (401 invalid_grant / invalid_token) signs the user out and deletes
 *   the keychain entry. Network errors, timeouts, 5xx and garbage keep the session: `offline`, retry.
 * - Expiry is judged in server time (offset learned from every response).
 * - One refresh in flight at most (SingleFlight), however many callers.
 * - `generation` increases on every sign-in / sign-out / start: results of older async work are dropped.
 */
import type { Clock } from '../../src-shared/clock';
import { API_PATHS, type DeviceSession, type RegisterResponse, SessionsResponse, type User } from '../../src-shared/http-api';
import { DEFAULT_BACKOFF, retryDelayWithHint, type BackoffPolicy } from '../../src-shared/session/backoff';
import {
  DEFAULT_MAX_SLEEP_MS,
  DEFAULT_RENEW_FRACTION,
  isAccessExpired,
  nextWake,
  renewalDueAtServer,
  type AccessLifetime,
} from '../../src-shared/session/renewal-schedule';
import { ServerClockEstimator } from '../../src-shared/session/server-time';
import { assertTransition } from '../../src-shared/session/session-machine';
import type { SessionProblem, SessionState, SessionStatus } from '../../src-shared/session/session-state';
import { AuthClient, AuthClientError, type FetchLike, type TokenGrant } from './auth-client';
import { SecretStoreError, type SecretStore } from './secret-store';
import {
  keychainOperationError,
  operationErrorFrom,
  problemFrom,
  SESSION_EXPIRED,
  SessionOperationError,
} from './session-errors';
import { accountFor, encodeStoredSession, pickStoredSession, serverOrigin } from './stored-session';
import { SingleFlight } from './single-flight';

export interface SessionTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Structured log sink. Fields never contain tokens or passwords. */
export interface SessionLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface SessionManagerOptions {
  secretStore: SecretStore;
  fetch: FetchLike;
  clock: Clock;
  timers: SessionTimers;
  /** [0, 1) source for backoff jitter. */
  random?: () => number;
  /** Keychain service; also how this app identifies itself. */
  appId: string;
  /** Shown in the user's device list. */
  deviceName: string;
  logger?: SessionLogger;
  backoff?: BackoffPolicy;
  /** Per-request timeout for auth and API calls, ms (default 10 s). */
  requestTimeoutMs?: number;
  /** Timeout of the best-effort server revoke on sign-out, ms (default 3 s). */
  logoutTimeoutMs?: number;
  /** Fraction of the access lifetime after which to refresh (default 0.8). */
  renewFraction?: number;
  /** Longest single timer sleep, ms (default 30 s): deadlines are re-checked on absolute time. */
  maxSleepMs?: number;
}

type Listener = (state: SessionState) => void;
type RefreshOutcome = 'signedIn' | 'offline' | 'signedOut' | 'error' | 'stale';

interface LiveSession {
  account: string;
  user: User;
  sessionId: string;
  /** null under REFRESH_TOKENS=off: the session ends with the access token. */
  refreshToken: string | null;
  access: { token: string; life: AccessLifetime } | null;
  /** A rotated refresh token that the keychain refused to store (we are in `error`). */
  unsaved: boolean;
}

const noopLogger: SessionLogger = { info: () => {}, warn: () => {} };

export class SessionManager {
  private readonly o: Required<Omit<SessionManagerOptions, 'logger'>> & { logger: SessionLogger };
  private state: SessionState = { status: 'signedOut', serverUrl: '', user: null, sessionId: null, problem: null, nextRetryAt: null };
  private readonly listeners = new Set<Listener>();
  private origin: string | null = null;
  private client: AuthClient | null = null;
  private session: LiveSession | null = null;
  private generation = 0;
  private attempt = 0;
  private retryTimer: unknown = null;
  private renewTimer: unknown = null;
  private readonly refreshFlight = new SingleFlight<RefreshOutcome>();

  constructor(opts: SessionManagerOptions) {
    this.o = {
      random: Math.random,
      backoff: DEFAULT_BACKOFF,
      requestTimeoutMs: 10_000,
      logoutTimeoutMs: 3_000,
      renewFraction: DEFAULT_RENEW_FRACTION,
      maxSleepMs: DEFAULT_MAX_SLEEP_MS,
      ...opts,
      // The server accepts 1..100 characters; an empty or huge host name must not break sign-in.
      deviceName: opts.deviceName.trim().slice(0, 100) || 'Desktop app',
      logger: opts.logger ?? noopLogger,
    };
  }

  // ---- observing -------------------------------------------------------------------------------

  getState(): SessionState {
    return { ...this.state };
  }

  /** Called with every new state. Returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private setState(next: Partial<SessionState> & { status: SessionStatus }): void {
    assertTransition(this.state.status, next.status);
    const merged: SessionState = { ...this.state, ...next };
    const k = Object.keys(merged) as (keyof SessionState)[];
    if (k.every((key) => JSON.stringify(merged[key]) === JSON.stringify(this.state[key]))) return;
    this.state = merged;
    this.o.logger.info('session: state', { status: merged.status, problem: merged.problem?.code ?? null });
    for (const l of [...this.listeners]) {
      try {
        l(this.getState());
      } catch (e) {
        this.o.logger.warn('session: listener threw', { error: String(e) });
      }
    }
  }

  // ---- server selection ------------------------------------------------------------------------

  private originOf(serverUrl: string): string {
    const origin = serverOrigin(serverUrl);
    if (!origin) throw new SessionOperationError('invalid_request', 'The server address must be an http(s) URL.');
    return origin;
  }

  private makeClient(origin: string): AuthClient {
    return new AuthClient({
      origin,
      fetch: this.o.fetch,
      clock: this.o.clock,
      serverClock: new ServerClockEstimator(),
      timeoutMs: this.o.requestTimeoutMs,
    });
  }

  /** Switch to `serverUrl`'s origin, keeping the learned clock offset if it is the same server. */
  private useServer(serverUrl: string): AuthClient {
    const origin = this.originOf(serverUrl);
    if (!this.client || this.origin !== origin) {
      this.origin = origin;
      this.client = this.makeClient(origin);
    }
    return this.client;
  }

  /** Drops the live session and any pending timers; later results of older work are ignored. */
  private resetLive(): number {
    this.cancelTimers();
    this.session = null;
    this.refreshFlight.reset();
    this.attempt = 0;
    return ++this.generation;
  }

  // ---- start-up: silent restore ----------------------------------------------------------------

  /** Restore the session stored for `serverUrl` (no prompt). Resolves with the resulting state. */
  async start(serverUrl: string): Promise<SessionState> {
    const client = this.useServer(serverUrl);
    const gen = this.resetLive();
    const origin = client.origin;
    let entries;
    try {
      entries = await this.o.secretStore.list();
    } catch (e) {
      if (gen !== this.generation) return this.getState();
      this.setState({ status: 'error', serverUrl, user: null, sessionId: null, problem: problemFrom(e), nextRetryAt: null });
      return this.getState();
    }
    if (gen !== this.generation) return this.getState();
    const { found, stale } = pickStoredSession(entries, origin);
    for (const account of stale) void this.o.secretStore.delete(account).catch(() => {});
    if (!found) {
      this.setState({ status: 'signedOut', serverUrl, user: null, sessionId: null, problem: null, nextRetryAt: null });
      return this.getState();
    }
    const { stored } = found;
    this.session = {
      account: found.account,
      user: stored.user,
      sessionId: stored.sessionId,
      refreshToken: stored.refreshToken,
      access: null,
      unsaved: false,
    };
    // Show the cached identity at once; the refresh decides signedIn / offline / signedOut.
    this.setState({ status: 'refreshing', serverUrl, user: stored.user, sessionId: stored.sessionId, problem: null, nextRetryAt: null });
    await this.refreshNow();
    return this.getState();
  }

  // ---- register / sign in / sign out -------------------------------------------------------------

  /** Creates an account. Does not sign in and does not touch the current session. */
  async register(serverUrl: string, req: { email: string; password: string; displayName: string }): Promise<RegisterResponse> {
    const origin = this.originOf(serverUrl);
    const client = this.client && this.origin === origin ? this.client : this.makeClient(origin);
    try {
      return await client.register(req);
    } catch (e) {
      throw operationErrorFrom(e);
    }
  }

  /**
   * Signs in with a password. Resolves with the signed-in state; rejects with SessionOperationError
   * (the state then carries the same problem). With no usable keychain the sign-in fails and the
   * server session is revoked: we never keep a session we could not store.
   */
  async signIn(serverUrl: string, email: string, password: string): Promise<SessionState> {
    const client = this.useServer(serverUrl);
    const gen = this.resetLive();
    this.setState({ status: 'signingIn', serverUrl, user: null, sessionId: null, problem: null, nextRetryAt: null });
    let grant: TokenGrant;
    try {
      grant = await client.login({ email, password, deviceName: this.o.deviceName });
    } catch (e) {
      const err = operationErrorFrom(e);
      if (gen === this.generation) this.setState({ status: 'signedOut', problem: problemFrom(err) });
      throw err;
    }
    if (gen !== this.generation) {
      if (grant.refreshToken) void client.logout(grant.refreshToken, this.o.logoutTimeoutMs).catch(() => {});
      throw new SessionOperationError('unknown', 'Sign-in was superseded by another session action.');
    }
    const account = accountFor(client.origin, grant.user.id);
    const live: LiveSession = {
      account,
      user: grant.user,
      sessionId: grant.sessionId,
      refreshToken: grant.refreshToken,
      access: { token: grant.accessToken, life: lifeOf(grant) },
      unsaved: false,
    };
    if (grant.refreshToken) {
      try {
        await this.persist(live);
      } catch (e) {
        // Revoke what we could not store, so no session lingers that the user cannot see or end.
        void client.logout(grant.refreshToken, this.o.logoutTimeoutMs).catch(() => {});
        const err = e instanceof SecretStoreError ? keychainOperationError(e) : operationErrorFrom(e);
        if (gen === this.generation) this.setState({ status: 'error', problem: problemFrom(e) });
        throw err;
      }
      if (gen !== this.generation) throw new SessionOperationError('unknown', 'Sign-in was superseded by another session action.');
      void this.forgetOtherAccounts(client, account);
    }
    this.session = live;
    this.setState({ status: 'signedIn', user: grant.user, sessionId: grant.sessionId, problem: null, nextRetryAt: null });
    this.o.logger.info('session: signed in', { origin: client.origin, sessionId: grant.sessionId });
    this.armRenewal();
    return this.getState();
  }

  /** Older entries for the same server (another user who never signed out): revoke and delete. */
  private async forgetOtherAccounts(client: AuthClient, keep: string): Promise<void> {
    try {
      const { found, stale } = pickStoredSession(await this.o.secretStore.list(), client.origin);
      const others = [...stale, ...(found && found.account !== keep ? [found.account] : [])];
      for (const account of others) {
        if (found && found.account === account) void client.logout(found.stored.refreshToken, this.o.logoutTimeoutMs).catch(() => {});
        await this.o.secretStore.delete(account).catch(() => false);
      }
    } catch {
      // best effort: a leftover entry only holds a token for an idle session
    }
  }

  /**
   * Signs out: revokes on the server (best effort, short timeout; works offline), deletes the
   * keychain entry, wipes memory. Always ends signedOut.
   */
  async signOut(): Promise<SessionState> {
    // A refresh in flight is about to rotate the token: let it land (briefly) so we revoke the
    // newest one, not its predecessor.
    const inflight = this.refreshFlight.current;
    if (inflight) await this.within(inflight, this.o.logoutTimeoutMs);
    const live = this.session;
    const client = this.client;
    this.resetLive();
    let problem: SessionProblem | null = null;
    if (live) {
      const revoke = (async () => {
        if (!client) return;
        if (live.refreshToken) await client.logout(live.refreshToken, this.o.logoutTimeoutMs);
        else if (live.access) {
          // No refresh token (REFRESH_TOKENS=off): revoke our own session with the access token.
          const res = await client.send(
            `${API_PATHS.sessions}/${encodeURIComponent(live.sessionId)}`,
            { method: 'DELETE', headers: { authorization: `Bearer ${live.access.token}` } },
            this.o.logoutTimeoutMs,
          );
          await res.body?.cancel();
        }
      })().catch((e: unknown) => this.o.logger.warn('session: server revoke failed (signed out locally)', { error: errText(e) }));
      const forget = live.refreshToken
        ? this.o.secretStore.delete(live.account).then(
            () => {},
            (e: unknown) => {
              problem = problemFrom(e);
            },
          )
        : Promise.resolve();
      await Promise.all([revoke, forget]);
    }
    this.setState({ status: 'signedOut', user: null, sessionId: null, problem, nextRetryAt: null });
    return this.getState();
  }

  /** Waits for `p` at most `ms` (injected timers); never rejects. */
  private within(p: Promise<unknown>, ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const t = this.o.timers.setTimeout(resolve, ms);
      void p.catch(() => {}).finally(() => {
        this.o.timers.clearTimeout(t);
        resolve();
      });
    });
  }

  // ---- API calls ---------------------------------------------------------------------------------

  /**
   * fetch() against the current server with the access token. A 401 triggers the single shared
   * refresh and one retry. Rejects with SessionOperationError when there is no usable session.
   */
  async authorizedFetch(path: string, init: RequestInit = {}): Promise<Response> {
    const token = await this.currentAccessToken();
    const first = await this.sendWith(path, init, token);
    if (first.status !== 401) return first;
    await first.body?.cancel();
    const fresh = await this.accessTokenAfter401(token);
    return this.sendWith(path, init, fresh);
  }

  async listDevices(): Promise<DeviceSession[]> {
    const res = await this.authorizedFetch(API_PATHS.sessions);
    const client = this.requireClient();
    if (!res.ok) throw operationErrorFrom(await client.failure(res));
    try {
      return (await client.parse(res, SessionsResponse)).sessions;
    } catch (e) {
      throw operationErrorFrom(e);
    }
  }

  /** Signs a device out. Revoking our own session signs this app out too. Returns the remaining list. */
  async revokeDevice(id: string): Promise<DeviceSession[]> {
    const own = this.session?.sessionId === id;
    const res = await this.authorizedFetch(`${API_PATHS.sessions}/${encodeURIComponent(id)}`, { method: 'DELETE' });
    if (!res.ok) throw operationErrorFrom(await this.requireClient().failure(res));
    await res.body?.cancel();
    if (own) {
      await this.endSession(null);
      return [];
    }
    return this.listDevices();
  }

  private requireClient(): AuthClient {
    if (!this.client) throw new SessionOperationError('not_signed_in', 'Not signed in.');
    return this.client;
  }

  private async sendWith(path: string, init: RequestInit, token: string): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${token}`);
    try {
      return await this.requireClient().send(path, { ...init, headers });
    } catch (e) {
      throw operationErrorFrom(e);
    }
  }

  private accessUsable(s: LiveSession): boolean {
    if (!s.access || !this.client) return false;
    const serverNow = this.client.serverClock.toServer(this.o.clock.now());
    // Without a refresh token there is no renewing early: use the token up to its very end.
    return !isAccessExpired(s.access.life, serverNow, s.refreshToken ? undefined : 0);
  }

  private async currentAccessToken(): Promise<string> {
    const s = this.session;
    if (!s || this.state.status === 'error' || this.state.status === 'signingIn') throw this.notUsable();
    if (this.accessUsable(s) && s.access) return s.access.token;
    return this.tokenAfter(await this.refreshNow());
  }

  private async accessTokenAfter401(used: string): Promise<string> {
    const s = this.session;
    if (!s) throw this.notUsable();
    // Someone already refreshed since our request left: just retry with the new token.
    if (s.access && s.access.token !== used && this.accessUsable(s)) return s.access.token;
    if (!s.refreshToken) {
      await this.endSession(SESSION_EXPIRED);
      throw this.notUsable();
    }
    return this.tokenAfter(await this.refreshNow());
  }

  private tokenAfter(outcome: RefreshOutcome): string {
    const s = this.session;
    if (outcome === 'signedIn' && s?.access) return s.access.token;
    throw this.notUsable();
  }

  /** The error for "no usable session right now", matching the current state. */
  private notUsable(): SessionOperationError {
    const p = this.state.problem;
    switch (this.state.status) {
      case 'offline':
        return new SessionOperationError(p?.code === 'server_error' ? 'server_error' : 'server_unreachable', p?.message ?? 'Offline.');
      case 'error':
        if (p?.code === 'keychain_locked' || p?.code === 'keychain_unavailable') return new SessionOperationError(p.code, p.message);
        return new SessionOperationError('unknown', p?.message ?? 'The session is in an error state.');
      default:
        return new SessionOperationError('not_signed_in', p?.message ?? 'Not signed in.');
    }
  }

  // ---- refresh -----------------------------------------------------------------------------------

  /** Refresh now, joining a refresh already in flight. */
  refreshNow(): Promise<RefreshOutcome> {
    return this.refreshFlight.run(() => this.doRefresh());
  }

  /** Number of refreshes actually started (single-flight joins not counted). */
  get refreshRuns(): number {
    return this.refreshFlight.runs;
  }

  private async doRefresh(): Promise<RefreshOutcome> {
    const gen = this.generation;
    const s = this.session;
    const client = this.client;
    if (!s || !client) return 'signedOut';
    if (!s.refreshToken) {
      if (this.accessUsable(s)) return 'signedIn';
      await this.endSession(SESSION_EXPIRED);
      return 'signedOut';
    }
    this.cancelTimers();
    if (s.unsaved) return this.persistAndReport(gen, s);
    this.setState({ status: 'refreshing', nextRetryAt: null });
    let grant: TokenGrant;
    try {
      grant = await client.refresh(s.refreshToken);
    } catch (e) {
      if (gen !== this.generation) return 'stale';
      if (e instanceof AuthClientError && e.kind === 'auth') {
        this.o.logger.info('session: refresh rejected, signing out', { code: e.code });
        await this.endSession(SESSION_EXPIRED);
        return 'signedOut';
      }
      this.goOffline(e);
      return 'offline';
    }
    if (gen !== this.generation) return 'stale';
    // The old refresh token is dead from here on; the new one must reach the keychain first.
    s.refreshToken = grant.refreshToken;
    s.user = grant.user;
    s.sessionId = grant.sessionId;
    s.access = { token: grant.accessToken, life: lifeOf(grant) };
    return this.persistAndReport(gen, s);
  }

  private async persistAndReport(gen: number, s: LiveSession): Promise<RefreshOutcome> {
    try {
      await this.persist(s);
      s.unsaved = false;
    } catch (e) {
      if (gen !== this.generation) return 'stale';
      s.unsaved = true;
      this.setState({ status: 'error', problem: problemFrom(e), nextRetryAt: null });
      return 'error';
    }
    if (gen !== this.generation) return 'stale';
    this.attempt = 0;
    this.setState({ status: 'signedIn', user: s.user, sessionId: s.sessionId, problem: null, nextRetryAt: null });
    this.armRenewal();
    return 'signedIn';
  }

  private async persist(s: LiveSession): Promise<void> {
    if (!s.refreshToken) {
      // The server stopped issuing refresh tokens: nothing may stay in the keychain.
      await this.o.secretStore.delete(s.account);
      return;
    }
    const secret = encodeStoredSession({ refreshToken: s.refreshToken, user: s.user, sessionId: s.sessionId, savedAt: this.o.clock.now() });
    await this.o.secretStore.set(s.account, secret);
  }

  private goOffline(e: unknown): void {
    const retryAfterMs = e instanceof AuthClientError ? e.retryAfterMs : null;
    const delay = retryDelayWithHint(this.attempt++, this.o.random, retryAfterMs, this.o.backoff);
    const nextRetryAt = this.o.clock.now() + delay;
    const p = problemFrom(e);
    const problem: SessionProblem =
      p.code === 'server_error' || p.code === 'rate_limited'
        ? p
        : { code: 'server_unreachable', message: `Cannot reach ${this.origin ?? 'the server'} (${errText(e)}). Retrying automatically.` };
    this.o.logger.warn('session: offline', { code: e instanceof AuthClientError ? e.code : 'unknown', retryInMs: delay });
    this.setState({ status: 'offline', problem, nextRetryAt });
    this.retryTimer = this.o.timers.setTimeout(() => {
      this.retryTimer = null;
      void this.refreshNow();
    }, delay);
  }

  /** The session is over (revoked, expired, or signed out by revoking our own device). */
  private async endSession(problem: SessionProblem | null): Promise<void> {
    const live = this.session;
    this.resetLive();
    if (live?.refreshToken || live?.unsaved) {
      await this.o.secretStore.delete(live.account).catch((e: unknown) => {
        this.o.logger.warn('session: could not delete keychain entry', { error: errText(e) });
      });
    }
    this.setState({ status: 'signedOut', user: null, sessionId: null, problem, nextRetryAt: null });
  }

  // ---- scheduling --------------------------------------------------------------------------------

  /** Arms the next wake-up toward the renewal (or, without refresh tokens, the expiry) deadline. */
  private armRenewal(): void {
    if (this.renewTimer !== null) this.o.timers.clearTimeout(this.renewTimer);
    this.renewTimer = null;
    const s = this.session;
    const client = this.client;
    if (!s?.access || !client || this.state.status !== 'signedIn') return;
    const dueServer = s.refreshToken ? renewalDueAtServer(s.access.life, this.o.renewFraction) : s.access.life.expiresAtServer;
    const wake = nextWake(this.o.clock.now(), client.serverClock.toLocal(dueServer), this.o.maxSleepMs);
    if (wake.due) {
      void this.refreshNow();
      return;
    }
    this.renewTimer = this.o.timers.setTimeout(() => {
      this.renewTimer = null;
      this.armRenewal();
    }, wake.delayMs);
  }

  private cancelTimers(): void {
    if (this.retryTimer !== null) this.o.timers.clearTimeout(this.retryTimer);
    if (this.renewTimer !== null) this.o.timers.clearTimeout(this.renewTimer);
    this.retryTimer = null;
    this.renewTimer = null;
  }

  // ---- platform events (wired by the composition root) -------------------------------------------

  /** The network came back: retry now instead of waiting for the backoff timer. */
  async handleNetworkUp(): Promise<void> {
    if (this.state.status === 'offline') await this.refreshNow();
  }

  /** The machine woke up: timers may have slept through deadlines, re-check on absolute time. */
  async handleResume(): Promise<void> {
    if (this.state.status === 'offline') await this.refreshNow();
    else if (this.state.status === 'signedIn') this.armRenewal();
  }

  /** The screen (and often the keychain) was unlocked: retry a keychain failure, re-arm timers. */
  async handleUnlock(): Promise<void> {
    const { status, problem, serverUrl } = this.state;
    const keychain = problem?.code === 'keychain_locked' || problem?.code === 'keychain_unavailable';
    if (status === 'error' && keychain) {
      if (this.session?.unsaved) await this.refreshNow();
      else if (!this.session && serverUrl) await this.start(serverUrl);
    } else await this.handleResume();
  }

  /** Stops timers and listeners (app quit). Keeps the keychain entry: the user stays signed in. */
  dispose(): void {
    this.resetLive();
    this.listeners.clear();
  }
}

function lifeOf(grant: TokenGrant): AccessLifetime {
  return { receivedAtServer: grant.receivedAtServer, expiresAtServer: Date.parse(grant.accessTokenExpiresAt) };
}

function errText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export { SessionOperationError };
