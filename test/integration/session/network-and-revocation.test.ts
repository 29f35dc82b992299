/**
 * Acceptance (issue 2, §5), real server + real keychain: server down at start → offline (cached
 * identity) → signed in once it is back; timeouts never sign out; a revoked session → signed out
 * and its keychain entry gone; REFRESH_TOKENS=off keeps nothing in the keychain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../../src-main/session/keytar-secret-store';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { CuttableProxy, makeManager, rawLogin, registerUser, uniqueAppId, waitForStatus, wipeKeychain } from './session-test-kit';

const appId = uniqueAppId('network');
let server: TestServer;
const fastBackoff = { baseMs: 100, maxMs: 400, factor: 2, minMs: 50 };

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await wipeKeychain(new KeytarSecretStore({ service: appId }));
  await server?.close();
});

function proxyToServer(): CuttableProxy {
  const u = new URL(server.url);
  return new CuttableProxy({ host: u.hostname, port: Number(u.port) });
}

describe('network loss and revocation', () => {
  it('server down at start → offline with the cached identity → signed in once it is back', async () => {
    const proxy = proxyToServer();
    await proxy.start();
    const creds = await registerUser(server.url);
    const first = makeManager(appId);
    const signedIn = await first.manager.signIn(proxy.url, creds.email, creds.password);
    first.manager.dispose();
    await proxy.stop(); // the server is unreachable now (connection refused)

    const { manager, store, states } = makeManager(appId, { backoff: { ...fastBackoff, baseMs: 60_000, maxMs: 60_000 } });
    const s = await manager.start(proxy.url);
    expect(s).toMatchObject({ status: 'offline', user: signedIn.user, sessionId: signedIn.sessionId });
    expect(s.problem?.code).toBe('server_unreachable');
    expect(s.nextRetryAt).toBeGreaterThan(Date.now());
    expect(await store.get(`${new URL(proxy.url).origin}|${signedIn.user!.id}`)).not.toBeNull();
    await expect(manager.authorizedFetch('/api/me')).rejects.toMatchObject({ code: 'server_unreachable' });

    await proxy.start(); // same port: the network is back
    await manager.handleNetworkUp();
    expect(manager.getState()).toMatchObject({ status: 'signedIn', user: signedIn.user, problem: null, nextRetryAt: null });
    expect(states.some((x) => x.status === 'signedOut')).toBe(false);
    expect((await manager.authorizedFetch('/api/me')).status).toBe(200);
    await manager.signOut();
    await proxy.stop();
  });

  it('retries on its own with backoff until the server is back (no network event)', async () => {
    const proxy = proxyToServer();
    await proxy.start();
    const creds = await registerUser(server.url);
    const first = makeManager(appId);
    await first.manager.signIn(proxy.url, creds.email, creds.password);
    first.manager.dispose();
    await proxy.stop();
    const { manager, states } = makeManager(appId, { backoff: fastBackoff });
    expect((await manager.start(proxy.url)).status).toBe('offline');
    await new Promise((r) => setTimeout(r, 600)); // a few failed retries
    expect(manager.getState().status).toBe('offline');
    await proxy.start();
    await waitForStatus(manager, 'signedIn', 5_000);
    expect(states.filter((x) => x.status === 'refreshing').length).toBeGreaterThan(2);
    await manager.signOut();
    await proxy.stop();
  });

  it('a server that never answers (timeout) → offline, never signed out', async () => {
    const proxy = proxyToServer();
    await proxy.start();
    const creds = await registerUser(server.url);
    const first = makeManager(appId);
    const signedIn = await first.manager.signIn(proxy.url, creds.email, creds.password);
    first.manager.dispose();
    await proxy.stop();
    proxy.mode = 'blackhole';
    await proxy.start();
    const { manager, store } = makeManager(appId, { requestTimeoutMs: 300, backoff: { ...fastBackoff, baseMs: 60_000, maxMs: 60_000 } });
    const s = await manager.start(proxy.url);
    expect(s).toMatchObject({ status: 'offline', user: signedIn.user });
    expect(s.problem?.message).toMatch(/did not answer/);
    expect(await store.get(`${new URL(proxy.url).origin}|${signedIn.user!.id}`)).not.toBeNull();
    await proxy.stop();
    proxy.mode = 'forward';
    await proxy.start();
    await manager.handleResume();
    expect(manager.getState(), JSON.stringify(manager.getState())).toMatchObject({ status: 'signedIn' });
    await manager.signOut();
    await proxy.stop();
  });

  it('a session revoked from another device → signed out, keychain entry gone', async () => {
    const creds = await registerUser(server.url);
    const { manager, store, states } = makeManager(appId);
    const s = await manager.signIn(server.url, creds.email, creds.password);
    const account = `${new URL(server.url).origin}|${s.user!.id}`;
    // Another device lists the sessions and signs ours out.
    const other = await rawLogin(server.url, creds.email, creds.password);
    const del = await fetch(`${server.url}/api/sessions/${s.sessionId}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${other.accessToken}` },
    });
    expect(del.status).toBe(204);
    // Our next API call gets 401 → the single refresh → invalid_grant → signed out.
    await expect(manager.authorizedFetch('/api/me')).rejects.toMatchObject({ code: 'not_signed_in' });
    expect(manager.getState()).toMatchObject({ status: 'signedOut', user: null, problem: { code: 'session_expired' } });
    expect(await store.get(account)).toBeNull();
    expect(states.at(-1)?.status).toBe('signedOut');
  });

  it('a session logged out elsewhere → the next start signs out and deletes the entry', async () => {
    const creds = await registerUser(server.url);
    const first = makeManager(appId);
    const s = await first.manager.signIn(server.url, creds.email, creds.password);
    first.manager.dispose();
    const account = `${new URL(server.url).origin}|${s.user!.id}`;
    const store = new KeytarSecretStore({ service: appId });
    const { refreshToken } = JSON.parse((await store.get(account))!) as { refreshToken: string };
    const out = await fetch(`${server.url}/api/auth/logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    });
    expect(out.status).toBe(204);
    const { manager } = makeManager(appId);
    expect(await manager.start(server.url)).toMatchObject({ status: 'signedOut', problem: { code: 'session_expired' } });
    expect(await store.get(account)).toBeNull();
  });

  it('devices: list, revoke another device, revoke our own (signs this app out)', async () => {
    const creds = await registerUser(server.url);
    const { manager } = makeManager(appId);
    const s = await manager.signIn(server.url, creds.email, creds.password);
    const other = await rawLogin(server.url, creds.email, creds.password);
    const devices = await manager.listDevices();
    expect(devices.map((d) => d.id).sort()).toEqual([s.sessionId, other.sessionId].sort());
    expect(devices.find((d) => d.current)?.id).toBe(s.sessionId);
    const remaining = await manager.revokeDevice(other.sessionId);
    expect(remaining.map((d) => d.id)).toEqual([s.sessionId]);
    expect(await manager.revokeDevice(s.sessionId!)).toEqual([]);
    expect(manager.getState().status).toBe('signedOut');
  });

  it('REFRESH_TOKENS=off: nothing in the keychain; signed out with session_expired when the token expires', async () => {
    const strict = await startTestServer({ env: { REFRESH_TOKENS: 'off', ACCESS_TOKEN_TTL_S: '2' } });
    try {
      const creds = await registerUser(strict.url);
      const { manager, store } = makeManager(appId);
      const s = await manager.signIn(strict.url, creds.email, creds.password);
      expect(s.status).toBe('signedIn');
      expect((await store.list()).filter((e) => e.account.startsWith(new URL(strict.url).origin))).toEqual([]);
      expect((await manager.authorizedFetch('/api/me')).status).toBe(200);
      const out = await waitForStatus(manager, 'signedOut', 5_000);
      expect(out.problem?.code).toBe('session_expired');
    } finally {
      await strict.close();
    }
  });
});
