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
import type { DeviceSession, RegisterResponse } from '../../src-shared/http-api';
import { retryDelayWithHint } from '../../src-shared/session/backoff';
import type { SessionProblem, SessionState } from '../../src-shared/session/session-state';
import { AuthClientError, type TokenGrant } from './auth-client';
import { AuthorizedFetch } from './authorized-fetch';
import { within } from './bounded-wait';
import { listDevices, revokeDevice, type DeviceCallHost } from './device-calls';
import { accessUsable, applyGrant, liveFromGrant, liveFromStored, type LiveSession, type RefreshOutcome } from './live-session';
import { RenewalTimer, renewalWake } from './renewal-timer';
import { SecretStoreError } from './secret-store';
import { ServerConnection } from './server-connection';
import {
  errText,
  keychainOperationError,
  offlineProblem,
  operationErrorFrom,
  problemFrom,
  SESSION_EXPIRED,
  SessionOperationError,
} from './session-errors';
import { forgetOtherAccounts, persistSession } from './session-keychain';
import { resolveSessionOptions, type ResolvedSessionOptions, type SessionManagerOptions } from './session-manager-options';
import { SessionStateStore, type SessionListener } from './session-state-store';
import { endSessionEverywhere } from './sign-out';
import { accountFor, pickStoredSession } from './stored-session';
import { SingleFlight } from './single-flight';

export class SessionManager {
  private readonly o: ResolvedSessionOptions;
  private readonly store: SessionStateStore;
  private readonly server: ServerConnection;
  private readonly timers: RenewalTimer;
  private readonly api: AuthorizedFetch;
  private readonly devices: DeviceCallHost;
  private session: LiveSession | null = null;
  private generation = 0;
  private attempt = 0;
  private readonly refreshFlight = new SingleFlight<RefreshOutcome>();

  constructor(opts: SessionManagerOptions) {
    this.o = resolveSessionOptions(opts);
    this.store = new SessionStateStore(this.o.logger);
    this.server = new ServerConnection(this.o);
    this.timers = new RenewalTimer(this.o.timers);
    this.api = new AuthorizedFetch({
      clock: this.o.clock,
      session: () => this.session,
      client: () => this.server.client,
      requireClient: () => this.server.require(),
      state: () => this.store.current,
      refreshNow: () => this.refreshNow(),
      endExpiredSession: () => this.endSession(SESSION_EXPIRED),
    });
    this.devices = {
      authorizedFetch: (path, init) => this.authorizedFetch(path, init),
      requireClient: () => this.server.require(),
      ownSessionId: () => this.session?.sessionId ?? null,
      endOwnSession: () => this.endSession(null),
    };
  }

  getState(): SessionState {
    return this.store.snapshot();
  }

  /** Called with every new state. Returns the unsubscribe function. */
  subscribe(listener: SessionListener): () => void {
    return this.store.subscribe(listener);
  }

  /** Drops the live session and any pending timers; later results of older work are ignored. */
  private resetLive(): number {
    this.timers.cancel();
    this.session = null;
    this.refreshFlight.reset();
    this.attempt = 0;
    return ++this.generation;
  }

  /** Restore the session stored for `serverUrl` (no prompt). Resolves with the resulting state. */
  async start(serverUrl: string): Promise<SessionState> {
    const client = this.server.use(serverUrl);
    const gen = this.resetLive();
    const origin = client.origin;
    let entries;
    try {
      entries = await this.o.secretStore.list();
    } catch (e) {
      if (gen !== this.generation) return this.getState();
      this.store.set({ status: 'error', serverUrl, user: null, sessionId: null, problem: problemFrom(e), nextRetryAt: null });
      return this.getState();
    }
    if (gen !== this.generation) return this.getState();
    const { found, stale } = pickStoredSession(entries, origin);
    for (const account of stale) void this.o.secretStore.delete(account).catch(() => {});
    if (!found) {
      this.store.set({ status: 'signedOut', serverUrl, user: null, sessionId: null, problem: null, nextRetryAt: null });
      return this.getState();
    }
    const { stored } = found;
    this.session = liveFromStored(found);
    // Show the cached identity at once; the refresh decides signedIn / offline / signedOut.
    this.store.set({ status: 'refreshing', serverUrl, user: stored.user, sessionId: stored.sessionId, problem: null, nextRetryAt: null });
    await this.refreshNow();
    return this.getState();
  }

  /** Creates an account. Does not sign in and does not touch the current session. */
  async register(serverUrl: string, req: { email: string; password: string; displayName: string }): Promise<RegisterResponse> {
    const client = this.server.peek(serverUrl);
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
    const client = this.server.use(serverUrl);
    const gen = this.resetLive();
    this.store.set({ status: 'signingIn', serverUrl, user: null, sessionId: null, problem: null, nextRetryAt: null });
    let grant: TokenGrant;
    try {
      grant = await client.login({ email, password, deviceName: this.o.deviceName });
    } catch (e) {
      const err = operationErrorFrom(e);
      if (gen === this.generation) this.store.set({ status: 'signedOut', problem: problemFrom(err) });
      throw err;
    }
    if (gen !== this.generation) {
      if (grant.refreshToken) void client.logout(grant.refreshToken, this.o.logoutTimeoutMs).catch(() => {});
      throw new SessionOperationError('unknown', 'Sign-in was superseded by another session action.');
    }
    const account = accountFor(client.origin, grant.user.id);
    const live = liveFromGrant(account, grant);
    if (grant.refreshToken) {
      try {
        await persistSession(this.o.secretStore, this.o.clock, live);
      } catch (e) {
        // Revoke what we could not store, so no session lingers that the user cannot see or end.
        void client.logout(grant.refreshToken, this.o.logoutTimeoutMs).catch(() => {});
        const err = e instanceof SecretStoreError ? keychainOperationError(e) : operationErrorFrom(e);
        if (gen === this.generation) this.store.set({ status: 'error', problem: problemFrom(e) });
        throw err;
      }
      if (gen !== this.generation) throw new SessionOperationError('unknown', 'Sign-in was superseded by another session action.');
      void forgetOtherAccounts(this.o.secretStore, client, account, this.o.logoutTimeoutMs);
    }
    this.session = live;
    this.store.set({ status: 'signedIn', user: grant.user, sessionId: grant.sessionId, problem: null, nextRetryAt: null });
    this.o.logger.info('session: signed in', { origin: client.origin, sessionId: grant.sessionId });
    this.armRenewal();
    return this.getState();
  }

  /**
   * Signs out: revokes on the server (best effort, short timeout; works offline), deletes the
   * keychain entry, wipes memory. Always ends signedOut.
   */
  async signOut(): Promise<SessionState> {
    // A refresh in flight is about to rotate the token: let it land (briefly) so we revoke the
    // newest one, not its predecessor.
    const inflight = this.refreshFlight.current;
    if (inflight) await within(this.o.timers, inflight, this.o.logoutTimeoutMs);
    const live = this.session;
    const client = this.server.client;
    this.resetLive();
    const problem = live ? await endSessionEverywhere(this.o, client, live) : null;
    this.store.set({ status: 'signedOut', user: null, sessionId: null, problem, nextRetryAt: null });
    return this.getState();
  }

  /**
   * fetch() against the current server with the access token. A 401 triggers the single shared
   * refresh and one retry. Rejects with SessionOperationError when there is no usable session.
   */
  authorizedFetch(path: string, init: RequestInit = {}): Promise<Response> {
    return this.api.fetch(path, init);
  }

  listDevices(): Promise<DeviceSession[]> {
    return listDevices(this.devices);
  }

  /** Signs a device out. Revoking our own session signs this app out too. Returns the remaining list. */
  revokeDevice(id: string): Promise<DeviceSession[]> {
    return revokeDevice(this.devices, id);
  }

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
    const client = this.server.client;
    if (!s || !client) return 'signedOut';
    if (!s.refreshToken) {
      if (accessUsable(s, client, this.o.clock)) return 'signedIn';
      await this.endSession(SESSION_EXPIRED);
      return 'signedOut';
    }
    this.timers.cancel();
    if (s.unsaved) return this.persistAndReport(gen, s);
    this.store.set({ status: 'refreshing', nextRetryAt: null });
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
    applyGrant(s, grant);
    return this.persistAndReport(gen, s);
  }

  private async persistAndReport(gen: number, s: LiveSession): Promise<RefreshOutcome> {
    try {
      await persistSession(this.o.secretStore, this.o.clock, s);
      s.unsaved = false;
    } catch (e) {
      if (gen !== this.generation) return 'stale';
      s.unsaved = true;
      this.store.set({ status: 'error', problem: problemFrom(e), nextRetryAt: null });
      return 'error';
    }
    if (gen !== this.generation) return 'stale';
    this.attempt = 0;
    this.store.set({ status: 'signedIn', user: s.user, sessionId: s.sessionId, problem: null, nextRetryAt: null });
    this.armRenewal();
    return 'signedIn';
  }

  private goOffline(e: unknown): void {
    const retryAfterMs = e instanceof AuthClientError ? e.retryAfterMs : null;
    const delay = retryDelayWithHint(this.attempt++, this.o.random, retryAfterMs, this.o.backoff);
    const nextRetryAt = this.o.clock.now() + delay;
    const problem = offlineProblem(e, this.server.origin);
    this.o.logger.warn('session: offline', { code: e instanceof AuthClientError ? e.code : 'unknown', retryInMs: delay });
    this.store.set({ status: 'offline', problem, nextRetryAt });
    this.timers.retryIn(delay, () => {
      void this.refreshNow();
    });
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
    this.store.set({ status: 'signedOut', user: null, sessionId: null, problem, nextRetryAt: null });
  }

  /** Arms the next wake-up toward the renewal (or, without refresh tokens, the expiry) deadline. */
  private armRenewal(): void {
    this.timers.clearRenewal();
    const s = this.session;
    const client = this.server.client;
    if (!s?.access || !client || this.store.current.status !== 'signedIn') return;
    const wake = renewalWake(s.access.life, Boolean(s.refreshToken), client.serverClock, this.o);
    if (wake.due) {
      void this.refreshNow();
      return;
    }
    this.timers.renewIn(wake.delayMs, () => this.armRenewal());
  }

  /** The network came back: retry now instead of waiting for the backoff timer. */
  async handleNetworkUp(): Promise<void> {
    if (this.store.current.status === 'offline') await this.refreshNow();
  }

  /** The machine woke up: timers may have slept through deadlines, re-check on absolute time. */
  async handleResume(): Promise<void> {
    const { status } = this.store.current;
    if (status === 'offline') await this.refreshNow();
    else if (status === 'signedIn') this.armRenewal();
  }

  /** The screen (and often the keychain) was unlocked: retry a keychain failure, re-arm timers. */
  async handleUnlock(): Promise<void> {
    const { status, problem, serverUrl } = this.store.current;
    const keychain = problem?.code === 'keychain_locked' || problem?.code === 'keychain_unavailable';
    if (status === 'error' && keychain) {
      if (this.session?.unsaved) await this.refreshNow();
      else if (!this.session && serverUrl) await this.start(serverUrl);
    } else await this.handleResume();
  }

  /** Stops timers and listeners (app quit). Keeps the keychain entry: the user stays signed in. */
  dispose(): void {
    this.resetLive();
    this.store.clearListeners();
  }
}

export { SessionOperationError };
export type { RefreshOutcome } from './live-session';
export type { SessionLogger, SessionManagerOptions, SessionTimers } from './session-manager-options';
