/**
 * The room controller's issue 4 wiring, in node with fakes: a fake WebSocket that plays the server
 * (welcome, clock.pong at once), a fake bridge, and a media side plugged in through createMediaSync.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ClientMessage, Participant, ServerMessage } from '../../../src-shared/signaling-protocol';
import type { MediaSyncDeps } from './media-sync-hook';

// simple-peer's browser bundle cannot load in Node; these tests never reach a peer.
vi.mock('../../rtc/simple-peer-link', () => ({ createSimplePeer: () => ({}), createSimplePeerFactory: () => () => ({}) }));

const p = (id: string, role: Participant['role']): Participant => ({ id, displayName: id, role, handRaised: false, media: { audio: false, video: false, screen: false }, mutedByHost: false });
const webinar = { id: 'w', title: 'T', hostId: 'h', startsAt: null, status: 'live' as const, attendeeChat: true };
const nowMs = () => performance.timeOrigin + performance.now();

class FakeSocket {
  static last: FakeSocket | null = null;
  readyState = 1;
  sent: ClientMessage[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.last = this;
  }
  send(data: string) {
    const m = JSON.parse(data) as ClientMessage;
    this.sent.push(m);
    // The server: answers pings at once, on the same clock.
    if (m.type === 'clock.ping') setTimeout(() => this.deliver({ type: 'clock.pong', id: m.id, t0: m.t0, serverTime: nowMs() }), 1);
  }
  close() {
    this.readyState = 3;
  }
  deliver(m: ServerMessage) {
    this.onmessage?.({ data: JSON.stringify(m) });
  }
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'performance'] });
  vi.stubGlobal('WebSocket', FakeSocket);
  vi.stubGlobal('navigator', { mediaDevices: {} });
  vi.stubGlobal('window', {
    setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms),
    clearTimeout: (h: ReturnType<typeof setTimeout>) => clearTimeout(h),
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
    webinar: { webinars: { join: async () => ({ ok: true, value: { ticket: 't', wsUrl: 'ws://x/ws', role: 'attendee', iceServers: [] } }) } },
  });
  vi.stubGlobal('document', { addEventListener: () => undefined, removeEventListener: () => undefined, visibilityState: 'visible' });
  // In a browser `window` is the global object: the signal client listens for 'online' on it.
  vi.stubGlobal('addEventListener', () => undefined);
  vi.stubGlobal('removeEventListener', () => undefined);
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

async function live(role: Participant['role'], delayMs: number | null) {
  const { RoomController } = await import('./room-controller');
  const media = { delay: delayMs };
  let deps: MediaSyncDeps | null = null;
  const controller = new RoomController('w', {
    createMediaSync: (d) => {
      deps = d;
      return {
        clock: {
          presentedMediaTime: () => (media.delay === null ? null : d.clock.now() - media.delay),
          ownDelayMs: () => media.delay,
        },
        stats: () => ({ state: 'inSync', streams: [], skews: [], clockErrorBoundMs: d.clock.errorBoundMs() }),
        dispose: vi.fn(),
      };
    },
  });
  controller.start();
  await vi.advanceTimersByTimeAsync(1);
  const socket = FakeSocket.last!;
  socket.deliver({ type: 'welcome', self: p('me', role), participants: [p('h', 'host')], chat: [{ id: 'old', from: { id: 'h', displayName: 'h', role: 'host' }, text: 'history', ts: 1 }], questions: [], webinar, serverTime: nowMs() });
  // The burst of 8 pings (50 ms apart) and their pongs.
  await vi.advanceTimersByTimeAsync(600);
  return { controller, socket, media, deps: deps! };
}

const chat = (id: string, from: string, mediaTime?: number): ServerMessage => ({
  type: 'chat.message',
  id,
  from: { id: from, displayName: from, role: 'host' },
  text: id,
  ts: nowMs(),
  ...(mediaTime === undefined ? {} : { mediaTime }),
});

describe('RoomController: session clock, media time, event timeline', () => {
  it('syncs the session clock on live and hands the media side its deps', async () => {
    const { controller, socket, deps } = await live('attendee', 300);
    expect(socket.sent.filter((m) => m.type === 'clock.ping').length).toBeGreaterThanOrEqual(8);
    expect(controller.sessionClock?.synced).toBe(true);
    expect(Math.abs(controller.sessionClock!.now() - nowMs())).toBeLessThan(2);
    expect(deps.signal).toBe(controller.signal);
    expect(deps.snapshot().room.selfId).toBe('me');
    expect(controller.syncStats().state).toBe('inSync');
    controller.stop();
  });

  it('holds others’ chat until presented media reaches its moment; own and history at once', async () => {
    const { controller, socket } = await live('attendee', 300);
    const t0 = controller.sessionClock!.now();
    socket.deliver(chat('theirs', 'h', t0));
    socket.deliver(chat('mine', 'me', t0));
    const ids = () => controller.snapshot.room.chat.map((c) => c.id);
    expect(ids()).toEqual(['old', 'mine']);
    await vi.advanceTimersByTimeAsync(250);
    expect(ids()).toEqual(['old', 'mine']);
    await vi.advanceTimersByTimeAsync(100);
    expect(ids()).toEqual(['old', 'mine', 'theirs']);
    const shown = controller.snapshot.room.chat.find((c) => c.id === 'theirs')!;
    expect(shown.mediaTime).toBe(t0);
    expect(Math.abs(shown.shownAt! - (t0 + 300))).toBeLessThan(10);
    controller.stop();
  });

  it('no presented media: shown on arrival; without mediaTime too', async () => {
    const { controller, socket } = await live('attendee', null);
    socket.deliver(chat('a', 'h', controller.sessionClock!.now() + 500));
    socket.deliver(chat('b', 'h'));
    expect(controller.snapshot.room.chat.map((c) => c.id)).toEqual(['old', 'a', 'b']);
    controller.stop();
  });

  it('stamps mediaTime: a viewer sends now − its delay, a publisher now', async () => {
    const viewer = await live('attendee', 400);
    viewer.controller.send({ type: 'chat.send', text: 'hi' });
    const sent = viewer.socket.sent.at(-1) as Extract<ClientMessage, { type: 'chat.send' }>;
    expect(Math.abs(sent.mediaTime! - (viewer.controller.sessionClock!.now() - 400))).toBeLessThan(2);
    viewer.controller.send({ type: 'hand.raise' });
    expect(viewer.socket.sent.at(-1)).toEqual({ type: 'hand.raise' });
    viewer.controller.stop();

    const host = await live('host', 400);
    host.controller.send({ type: 'webinar.end' });
    const end = host.socket.sent.at(-1) as Extract<ClientMessage, { type: 'webinar.end' }>;
    expect(Math.abs(end.mediaTime! - host.controller.sessionClock!.now())).toBeLessThan(2);
    host.controller.stop();
  });

  it('Q&A answers wait for their moment, except our own', async () => {
    const { controller, socket } = await live('panelist', 200);
    const q = { id: 'q1', from: { id: 'a', displayName: 'a', role: 'attendee' as const }, text: '?', ts: 1, status: 'open' as const, answer: null };
    socket.deliver({ type: 'qa.question', question: q, mediaTime: controller.sessionClock!.now() });
    expect(controller.snapshot.room.questions).toHaveLength(1);
    const answered = { ...q, status: 'answered' as const, answer: { text: 'yes', by: { id: 'h', displayName: 'h', role: 'host' as const }, ts: 2 } };
    socket.deliver({ type: 'qa.answered', question: answered, mediaTime: controller.sessionClock!.now() });
    expect(controller.snapshot.room.questions[0]!.status).toBe('open');
    await vi.advanceTimersByTimeAsync(250);
    expect(controller.snapshot.room.questions[0]!.status).toBe('answered');

    const q2 = { ...q, id: 'q2' };
    socket.deliver({ type: 'qa.question', question: q2 });
    controller.send({ type: 'qa.dismiss', questionId: 'q2' });
    socket.deliver({ type: 'qa.answered', question: { ...q2, status: 'dismissed' }, mediaTime: controller.sessionClock!.now() });
    expect(controller.snapshot.room.questions.find((x) => x.id === 'q2')!.status).toBe('dismissed');
    controller.stop();
  });
});
