import { describe, expect, it } from 'vitest';
import { SessionManager } from '../../../src-main/session/session-manager';
import type { SessionState } from '../../../src-shared/session/session-state';
import { ManualClock } from '../../helpers/manual-clock';
import { MemorySecretStore } from '../../helpers/memory-secret-store';
import { FakeAuthServer, flush, ManualTimers } from './fakes';

const URL_ = 'http://server.test:8787';
const ACCOUNT = `${URL_}|u1`;

function setup(opts: { skewMs?: number } = {}) {
  const serverClock = new ManualClock(1_700_000_000_000);
  // The client's clock is the server's plus a skew; both move together.
  const clientClock = new ManualClock(serverClock.now() + (opts.skewMs ?? 0));
  const timers = new ManualTimers(clientClock);
  const server = new FakeAuthServer(serverClock);
  const store = new MemorySecretStore();
  const states: SessionState[] = [];
  const make = () => {
    const m = new SessionManager({
      secretStore: store,
      fetch: server.fetch,
      clock: clientClock,
      timers,
      random: () => 0.5,
      appId: 'test',
      deviceName: 'unit',
    });
    m.subscribe((s) => states.push(s));
    return m;
  };
  const advance = async (ms: number) => {
    serverClock.advance(0);
    const before = clientClock.now();
    await timers.advance(ms);
    serverClock.advance(clientClock.now() - before);
  };
  return { serverClock, clientClock, timers, server, store, states, make, advance };
}

const refreshes = (s: FakeAuthServer) => s.calls.filter((c) => c === 'POST /api/auth/refresh').length;

describe('SessionManager (unit, fake server)', () => {
  it('signs in, stores the refresh token, and never exposes tokens in state', async () => {
    const t = setup();
    const m = t.make();
    const state = await m.signIn(URL_, 'a@x.test', 'password1');
    expect(state.status).toBe('signedIn');
    expect(JSON.parse(t.store.entries.get(ACCOUNT)!).refreshToken).toMatch(/^rt-/);
    expect(JSON.stringify(t.states)).not.toMatch(/rt-|at-/);
    expect(t.states.map((s) => s.status)).toEqual(['signingIn', 'signedIn']);
  });

  it('wrong password: signedOut with invalid_credentials, nothing stored', async () => {
    const t = setup();
    const m = t.make();
    await expect(m.signIn(URL_, 'a@x.test', 'nope')).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(m.getState()).toMatchObject({ status: 'signedOut', problem: { code: 'invalid_credentials' } });
    expect(t.store.entries.size).toBe(0);
  });

  it('keychain write failure on sign-in → error state, session revoked, nothing kept', async () => {
    const t = setup();
    t.store.failWrites = 'locked';
    const m = t.make();
    await expect(m.signIn(URL_, 'a@x.test', 'password1')).rejects.toMatchObject({ code: 'keychain_locked' });
    expect(m.getState()).toMatchObject({ status: 'error', problem: { code: 'keychain_locked' }, user: null });
    await flush();
    expect(t.server.calls).toContain('POST /api/auth/logout');
    await expect(m.authorizedFetch('/api/me')).rejects.toMatchObject({ code: 'keychain_locked' });
  });

  it('restores silently, refreshes proactively at 80% and re-checks every ≤30 s', async () => {
    const t = setup();
    const first = t.make();
    await first.signIn(URL_, 'a@x.test', 'password1');
    first.dispose(); // like quitting the app: the keychain entry stays
    const m = t.make();
    expect((await m.start(URL_)).status).toBe('signedIn');
    expect(refreshes(t.server)).toBe(1);
    await t.advance(470_000);
    expect(refreshes(t.server)).toBe(1);
    await t.advance(20_000); // past 480 s
    expect(refreshes(t.server)).toBe(2);
    expect(t.timers.pending).toBe(1);
    m.dispose();
  });

  it('a rotated token is stored before signedIn is reported; a failed write → error, then unlock recovers', async () => {
    const t = setup();
    const first = t.make();
    await first.signIn(URL_, 'a@x.test', 'password1');
    first.dispose(); // like quitting the app: the keychain entry stays
    const m = t.make();
    await m.start(URL_);
    t.store.failWrites = 'locked';
    await m.refreshNow();
    expect(m.getState()).toMatchObject({ status: 'error', problem: { code: 'keychain_locked' } });
    expect(t.states.at(-1)?.status).toBe('error');
    t.store.failWrites = null;
    await m.handleUnlock();
    expect(m.getState().status).toBe('signedIn');
    const stored = JSON.parse(t.store.entries.get(ACCOUNT)!).refreshToken;
    // The keychain holds the newest token: a new manager restores with it.
    const again = t.make();
    expect((await again.start(URL_)).status).toBe('signedIn');
    expect(stored).toMatch(/^rt-/);
  });

  it('server down / 5xx / garbage never sign out: offline with cached identity, backoff, network-up', async () => {
    const t = setup();
    const first = t.make();
    await first.signIn(URL_, 'a@x.test', 'password1');
    first.dispose(); // like quitting the app: the keychain entry stays
    for (const mode of ['down', '500', 'html'] as const) {
      t.server.mode = mode;
      const m = t.make();
      const s = await m.start(URL_);
      expect(s).toMatchObject({ status: 'offline', user: { id: 'u1' } });
      expect(s.nextRetryAt).toBeGreaterThan(t.clientClock.now());
      expect(t.store.entries.has(ACCOUNT)).toBe(true);
      await t.advance(60_000); // retries with backoff, still failing
      expect(m.getState().status).toBe('offline');
      t.server.mode = 'up';
      await m.handleNetworkUp();
      expect(m.getState().status).toBe('signedIn');
      m.dispose();
    }
  });

  it('invalid_grant signs out and deletes the keychain entry', async () => {
    const t = setup();
    const first = t.make();
    const s = await first.signIn(URL_, 'a@x.test', 'password1');
    t.server.revoked.add(s.sessionId!);
    const m = t.make();
    const out = await m.start(URL_);
    expect(out).toMatchObject({ status: 'signedOut', problem: { code: 'session_expired' } });
    expect(t.store.entries.size).toBe(0);
  });

  it('many concurrent calls after expiry make one refresh', async () => {
    const t = setup();
    const m = t.make();
    await m.signIn(URL_, 'a@x.test', 'password1');
    t.serverClock.advance(700_000); // expired on the server; the client's timers never fired
    t.clientClock.advance(700_000);
    const res = await Promise.all(Array.from({ length: 50 }, () => m.authorizedFetch('/api/me')));
    expect(res.every((r) => r.status === 200)).toBe(true);
    expect(refreshes(t.server)).toBe(1);
  });

  it('many concurrent 401s (client thinks the token is fine) make one refresh', async () => {
    const t = setup({ skewMs: -650_000 }); // client clock far behind: we learn the offset though
    const m = t.make();
    await m.signIn(URL_, 'a@x.test', 'password1');
    t.server.accessTtlMs = 600_000;
    // Server-side revocation of the access token only (e.g. key rotation): simulate by expiring it.
    t.serverClock.advance(601_000);
    const res = await Promise.all(Array.from({ length: 50 }, () => m.authorizedFetch('/api/me')));
    expect(res.every((r) => r.status === 200)).toBe(true);
    expect(refreshes(t.server)).toBe(1);
  });

  it('a skewed client clock (±3 h) neither signs out nor refreshes early', async () => {
    for (const skew of [3 * 3_600_000, -3 * 3_600_000]) {
      const t = setup({ skewMs: skew });
      const m = t.make();
      await m.signIn(URL_, 'a@x.test', 'password1');
      await t.advance(470_000);
      expect(refreshes(t.server)).toBe(0);
      await t.advance(20_000);
      expect(refreshes(t.server)).toBe(1);
      expect(m.getState().status).toBe('signedIn');
      m.dispose();
    }
  });

  it('REFRESH_TOKENS=off: nothing in the keychain, signed out with session_expired at expiry', async () => {
    const t = setup();
    t.server.refreshTokensOn = false;
    const m = t.make();
    await m.signIn(URL_, 'a@x.test', 'password1');
    expect(t.store.entries.size).toBe(0);
    await t.advance(590_000);
    expect(m.getState().status).toBe('signedIn');
    await t.advance(11_000);
    expect(m.getState()).toMatchObject({ status: 'signedOut', problem: { code: 'session_expired' } });
  });

  it('sign out works offline: entry deleted, memory wiped', async () => {
    const t = setup();
    const m = t.make();
    await m.signIn(URL_, 'a@x.test', 'password1');
    t.server.mode = 'down';
    const s = await m.signOut();
    expect(s).toMatchObject({ status: 'signedOut', user: null, sessionId: null });
    expect(t.store.entries.size).toBe(0);
    await expect(m.authorizedFetch('/api/me')).rejects.toMatchObject({ code: 'not_signed_in' });
  });

  it('keychain unavailable at start → explicit error; unlock retries', async () => {
    const t = setup();
    const first = t.make();
    await first.signIn(URL_, 'a@x.test', 'password1');
    first.dispose(); // like quitting the app: the keychain entry stays
    t.store.failWith = 'unavailable';
    const m = t.make();
    expect(await m.start(URL_)).toMatchObject({ status: 'error', problem: { code: 'keychain_unavailable' } });
    t.store.failWith = null;
    await m.handleUnlock();
    expect(m.getState().status).toBe('signedIn');
  });
});

describe('SessionManager (unit) races', () => {
  it('sign-out during a refresh revokes the newest token and leaves nothing behind', async () => {
    const t = setup();
    const m = t.make();
    await m.signIn(URL_, 'a@x.test', 'password1');
    const refreshing = m.refreshNow();
    const out = m.signOut();
    await refreshing;
    expect((await out).status).toBe('signedOut');
    expect(t.store.entries.size).toBe(0);
    expect(t.server.revoked.size).toBe(1);
    // Nothing re-arms after sign-out.
    expect(t.timers.pending).toBe(0);
  });

  it('signIn superseded by signOut does not resurrect the session', async () => {
    const t = setup();
    const m = t.make();
    const p = m.signIn(URL_, 'a@x.test', 'password1');
    await m.signOut();
    await expect(p).rejects.toMatchObject({ code: 'unknown' });
    expect(m.getState().status).toBe('signedOut');
    expect(t.store.entries.size).toBe(0);
  });
});
