/**
 * Issue 5, Faults, at the protocol level: the app's own SignalClient (run in Node over `ws`) behind
 * the FaultProxy, against the real server. The host watches directly (not through the proxy).
 *
 * - 100 RST cycles: the attendee is back in the room every time (p50/p95 measured), as the same
 *   participant; no duplicate in anyone's list; chat sent during the churn arrives exactly once.
 * - Stall and half-open: the client notices a connection that went silent (liveness probe) and
 *   reconnects once the network heals; the server reaps its side (heartbeat) meanwhile.
 * - Server restart mid-webinar (same DATA_DIR, new port behind the same proxy port): everyone comes
 *   back, chat history intact and not duplicated.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultProxy } from '../../helpers/fault-proxy';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { createWebinar, newUser, type TestUser } from '../../helpers/webinar-fixtures';
import { duplicates, NodeRoomClient, summary, until } from './fault-kit';

const ENV = { WS_HEARTBEAT_MS: '400' };
let server: TestServer;
let proxy: FaultProxy;
const clients: NodeRoomClient[] = [];

function target(url: string) {
  const u = new URL(url);
  return { host: u.hostname, port: Number(u.port) };
}

beforeAll(async () => {
  server = await startTestServer({ env: ENV });
  proxy = new FaultProxy(target(server.url));
  await proxy.start();
});
afterAll(async () => {
  for (const c of clients) c.client.leave();
  await proxy?.stop();
  await server?.close();
});

async function room(title: string): Promise<{ host: TestUser; attendee: TestUser; webinarId: string; hostClient: NodeRoomClient; attendeeClient: NodeRoomClient }> {
  for (const c of clients.splice(0)) c.client.leave(); // earlier rooms must not ride on this test's faults
  const [host, attendee] = await Promise.all([newUser(server.url, 'Host'), newUser(server.url, 'Attendee')]);
  const { id: webinarId } = await createWebinar(server.url, host, title);
  // The host is not behind the proxy: it is the observer whose list must stay right.
  const hostClient = NodeRoomClient.forUser(() => server.url, host, webinarId);
  const attendeeClient = NodeRoomClient.forUser(() => proxy.url, attendee, webinarId, { livenessIntervalMs: 300, livenessTimeoutMs: 400 });
  clients.push(hostClient, attendeeClient);
  hostClient.client.start();
  await until('host live', () => hostClient.status === 'live');
  attendeeClient.client.start();
  await until('attendee live', () => attendeeClient.status === 'live');
  await until('host sees the attendee', () => hostClient.participantIds().includes(attendee.id));
  return { host, attendee, webinarId, hostClient, attendeeClient };
}

describe('signaling under faults', () => {
  it('100 RST cycles: back in the room each time, same participant, no duplicates, chat exactly once', async () => {
    const { host, attendee, hostClient, attendeeClient } = await room('Churn');
    const rejoinMs: number[] = [];
    const sent: string[] = [];
    for (let i = 0; i < 100; i++) {
      const welcomes = attendeeClient.welcomes;
      const t0 = performance.now();
      expect(proxy.dropAll()).toBeGreaterThan(0);
      if (i % 10 === 0) {
        // Chat while the attendee is away: it must find it in its welcome history, once.
        const text = `during outage ${i}`;
        sent.push(text);
        hostClient.client.send({ type: 'chat.send', text });
      }
      await until(`rejoin ${i}`, () => attendeeClient.welcomes > welcomes && attendeeClient.status === 'live');
      rejoinMs.push(performance.now() - t0);
      expect(duplicates(attendeeClient.participantIds())).toEqual([]);
      expect(duplicates(hostClient.participantIds())).toEqual([]);
    }
    await until('host list settles to host + attendee', () => [...hostClient.participantIds()].sort().join() === [host.id, attendee.id].sort().join());
    expect([...attendeeClient.participantIds()].sort()).toEqual([host.id, attendee.id].sort());
    expect(attendeeClient.room.selfId).toBe(attendee.id);
    await until('all chat seen', () => sent.every((t) => attendeeClient.room.chat.some((c) => c.text === t)));
    expect(duplicates(attendeeClient.chatIds())).toEqual([]);
    expect(attendeeClient.room.chat.map((c) => c.text)).toEqual(sent);
    expect(hostClient.room.chat.map((c) => c.text)).toEqual(sent);
    // One WebSocket plus at most one pooled keep-alive HTTP connection: nothing piles up.
    expect(proxy.activeConnections).toBeLessThanOrEqual(2);
    const s = summary(rejoinMs);
    console.log(`[faults] node SignalClient RST cycles ${JSON.stringify(s)} ms`);
    expect(s.n).toBe(100);
  }, 120_000);

  it('stall: the silent connection is detected and replaced; the host list recovers', async () => {
    const { attendee, hostClient, attendeeClient } = await room('Stall');
    const welcomes = attendeeClient.welcomes;
    proxy.stall();
    await until('attendee notices (reconnecting)', () => attendeeClient.status === 'reconnecting', 10_000);
    expect(attendeeClient.client.state.detail).toBe('the server stopped answering');
    // The server's heartbeat reaps the stalled socket: the host sees the attendee leave.
    await until('server reaps the stalled socket', () => !hostClient.participantIds().includes(attendee.id), 10_000);
    proxy.heal();
    await until('attendee back', () => attendeeClient.status === 'live' && attendeeClient.welcomes > welcomes, 20_000);
    await until('host sees the attendee again', () => hostClient.participantIds().includes(attendee.id));
    expect(duplicates(hostClient.participantIds())).toEqual([]);
    expect(duplicates(attendeeClient.participantIds())).toEqual([]);
  }, 60_000);

  it('half-open: the client notices a connection that never answers nor closes', async () => {
    const { attendee, hostClient, attendeeClient } = await room('Half-open');
    const welcomes = attendeeClient.welcomes;
    proxy.halfOpen();
    await until('attendee notices (reconnecting)', () => attendeeClient.status === 'reconnecting', 10_000);
    proxy.heal();
    await until('attendee back', () => attendeeClient.status === 'live' && attendeeClient.welcomes > welcomes, 20_000);
    await until('host sees the attendee once', () => hostClient.participantIds().filter((id) => id === attendee.id).length === 1);
    expect(duplicates(hostClient.participantIds())).toEqual([]);
  }, 60_000);

  it('server restart mid-webinar: everyone returns, chat history intact and not duplicated', async () => {
    // A server of its own (same DATA_DIR across the restart), both clients behind the proxy.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'faults-restart-'));
    let s1: TestServer | null = await startTestServer({ env: { ...ENV, DATA_DIR: dataDir } });
    const p = new FaultProxy(target(s1.url));
    await p.start();
    let s2: TestServer | null = null;
    try {
      const [h, a] = await Promise.all([newUser(p.url, 'Host'), newUser(p.url, 'Attendee')]);
      const { id: webinarId } = await createWebinar(p.url, h, 'Restart');
      const hostClient = NodeRoomClient.forUser(() => p.url, h, webinarId);
      const attendeeClient = NodeRoomClient.forUser(() => p.url, a, webinarId);
      clients.push(hostClient, attendeeClient);
      hostClient.client.start();
      await until('host live', () => hostClient.status === 'live');
      attendeeClient.client.start();
      await until('attendee live', () => attendeeClient.status === 'live');
      const texts = ['before 1', 'before 2', 'before 3'];
      for (const text of texts) hostClient.client.send({ type: 'chat.send', text });
      await until('chat seen', () => attendeeClient.room.chat.length === 3);
      const hw = hostClient.welcomes;
      const aw = attendeeClient.welcomes;

      const t0 = performance.now();
      await s1.close();
      s1 = null;
      s2 = await startTestServer({ env: { ...ENV, DATA_DIR: dataDir } });
      p.setTarget(target(s2.url));
      await until('both back', () => hostClient.welcomes > hw && attendeeClient.welcomes > aw && hostClient.status === 'live' && attendeeClient.status === 'live', 30_000);
      console.log(`[faults] node server restart: back in room after ${Math.round(performance.now() - t0)} ms (includes the restart)`);
      await until('lists settle', () => hostClient.participantIds().length === 2 && attendeeClient.participantIds().length === 2);
      for (const c of [hostClient, attendeeClient]) {
        expect([...c.participantIds()].sort()).toEqual([h.id, a.id].sort());
        expect(c.room.chat.map((m) => m.text)).toEqual(texts);
        expect(duplicates(c.chatIds())).toEqual([]);
      }
      expect(hostClient.room.webinar?.status).toBe('live');
      // And the room works after the restart.
      attendeeClient.client.send({ type: 'hand.raise' });
      await until('hand seen by host', () => hostClient.room.participants.some((x) => x.id === a.id && x.handRaised));
      hostClient.client.leave();
      attendeeClient.client.leave();
    } finally {
      await p.stop();
      await s1?.close();
      await s2?.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 90_000);
});
