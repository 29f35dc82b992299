/**
 * Acceptance (issue 2, §5): against the real server and the real keychain —
 * silent restore with no password; 50 concurrent calls across an access-token expiry make exactly one
 * refresh and no sign-out; sign-out revokes and forgets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../../src-main/session/keytar-secret-store';
import { SkewedClock } from '../../helpers/manual-clock';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { countingFetch, frozenTimers, makeManager, registerUser, uniqueAppId, wipeKeychain } from './session-test-kit';

const appId = uniqueAppId('restore');
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ env: { ACCESS_TOKEN_TTL_S: '2' } });
});
afterAll(async () => {
  await wipeKeychain(new KeytarSecretStore({ service: appId }));
  await server?.close();
});

describe('SessionManager on the real server and keychain', () => {
  it('a new SessionManager on the same keychain signs in with no password', async () => {
    const creds = await registerUser(server.url);
    const first = makeManager(appId);
    const signedIn = await first.manager.signIn(server.url, creds.email, creds.password);
    expect(signedIn.status).toBe('signedIn');
    first.manager.dispose(); // quit the app

    // What is in the OS keychain: one entry, account = origin|userId, holding the refresh token.
    const entries = await new KeytarSecretStore({ service: appId }).list();
    const origin = new URL(server.url).origin;
    expect(entries.map((e) => e.account)).toEqual([`${origin}|${signedIn.user!.id}`]);
    expect(JSON.parse(entries[0]!.secret)).toMatchObject({ sessionId: signedIn.sessionId, user: signedIn.user });

    const counting = countingFetch();
    const second = makeManager(appId, { fetch: counting.fetch });
    const restored = await second.manager.start(server.url);
    expect(restored).toMatchObject({ status: 'signedIn', user: signedIn.user, sessionId: signedIn.sessionId, problem: null });
    expect(counting.count('/api/auth/login')).toBe(0);
    expect(counting.count('/api/auth/refresh')).toBe(1);
    const me = await second.manager.authorizedFetch('/api/me');
    expect(me.status).toBe(200);
    // The renderer's view never contains a token.
    const secret = JSON.parse((await new KeytarSecretStore({ service: appId }).list())[0]!.secret).refreshToken as string;
    expect(JSON.stringify(second.states)).not.toContain(secret);
    expect(second.states.map((s) => s.status)).toEqual(['refreshing', 'signedIn']);
    await second.manager.signOut();
  });

  it('50 concurrent calls across an access-token expiry: exactly one refresh, no sign-out', async () => {
    const creds = await registerUser(server.url);
    const counting = countingFetch();
    // Frozen timers: no proactive refresh, so the expiry is met by the calls themselves.
    const { manager, states } = makeManager(appId, { fetch: counting.fetch, timers: frozenTimers });
    await manager.signIn(server.url, creds.email, creds.password);
    expect((await manager.authorizedFetch('/api/me')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 2_300)); // the 2 s access token is now expired
    const results = await Promise.all(Array.from({ length: 50 }, () => manager.authorizedFetch('/api/me')));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(counting.count('/api/auth/refresh')).toBe(1);
    expect(states.some((s) => s.status === 'signedOut')).toBe(false);
    expect(manager.getState().status).toBe('signedIn');
    await manager.signOut();
  });

  it('50 concurrent calls that all get 401 (server clock jumped past expiry): one refresh, one retry each', async () => {
    const serverClock = new SkewedClock(0);
    const jumpy = await startTestServer({ clock: serverClock, env: { ACCESS_TOKEN_TTL_S: '600' } });
    try {
      const creds = await registerUser(jumpy.url);
      const counting = countingFetch();
      const { manager, states } = makeManager(appId, { fetch: counting.fetch, timers: frozenTimers });
      await manager.signIn(jumpy.url, creds.email, creds.password);
      serverClock.skewMs = 700_000; // past expiry + the server's 5 s tolerance; the client still believes ~10 min are left
      const results = await Promise.all(Array.from({ length: 50 }, () => manager.authorizedFetch('/api/me')));
      expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
      expect(counting.count('/api/auth/refresh')).toBe(1);
      expect(counting.count('/api/me')).toBe(100);
      expect(states.some((s) => s.status === 'signedOut')).toBe(false);
      await manager.signOut();
    } finally {
      await jumpy.close();
    }
  });

  it('proactive refresh keeps the session alive with real timers (80% of a 2 s token)', async () => {
    const creds = await registerUser(server.url);
    const counting = countingFetch();
    const { manager } = makeManager(appId, { fetch: counting.fetch });
    await manager.signIn(server.url, creds.email, creds.password);
    await new Promise((r) => setTimeout(r, 3_500));
    expect(counting.count('/api/auth/refresh')).toBeGreaterThanOrEqual(2);
    expect(manager.getState().status).toBe('signedIn');
    const before = counting.count('/api/auth/refresh');
    expect((await manager.authorizedFetch('/api/me')).status).toBe(200);
    // The token in hand was fresh: the call itself needed no refresh.
    expect(counting.count('/api/auth/refresh') - before).toBeLessThanOrEqual(1);
    await manager.signOut();
  });

  it('sign-out revokes on the server, deletes the keychain entry and wipes memory', async () => {
    const creds = await registerUser(server.url);
    const { manager, store } = makeManager(appId);
    const s = await manager.signIn(server.url, creds.email, creds.password);
    const account = `${new URL(server.url).origin}|${s.user!.id}`;
    const stored = JSON.parse((await store.get(account))!).refreshToken as string;
    const out = await manager.signOut();
    expect(out).toMatchObject({ status: 'signedOut', user: null, sessionId: null });
    expect(await store.get(account)).toBeNull();
    const res = await fetch(`${server.url}/api/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: stored }),
    });
    expect(res.status).toBe(401);
    await expect(manager.authorizedFetch('/api/me')).rejects.toMatchObject({ code: 'not_signed_in' });
  });
});
