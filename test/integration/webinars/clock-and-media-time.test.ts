/**
 * Issue 4 on the wire: clock.ping → clock.pong (every role, only to the sender, answered at once,
 * a burst of 8 within the default rate limit) and mediaTime relayed (or made sane) on chat, Q&A and
 * host-action broadcasts, while stored history keeps server time only.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MEDIA_TIME_MAX_AHEAD_MS, MEDIA_TIME_MAX_BEHIND_MS } from '../../../src-shared/signaling-protocol';
import type { SignalingClient } from '../../helpers/signaling-client';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { addPanelist, createWebinar, enter, newUser, type TestUser } from '../../helpers/webinar-fixtures';

let server: TestServer;
let host: TestUser;
let panelist: TestUser;
let attendee: TestUser;
let late: TestUser;
let open: SignalingClient[] = [];

// Default rate limits on purpose: a burst of 8 pings must pass them.
beforeAll(async () => {
  server = await startTestServer();
  [host, panelist, attendee, late] = await Promise.all([newUser(server.url, 'Host'), newUser(server.url, 'Panelist'), newUser(server.url, 'Attendee'), newUser(server.url, 'Late')]);
});
afterEach(async () => {
  await Promise.all(open.map((c) => c.close()));
  open = [];
});
afterAll(() => server.close());

async function room() {
  const w = await createWebinar(server.url, host, 'Clock');
  await addPanelist(server.url, host, w.id, panelist.email);
  const h = await enter(server.url, host, w.id);
  const p = await enter(server.url, panelist, w.id);
  const a = await enter(server.url, attendee, w.id);
  open.push(h.client, p.client, a.client);
  await h.client.next('participant.joined', (m) => m.participant.id === attendee.id);
  for (const c of [h.client, p.client, a.client]) c.drain();
  return { webinarId: w.id, host: h.client, panelist: p.client, attendee: a.client };
}

describe('clock.ping / clock.pong', () => {
  it('every role gets its own pong, with a server time read between send and receive', async () => {
    const r = await room();
    for (const [i, c] of [r.host, r.panelist, r.attendee].entries()) {
      const before = Date.now();
      c.send({ type: 'clock.ping', id: i, t0: 42.5 });
      const pong = await c.next('clock.pong', (m) => m.id === i);
      const after = Date.now();
      expect(pong).toEqual({ type: 'clock.pong', id: i, t0: 42.5, serverTime: pong.serverTime });
      // Same machine, same wall clock: the server read it between our send and our receive.
      // The server's reading is sub-millisecond and may part from Date.now() (which truncates) by up
      // to the precise clock's re-anchoring gap of 2 ms before it re-anchors (precise-clock.ts).
      expect(pong.serverTime).toBeGreaterThanOrEqual(before - 2);
      expect(pong.serverTime).toBeLessThanOrEqual(after + 1 + 2);
    }
    // Nobody else saw any pong.
    await new Promise((res) => setTimeout(res, 50));
    for (const c of [r.host, r.panelist, r.attendee]) {
      expect(c.received.filter((m) => m.type === 'clock.pong')).toHaveLength(1);
    }
  });

  it('a burst of 8 pings passes the default rate limit; each is answered, in order, sub-millisecond resolution', async () => {
    const r = await room();
    for (let i = 0; i < 8; i++) r.attendee.send({ type: 'clock.ping', id: 100 + i, t0: i });
    const pongs = [];
    for (let i = 0; i < 8; i++) pongs.push(await r.attendee.next('clock.pong', (m) => m.id === 100 + i));
    expect(pongs.map((p) => p.t0)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(r.attendee.received.some((m) => m.type === 'error')).toBe(false);
    for (let k = 1; k < pongs.length; k++) expect(pongs[k]!.serverTime).toBeGreaterThanOrEqual(pongs[k - 1]!.serverTime);
    // A round trip on loopback: the offset of a local high-res clock to the server's is tiny.
    const samples: number[] = [];
    for (let i = 0; i < 8; i++) {
      const t0 = performance.timeOrigin + performance.now();
      r.host.send({ type: 'clock.ping', id: 200 + i, t0 });
      const pong = await r.host.next('clock.pong', (m) => m.id === 200 + i);
      const t1 = performance.timeOrigin + performance.now();
      samples.push(Math.abs(pong.serverTime - (t0 + t1) / 2) - (t1 - t0) / 2);
    }
    // The server read lies inside [t0, t1] up to the two processes' clock reading difference (ms-scale).
    expect(Math.min(...samples)).toBeLessThan(5);
  });

  it('a malformed ping is refused like any bad message', async () => {
    const r = await room();
    r.attendee.send({ type: 'clock.ping', id: -1, t0: 0 });
    expect((await r.attendee.next('error')).code).toBe('invalid_message');
    r.attendee.sendRaw(JSON.stringify({ type: 'clock.ping', id: 1, t0: 0, extra: true }));
    expect((await r.attendee.next('error')).code).toBe('invalid_message');
  });
});

describe('mediaTime', () => {
  it('chat: relayed when sane, serverTime when absent or absurd; history has server ts only', async () => {
    const r = await room();
    const now = Date.now();
    const cases: Array<[string, number | undefined, 'relayed' | 'server']> = [
      ['sane past', now - 400, 'relayed'],
      ['absent', undefined, 'server'],
      ['far future', now + MEDIA_TIME_MAX_AHEAD_MS + 5_000, 'server'],
      ['too old', now - MEDIA_TIME_MAX_BEHIND_MS - 5_000, 'server'],
    ];
    for (const [text, mediaTime, expected] of cases) {
      const before = Date.now();
      r.panelist.send({ type: 'chat.send', text, ...(mediaTime === undefined ? {} : { mediaTime }) });
      const seen = await r.attendee.next('chat.message', (m) => m.text === text);
      const after = Date.now();
      expect(seen.ts).toBeGreaterThanOrEqual(before - 1);
      expect(seen.ts).toBeLessThanOrEqual(after + 1);
      if (expected === 'relayed') expect(seen.mediaTime).toBe(mediaTime);
      else expect(seen.mediaTime).toBe(seen.ts);
      // The sender sees the same broadcast.
      expect((await r.panelist.next('chat.message', (m) => m.text === text)).mediaTime).toBe(seen.mediaTime);
    }
    const { client, welcome } = await enter(server.url, late, r.webinarId);
    open.push(client);
    expect(welcome.chat.map((m) => m.text)).toEqual(cases.map((c) => c[0]));
    for (const m of welcome.chat) expect(Object.keys(m).sort()).toEqual(['from', 'id', 'text', 'ts']);
  });

  it('Q&A and host actions carry it on their broadcasts', async () => {
    const r = await room();
    const t = Date.now() - 250;
    r.attendee.send({ type: 'qa.ask', text: 'When?', mediaTime: t });
    const asked = await r.host.next('qa.question');
    expect(asked.mediaTime).toBe(t);
    r.panelist.send({ type: 'qa.answer', questionId: asked.question.id, text: 'Now', mediaTime: t + 1 });
    expect((await r.attendee.next('qa.answered')).mediaTime).toBe(t + 1);
    r.host.send({ type: 'chat.allowAttendees', allowed: true, mediaTime: t + 2 });
    expect((await r.attendee.next('webinar.updated')).mediaTime).toBe(t + 2);
    r.host.send({ type: 'participant.mute', participantId: panelist.id, mediaTime: t + 3 });
    expect((await r.attendee.next('participant.updated', (m) => m.participant.id === panelist.id)).mediaTime).toBe(t + 3);
    r.host.send({ type: 'participant.promote', participantId: attendee.id, mediaTime: t + 4 });
    expect((await r.panelist.next('participant.updated', (m) => m.participant.id === attendee.id)).mediaTime).toBe(t + 4);
    r.host.send({ type: 'webinar.end', mediaTime: t + 5 });
    expect((await r.attendee.next('webinar.ended')).mediaTime).toBe(t + 5);
  });

  it('an old client without mediaTime still works (the server fills in its time)', async () => {
    const r = await room();
    r.host.send({ type: 'participant.remove', participantId: attendee.id });
    const left = await r.panelist.next('participant.left', (m) => m.participantId === attendee.id);
    expect(left.reason).toBe('removed');
    expect(typeof left.mediaTime).toBe('number');
    expect(Math.abs(left.mediaTime! - Date.now())).toBeLessThan(1_000);
  });
});
