import { describe, expect, it } from 'vitest';
import { CloseCode, type JoinResponse } from '../../src-shared/signaling-protocol';
import type { IpcResult } from '../../src-shared/ipc-contract';
import { buildSocketUrl, LIVENESS_INTERVAL_MS, LIVENESS_TIMEOUT_MS, PROBE_ID_BASE, SignalClient, type SocketLike } from './signal-client';
import type { ConnectionState } from './connection-state';
import { FakeTimers } from './test-fakes';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: string[] = [];
  closed = false;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  constructor(readonly url: string) {}
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.closed = true;
  }
  open() {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(msg: unknown) {
    this.onmessage?.({ data: JSON.stringify(msg) });
  }
  drop(code: number, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

const participant = { id: 'u1', displayName: 'U', role: 'attendee', handRaised: false, media: { audio: false, video: false, screen: false }, mutedByHost: false };
const welcome = {
  type: 'welcome',
  self: participant,
  participants: [participant],
  chat: [],
  questions: [],
  webinar: { id: 'w1', title: 'T', hostId: 'h', startsAt: null, status: 'live', attendeeChat: true },
  serverTime: 1,
};

function setup(tickets?: () => IpcResult<JoinResponse>) {
  const timers = new FakeTimers();
  const wake: { fn: (() => void) | null } = { fn: null };
  const sockets: FakeSocket[] = [];
  let n = 0;
  const client = new SignalClient({
    getTicket: async () => tickets?.() ?? { ok: true, value: { ticket: `t${++n}`, wsUrl: 'ws://127.0.0.1:1/ws', role: 'attendee', iceServers: [] } },
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    setTimeout: timers.setTimeout,
    clearTimeout: timers.clearTimeout,
    random: () => 0.5,
    maxAttempts: 3,
    onWake: (fn) => {
      wake.fn = fn;
      return () => (wake.fn = null);
    },
  });
  const states: ConnectionState['status'][] = [];
  client.on('state', (s) => states.push(s.status));
  return { timers, sockets, client, states, wake };
}
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('SignalClient', () => {
  it('connects with a ticket and becomes live on welcome', async () => {
    const t = setup();
    t.client.start();
    await flush();
    expect(t.sockets[0]!.url).toBe('ws://127.0.0.1:1/ws?ticket=t1');
    t.sockets[0]!.open();
    expect(t.client.state.status).toBe('connecting');
    const got: string[] = [];
    t.client.onMessage('welcome', (m) => got.push(m.self.id));
    t.sockets[0]!.receive(welcome);
    expect(t.client.state.status).toBe('live');
    expect(got).toEqual(['u1']);
    expect(t.client.send({ type: 'chat.send', text: 'hi' })).toBe(true);
    expect(JSON.parse(t.sockets[0]!.sent[0]!)).toEqual({ type: 'chat.send', text: 'hi' });
  });

  it('ignores malformed server messages', async () => {
    const t = setup();
    const got: unknown[] = [];
    t.client.on('message', (m) => got.push(m));
    t.client.start();
    await flush();
    t.sockets[0]!.onmessage?.({ data: 'not json' });
    t.sockets[0]!.receive({ type: 'nope' });
    expect(got).toEqual([]);
  });

  it('reconnects with a fresh ticket after a drop, with backoff', async () => {
    const t = setup();
    t.client.start();
    await flush();
    t.sockets[0]!.open();
    t.sockets[0]!.receive(welcome);
    t.sockets[0]!.drop(1006);
    expect(t.client.state.status).toBe('reconnecting');
    expect(t.client.send({ type: 'hand.raise' })).toBe(false);
    expect(t.sockets).toHaveLength(1);
    t.timers.advance(200);
    expect(t.sockets).toHaveLength(1); // jittered delay is > the floor
    t.timers.advance(10_000);
    await flush();
    expect(t.sockets).toHaveLength(2);
    expect(t.sockets[1]!.url).toContain('ticket=t2');
    t.sockets[1]!.open();
    t.sockets[1]!.receive(welcome);
    expect(t.states).toEqual(['connecting', 'live', 'reconnecting', 'live']);
  });

  it('ends on removal / webinar end close codes without retrying', async () => {
    const t = setup();
    t.client.start();
    await flush();
    t.sockets[0]!.receive(welcome);
    t.sockets[0]!.drop(CloseCode.removed);
    expect(t.client.state).toMatchObject({ status: 'ended', endReason: 'removed' });
    t.timers.advance(60_000);
    await flush();
    expect(t.sockets).toHaveLength(1);
  });

  it('ends when the server says the webinar ended', async () => {
    const t = setup();
    t.client.start();
    await flush();
    t.sockets[0]!.receive(welcome);
    t.sockets[0]!.receive({ type: 'webinar.ended', webinar: { ...welcome.webinar, status: 'ended' } });
    expect(t.client.state).toMatchObject({ status: 'ended', endReason: 'webinar_ended' });
    expect(t.sockets[0]!.closed).toBe(true);
  });

  it('gives up after maxAttempts failures in a row', async () => {
    const t = setup(() => ({ ok: false, error: { code: 'server_unreachable', message: 'down' } }));
    t.client.start();
    for (let i = 0; i < 5; i++) {
      await flush();
      t.timers.advance(20_000);
    }
    await flush();
    expect(t.client.state).toMatchObject({ status: 'ended', endReason: 'failed' });
  });

  it('a forbidden ticket ends at once', async () => {
    const t = setup(() => ({ ok: false, error: { code: 'forbidden', message: 'no' } }));
    t.client.start();
    await flush();
    expect(t.client.state).toMatchObject({ status: 'ended', endReason: 'forbidden' });
  });

  it('times out an attempt that never gets a welcome', async () => {
    const t = setup();
    t.client.start();
    await flush();
    t.sockets[0]!.open();
    t.timers.advance(10_000);
    expect(t.client.state.status).toBe('reconnecting');
    expect(t.sockets[0]!.closed).toBe(true);
  });

  it('leave closes and stops', async () => {
    const t = setup();
    t.client.start();
    await flush();
    t.client.leave();
    expect(t.client.state).toMatchObject({ status: 'ended', endReason: 'left' });
    expect(t.sockets[0]!.closed).toBe(true);
  });

  describe('liveness (half-open and stalled connections)', () => {
    const pings = (s: FakeSocket) => s.sent.map((d) => JSON.parse(d) as { type: string; id?: number }).filter((m) => m.type === 'clock.ping');
    async function live() {
      const t = setup();
      t.client.start();
      await flush();
      t.sockets[0]!.open();
      t.sockets[0]!.receive(welcome);
      return t;
    }

    it('a silent connection is probed; no answer → dropped and reconnected', async () => {
      const t = await live();
      t.timers.advance(LIVENESS_INTERVAL_MS - 1);
      expect(pings(t.sockets[0]!)).toHaveLength(0);
      t.timers.advance(1);
      expect(pings(t.sockets[0]!)).toEqual([{ type: 'clock.ping', id: PROBE_ID_BASE, t0: 0 }]);
      t.timers.advance(LIVENESS_TIMEOUT_MS);
      expect(t.client.state).toMatchObject({ status: 'reconnecting', attempt: 0, detail: 'the server stopped answering' });
      expect(t.sockets[0]!.closed).toBe(true);
      t.timers.advance(10_000);
      await flush();
      expect(t.sockets).toHaveLength(2);
      t.sockets[1]!.receive(welcome);
      expect(t.client.state.status).toBe('live');
    });

    it('any answer keeps the connection; traffic means no probe at all', async () => {
      const t = await live();
      t.timers.advance(LIVENESS_INTERVAL_MS);
      expect(pings(t.sockets[0]!)).toHaveLength(1);
      t.sockets[0]!.receive({ type: 'clock.pong', id: PROBE_ID_BASE, t0: 0, serverTime: 5 });
      t.timers.advance(LIVENESS_TIMEOUT_MS);
      expect(t.client.state.status).toBe('live');
      for (let i = 0; i < 10; i++) {
        t.sockets[0]!.receive({ type: 'error', code: 'not_found', message: 'x' });
        t.timers.advance(LIVENESS_INTERVAL_MS - 100);
      }
      expect(pings(t.sockets[0]!)).toHaveLength(1);
      expect(t.client.state.status).toBe('live');
    });

    it('a wake-up (network back, resume) probes at once', async () => {
      const t = await live();
      t.wake.fn?.();
      expect(pings(t.sockets[0]!)).toHaveLength(1);
      t.timers.advance(LIVENESS_TIMEOUT_MS);
      expect(t.client.state.status).toBe('reconnecting');
    });

    it('leaving stops probing and unsubscribes from wake-ups', async () => {
      const t = await live();
      t.client.leave();
      expect(t.wake.fn).toBeNull();
      t.timers.advance(60_000);
      expect(pings(t.sockets[0]!)).toHaveLength(0);
      expect(t.timers.pending()).toBe(0);
    });
  });

  it('buildSocketUrl encodes the ticket', () => {
    expect(buildSocketUrl('ws://x/ws', 'a b')).toBe('ws://x/ws?ticket=a%20b');
  });
});
