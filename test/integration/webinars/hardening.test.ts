/** Issue 5's WebSocket properties: rate limit, per-user cap, one connection per user per webinar, revocation, heartbeat. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../../src-shared/signaling-protocol';
import { connectWelcomed, expectRefused } from '../../helpers/signaling-client';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { createWebinar, enter, joinWebinar, login, newUser, webinarApi, type TestUser } from '../../helpers/webinar-fixtures';

let server: TestServer;
let host: TestUser;
let guest: TestUser;
beforeAll(async () => {
  server = await startTestServer({ env: { WS_HEARTBEAT_MS: '200', WS_MAX_CONNECTIONS_PER_USER: '3' } });
  [host, guest] = await Promise.all([newUser(server.url, 'Host'), newUser(server.url, 'Guest')]);
});
afterAll(() => server.close());

describe('rate limit (30/s, burst 60)', () => {
  it('a burst over the limit gets rate_limited and stays open; sustained abuse is closed with 4008', async () => {
    const w = await createWebinar(server.url, host);
    const h = await enter(server.url, host, w.id);
    const g = await enter(server.url, guest, w.id);
    for (let i = 0; i < 100; i++) g.client.send({ type: i % 2 ? 'hand.lower' : 'hand.raise' });
    expect((await g.client.next('error', (e) => e.code === 'rate_limited')).message).toBeTruthy();
    h.client.send({ type: 'chat.send', text: 'after burst' });
    await g.client.next('chat.message', (m) => m.text === 'after burst');
    expect(g.client.closeCode).toBeNull();
    for (let i = 0; i < 2000 && g.client.closeCode === null; i++) {
      g.client.send({ type: 'hand.raise' });
      if (i % 100 === 99) await new Promise((r) => setTimeout(r, 10));
    }
    expect(await g.client.closed).toBe(CloseCode.rateLimited);
    await h.client.next('participant.left', (m) => m.participantId === guest.id);
    await h.client.close();
  });
});

describe('one connection per user per webinar', () => {
  it('a new connection replaces the old (4003) and resumes the participant: no duplicate, no second joined', async () => {
    const w = await createWebinar(server.url, host);
    const h = await enter(server.url, host, w.id);
    const first = await enter(server.url, guest, w.id);
    first.client.send({ type: 'hand.raise' });
    await h.client.next('participant.updated', (m) => m.participant.handRaised);
    await h.client.next('participant.joined', (m) => m.participant.id === guest.id);
    const second = await enter(server.url, guest, w.id);
    expect(await first.client.closed).toBe(CloseCode.replaced);
    const upd = await h.client.next('participant.updated', (m) => m.participant.id === guest.id);
    expect(upd.participant.handRaised).toBe(true);
    expect(second.welcome.participants.filter((p) => p.id === guest.id)).toHaveLength(1);
    expect(second.welcome.self.handRaised).toBe(true);
    expect(await h.client.none('participant.joined')).toBe(true);
    expect(await h.client.none('participant.left')).toBe(true);
    const third = await enter(server.url, host, w.id).catch(() => null);
    expect(third?.welcome.participants.map((p) => p.id).sort()).toEqual([guest.id, host.id].sort());
    await Promise.all([h.client.close(), second.client.close(), third?.client.close()]);
  });
});

describe('connection cap per user', () => {
  it('a 4th simultaneous connection (other webinars) is refused with 429', async () => {
    const ws = await Promise.all([1, 2, 3, 4].map(() => createWebinar(server.url, host)));
    const conns = [];
    for (const w of ws.slice(0, 3)) conns.push((await enter(server.url, guest, w.id)).client);
    const j = await joinWebinar(server.url, guest, ws[3]!.id);
    expect(await expectRefused(j.wsUrl, j.ticket)).toBe(429);
    await conns[0]!.close();
    await new Promise((r) => setTimeout(r, 50));
    const k = await joinWebinar(server.url, guest, ws[3]!.id);
    const ok = await connectWelcomed(k.wsUrl, k.ticket);
    await Promise.all([...conns.slice(1), ok.client].map((c) => c.close()));
  });
});

describe('revocation', () => {
  it('logout closes that session\u2019s sockets within 1 s (4004), not the user\u2019s other sessions', async () => {
    const w = await createWebinar(server.url, host);
    const h = await enter(server.url, host, w.id);
    const g = await enter(server.url, guest, w.id);
    const other = await login(server.url, guest.email);
    const w2 = await createWebinar(server.url, host);
    const g2 = await enter(server.url, other, w2.id);
    const unused = await joinWebinar(server.url, guest, w.id);
    const t0 = Date.now();
    const r = await webinarApi(server.url, 'POST', '/api/auth/logout', undefined, { refreshToken: guest.refreshToken });
    expect(r.status).toBeLessThan(300);
    expect(await g.client.closed).toBe(CloseCode.sessionRevoked);
    const elapsed = Date.now() - t0;
    console.log(JSON.stringify({ revocationToDisconnectMs: elapsed }));
    expect(elapsed).toBeLessThan(1000);
    await h.client.next('participant.left', (m) => m.participantId === guest.id);
    // The revoked session's unused ticket is void too; the other device stays connected.
    expect(await expectRefused(unused.wsUrl, unused.ticket)).toBe(401);
    expect(g2.client.closeCode).toBeNull();
    guest = other;
    await Promise.all([h.client.close(), g2.client.close()]);
  });
});

describe('heartbeat', () => {
  it('a socket that stops answering pings is reaped and others see it leave', async () => {
    const w = await createWebinar(server.url, host);
    const h = await enter(server.url, host, w.id);
    const g = await enter(server.url, guest, w.id, { autoPong: false });
    const t0 = Date.now();
    await h.client.next('participant.left', (m) => m.participantId === guest.id && m.reason === 'disconnected', 3000);
    expect(Date.now() - t0).toBeLessThan(1500);
    await g.client.closed;
    // A responsive socket stays.
    const g2 = await enter(server.url, guest, w.id);
    await new Promise((r) => setTimeout(r, 800));
    expect(g2.client.closeCode).toBeNull();
    await Promise.all([h.client.close(), g2.client.close()]);
  });
});
