/** Join tickets and the upgrade checks: anything but a fresh ticket from an allowed origin gets no socket. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../helpers/manual-clock';
import { connectWelcomed, expectRefused } from '../../helpers/signaling-client';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { createWebinar, joinWebinar, newUser, type TestUser } from '../../helpers/webinar-fixtures';

let server: TestServer;
let clock: ManualClock;
let host: TestUser;
let guest: TestUser;
let webinarA: string;
let webinarB: string;
beforeAll(async () => {
  clock = new ManualClock(Date.now());
  server = await startTestServer({ clock });
  [host, guest] = await Promise.all([newUser(server.url, 'Host'), newUser(server.url, 'Guest')]);
  webinarA = (await createWebinar(server.url, host, 'A')).id;
  webinarB = (await createWebinar(server.url, host, 'B')).id;
});
afterAll(() => server.close());

const wsUrl = () => `${server.url.replace('http', 'ws')}/ws`;

describe('tickets', () => {
  it('a fresh ticket opens a socket for its webinar, user and role', async () => {
    const j = await joinWebinar(server.url, guest, webinarA);
    const { client, welcome } = await connectWelcomed(j.wsUrl, j.ticket);
    expect(welcome.self).toMatchObject({ id: guest.id, role: 'attendee' });
    expect(welcome.webinar.id).toBe(webinarA);
    await client.close();
  });

  it('missing ticket: 401', async () => {
    expect(await expectRefused(wsUrl(), '')).toBe(401);
    const ws = await import('ws');
    const status = await new Promise<number>((resolve, reject) => {
      const s = new ws.WebSocket(wsUrl());
      s.on('unexpected-response', (_q, res) => resolve(res.statusCode ?? 0));
      s.on('open', () => reject(new Error('opened')));
      s.on('error', () => undefined);
    });
    expect(status).toBe(401);
  });

  it('forged ticket: 401', async () => {
    expect(await expectRefused(wsUrl(), 'A'.repeat(43))).toBe(401);
    expect(await expectRefused(wsUrl(), 'x')).toBe(401);
  });

  it('reused ticket: 401 the second time', async () => {
    const j = await joinWebinar(server.url, guest, webinarA);
    const { client } = await connectWelcomed(j.wsUrl, j.ticket);
    expect(await expectRefused(j.wsUrl, j.ticket)).toBe(401);
    await client.close();
  });

  it('a refused attempt also uses the ticket up', async () => {
    const j = await joinWebinar(server.url, guest, webinarA);
    expect(await expectRefused(j.wsUrl, j.ticket, { origin: 'https://evil.example' })).toBe(403);
    expect(await expectRefused(j.wsUrl, j.ticket)).toBe(401);
  });

  it('expired ticket (after 60 s): 401; just before expiry it works', async () => {
    const j = await joinWebinar(server.url, guest, webinarA);
    clock.advance(59_000);
    const { client } = await connectWelcomed(j.wsUrl, j.ticket);
    await client.close();
    const k = await joinWebinar(server.url, guest, webinarA);
    clock.advance(60_001);
    expect(await expectRefused(k.wsUrl, k.ticket)).toBe(401);
  });

  it('ticket for another webinar: 403', async () => {
    const j = await joinWebinar(server.url, guest, webinarA);
    expect(await expectRefused(j.wsUrl, j.ticket, { query: { webinar: webinarB } })).toBe(403);
    const k = await joinWebinar(server.url, guest, webinarA);
    const { client, welcome } = await connectWelcomed(k.wsUrl, k.ticket, { query: { webinar: webinarA } });
    expect(welcome.webinar.id).toBe(webinarA);
    await client.close();
  });

  it.each(['https://evil.example', 'http://127.0.0.1.evil.example:80', 'http://localhost.evil:1', 'null', 'file://', 'app://webinar.evil'])(
    'Origin %s: 403',
    async (origin) => {
      const j = await joinWebinar(server.url, guest, webinarA);
      expect(await expectRefused(j.wsUrl, j.ticket, { origin })).toBe(403);
    },
  );

  it.each(['app://webinar', 'http://127.0.0.1:5173', 'http://localhost:1234'])('Origin %s: allowed', async (origin) => {
    const j = await joinWebinar(server.url, guest, webinarA);
    const { client } = await connectWelcomed(j.wsUrl, j.ticket, { origin });
    await client.close();
  });

  it('another path: 404, no socket', async () => {
    const j = await joinWebinar(server.url, guest, webinarA);
    expect(await expectRefused(j.wsUrl.replace('/ws', '/wss'), j.ticket)).toBe(404);
  });

  it('tickets are single-purpose: 256 random bits, distinct per join', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) seen.add((await joinWebinar(server.url, guest, webinarA)).ticket);
    expect(seen.size).toBe(20);
    for (const t of seen) expect(Buffer.from(t, 'base64url').length).toBe(32);
  });
});
