/**
 * Issue 5, Faults, desktop side: the real SessionManager (real keychain) and the real IPC handler
 * for webinars:join feed the app's SignalClient, all through the FaultProxy, against the real
 * server with 3 s access tokens (so a "sleep" outlives the token).
 *
 * - Network loss (connections reset, new ones refused) → the room reconnects with backoff, the
 *   session is never signed out (signedIn/offline only), the keychain entry stays; network back →
 *   back in the room as the same participant, once in the host's list.
 * - Sleep/resume (nothing flows while "asleep", long enough for the access token to expire and the
 *   renewal to time out) → offline, never signed out; on resume the session is refreshed (a new
 *   access token) and the webinar rejoined.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebinarHandlers } from '../../../src-main/ipc/webinar-handlers';
import { KeytarSecretStore } from '../../../src-main/session/keytar-secret-store';
import { WebinarClient } from '../../../src-main/webinars/webinar-client';
import { FaultProxy } from '../../helpers/fault-proxy';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { createWebinar, FIXTURE_PASSWORD, newUser } from '../../helpers/webinar-fixtures';
import { makeManager, uniqueAppId, wipeKeychain } from '../session/session-test-kit';
import { duplicates, NodeRoomClient, until } from './fault-kit';

const appId = uniqueAppId('faults');
let server: TestServer;
let proxy: FaultProxy;
const fastBackoff = { baseMs: 100, maxMs: 500, factor: 2, minMs: 50 };

beforeAll(async () => {
  server = await startTestServer({ env: { ACCESS_TOKEN_TTL_S: '3', WS_HEARTBEAT_MS: '500' } });
  const u = new URL(server.url);
  proxy = new FaultProxy({ host: u.hostname, port: Number(u.port) });
  await proxy.start();
});
afterAll(async () => {
  await wipeKeychain(new KeytarSecretStore({ service: appId }));
  await proxy?.stop();
  await server?.close();
});

/** The desktop app's side: SessionManager through the proxy, its join handler feeding a SignalClient. */
async function desktopInRoom(title: string) {
  const [host, attendee] = await Promise.all([newUser(server.url, 'Host'), newUser(server.url, 'Attendee')]);
  const { id: webinarId } = await createWebinar(server.url, host, title);
  const hostClient = NodeRoomClient.forUser(() => server.url, host, webinarId);
  hostClient.client.start();
  await until('host live', () => hostClient.status === 'live');

  const { manager, store, states } = makeManager(appId, { backoff: fastBackoff, requestTimeoutMs: 700 });
  const signedIn = await manager.signIn(proxy.url, attendee.email, FIXTURE_PASSWORD);
  expect(signedIn.status).toBe('signedIn');
  const join = createWebinarHandlers(new WebinarClient(manager))['webinars:join'];
  const app = new NodeRoomClient(() => join({ id: webinarId }), { livenessIntervalMs: 300, livenessTimeoutMs: 500 });
  app.client.start();
  await until('app live', () => app.status === 'live');
  await until('host sees the app', () => hostClient.participantIds().includes(attendee.id));
  const account = `${new URL(proxy.url).origin}|${attendee.id}`;
  return { host, attendee, hostClient, manager, store, states, app, account };
}

describe('desktop side: network loss and sleep/resume', () => {
  it('network loss: the session is kept, the room reconnects with backoff and is rejoined', async () => {
    const { attendee, hostClient, manager, store, states, app, account } = await desktopInRoom('Network loss');
    const welcomes = app.welcomes;
    proxy.refuseNew(true);
    proxy.dropAll();
    await until('app reconnecting', () => app.status === 'reconnecting');
    // Several failed attempts (no ticket: the server is unreachable), spaced by the backoff.
    await until('a few failed attempts', () => app.client.state.attempt >= 3, 20_000);
    expect(app.status).toBe('reconnecting');
    expect(['signedIn', 'offline', 'refreshing']).toContain(manager.getState().status);
    proxy.refuseNew(false);
    await manager.handleNetworkUp();
    await until('app back in the room', () => app.status === 'live' && app.welcomes > welcomes, 20_000);
    await until('host sees the app once', () => hostClient.participantIds().filter((id) => id === attendee.id).length === 1);
    expect(duplicates(hostClient.participantIds())).toEqual([]);
    expect(app.room.selfId).toBe(attendee.id);
    expect(states.map((s) => s.status)).not.toContain('signedOut');
    expect(await store.get(account)).not.toBeNull();
    app.client.leave();
    hostClient.client.leave();
    await manager.signOut();
  }, 60_000);

  it('sleep/resume: the token expires while asleep; resume refreshes the session and rejoins', async () => {
    const { attendee, hostClient, manager, store, states, app, account } = await desktopInRoom('Sleep');
    const refreshesBefore = manager.refreshRuns;
    const welcomes = app.welcomes;
    // "Asleep": nothing flows in either direction (connections stay open, packets go nowhere).
    proxy.stall();
    const asleepAt = Date.now();
    await until('the access token has expired (3 s) and the renewal failed', () => Date.now() - asleepAt > 3_500 && manager.getState().status === 'offline', 20_000);
    // "Wake": the network is there again and the composition root tells the manager.
    proxy.heal();
    await manager.handleResume();
    await until('session refreshed', () => manager.getState().status === 'signedIn', 20_000);
    expect(manager.refreshRuns).toBeGreaterThan(refreshesBefore);
    await until('app back in the room', () => app.status === 'live' && app.welcomes > welcomes, 30_000);
    await until('host sees the app once', () => hostClient.participantIds().filter((id) => id === attendee.id).length === 1);
    expect(duplicates(app.participantIds())).toEqual([]);
    expect(states.map((s) => s.status)).not.toContain('signedOut');
    expect(await store.get(account)).not.toBeNull();
    app.client.leave();
    hostClient.client.leave();
    await manager.signOut();
  }, 60_000);
});
