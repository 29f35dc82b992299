/**
 * Issue 3's role table, row by row, for every role (and an attendee promoted during the webinar),
 * through the real server over real WebSockets. Allowed: the effect is seen by an observer.
 * Forbidden: the actor gets `error forbidden`, the observer sees nothing, and a late joiner's
 * `welcome` shows the same state as before.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CloseCode } from '../../../src-shared/signaling-protocol';
import type { SignalingClient } from '../../helpers/signaling-client';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { webinarApi } from '../../helpers/webinar-fixtures';
import { expectNothingBroadcast, makeCast, setupRoom, snapshot, type Cast, type Room } from './room-fixture';

type ActorRole = 'host' | 'panelist' | 'attendee' | 'promoted';
const ROLES: ActorRole[] = ['host', 'panelist', 'attendee', 'promoted'];

interface Row {
  name: string;
  allowed: ActorRole[];
  prepare?: (room: Room, actor: ActorRole) => Promise<void>;
  act: (room: Room, actor: ActorRole) => void;
  /** For allowed actors: wait until the effect is visible to others. */
  observe: (room: Room, actor: ActorRole) => Promise<void>;
}

const PUBLISHERS: ActorRole[] = ['host', 'panelist', 'promoted'];
const id = (room: Room, who: keyof Cast) => room.users[who].id;
const obs = (room: Room): SignalingClient => room.clients.observer;
/** A publisher other than the actor, for the receive row. */
const otherPublisher = (actor: ActorRole) => (actor === 'host' ? 'panelist' : 'host');

const ROWS: Row[] = [
  {
    name: 'publish: media.state with media on',
    allowed: PUBLISHERS,
    act: (r, a) => r.clients[a].send({ type: 'media.state', audio: true, video: true, screen: false }),
    observe: async (r, a) => {
      await obs(r).next('participant.updated', (m) => m.participant.id === id(r, a) && m.participant.media.video);
    },
  },
  {
    name: 'publish: signal to a receiver as the publisher',
    allowed: PUBLISHERS,
    act: (r, a) => r.clients[a].send({ type: 'signal', to: id(r, 'observer'), data: { publisherId: id(r, a), payload: { type: 'offer', sdp: 'x' } } }),
    observe: async (r, a) => {
      const m = await obs(r).next('signal');
      expect(m).toEqual({ type: 'signal', from: id(r, a), data: { publisherId: id(r, a), payload: { type: 'offer', sdp: 'x' } } });
    },
  },
  {
    name: 'receive: signal back to a publisher for its media',
    allowed: ROLES,
    act: (r, a) => {
      const p = otherPublisher(a);
      r.clients[a].send({ type: 'signal', to: id(r, p), data: { publisherId: id(r, p), payload: { type: 'answer' } } });
    },
    observe: async (r, a) => {
      await r.clients[otherPublisher(a)].next('signal', (m) => m.from === id(r, a));
    },
  },
  {
    name: 'chat while attendee chat is off',
    allowed: PUBLISHERS,
    act: (r, a) => r.clients[a].send({ type: 'chat.send', text: `hello from ${a}` }),
    observe: async (r, a) => {
      const m = await obs(r).next('chat.message', (x) => x.text === `hello from ${a}`);
      expect(m.from.id).toBe(id(r, a));
    },
  },
  {
    name: 'chat when the host allows attendee chat',
    allowed: ROLES,
    prepare: async (r) => {
      r.clients.host.send({ type: 'chat.allowAttendees', allowed: true });
      await obs(r).next('webinar.updated', (m) => m.webinar.attendeeChat);
    },
    act: (r, a) => r.clients[a].send({ type: 'chat.send', text: `open chat ${a}` }),
    observe: async (r) => {
      await obs(r).next('chat.message', (x) => x.text.startsWith('open chat'));
    },
  },
  {
    name: 'raise own hand',
    allowed: ['attendee'],
    act: (r, a) => r.clients[a].send({ type: 'hand.raise' }),
    observe: async (r, a) => {
      await obs(r).next('participant.updated', (m) => m.participant.id === id(r, a) && m.participant.handRaised);
    },
  },
  {
    name: 'lower own hand',
    allowed: ['attendee'],
    prepare: async (r, a) => {
      if (a !== 'attendee') return;
      r.clients[a].send({ type: 'hand.raise' });
      await obs(r).next('participant.updated', (m) => m.participant.handRaised);
    },
    act: (r, a) => r.clients[a].send({ type: 'hand.lower' }),
    observe: async (r, a) => {
      await obs(r).next('participant.updated', (m) => m.participant.id === id(r, a) && !m.participant.handRaised);
    },
  },
  {
    name: 'ask a question',
    allowed: ['attendee'],
    act: (r, a) => r.clients[a].send({ type: 'qa.ask', text: 'How?' }),
    observe: async (r, a) => {
      const m = await obs(r).next('qa.question', (x) => x.question.text === 'How?');
      expect(m.question).toMatchObject({ status: 'open', answer: null, from: { id: id(r, a) } });
    },
  },
  {
    name: 'answer a question',
    allowed: PUBLISHERS,
    act: (r, a) => r.clients[a].send({ type: 'qa.answer', questionId: r.question.id, text: 'Because.' }),
    observe: async (r, a) => {
      const m = await obs(r).next('qa.answered');
      expect(m.question).toMatchObject({ id: r.question.id, status: 'answered', answer: { text: 'Because.', by: { id: id(r, a) } } });
    },
  },
  {
    name: 'dismiss a question',
    allowed: PUBLISHERS,
    act: (r, a) => r.clients[a].send({ type: 'qa.dismiss', questionId: r.question.id }),
    observe: async (r) => {
      const m = await obs(r).next('qa.answered');
      expect(m.question).toMatchObject({ id: r.question.id, status: 'dismissed' });
    },
  },
  {
    name: 'promote an attendee',
    allowed: ['host'],
    act: (r, a) => r.clients[a].send({ type: 'participant.promote', participantId: id(r, 'target') }),
    observe: async (r) => {
      const m = await obs(r).next('participant.updated', (x) => x.participant.id === id(r, 'target'));
      expect(m.participant).toMatchObject({ role: 'panelist', handRaised: false });
    },
  },
  {
    name: 'demote a panelist',
    allowed: ['host'],
    prepare: async (r) => {
      r.clients.panelist.send({ type: 'media.state', audio: true, video: true, screen: true });
      await obs(r).next('participant.updated', (m) => m.participant.id === id(r, 'panelist') && m.participant.media.screen);
    },
    act: (r, a) => r.clients[a].send({ type: 'participant.demote', participantId: id(r, 'panelist') }),
    observe: async (r) => {
      const m = await obs(r).next('participant.updated', (x) => x.participant.id === id(r, 'panelist'));
      expect(m.participant).toMatchObject({ role: 'attendee', media: { audio: false, video: false, screen: false } });
    },
  },
  {
    name: 'remove anyone',
    allowed: ['host'],
    act: (r, a) => r.clients[a].send({ type: 'participant.remove', participantId: id(r, 'target') }),
    observe: async (r) => {
      await obs(r).next('participant.left', (m) => m.participantId === id(r, 'target') && m.reason === 'removed');
      expect(await r.clients.target.closed).toBe(CloseCode.removed);
      const again = await webinarApi(r.url, 'POST', `/api/webinars/${r.webinarId}/join`, r.users.target.accessToken);
      expect(again.status).toBe(403);
    },
  },
  {
    name: 'mute a panelist',
    allowed: ['host'],
    act: (r, a) => r.clients[a].send({ type: 'participant.mute', participantId: id(r, 'panelist') }),
    observe: async (r) => {
      const m = await obs(r).next('participant.updated', (x) => x.participant.id === id(r, 'panelist'));
      expect(m.participant).toMatchObject({ mutedByHost: true, media: { audio: false } });
    },
  },
  {
    name: 'toggle attendee chat',
    allowed: ['host'],
    act: (r, a) => r.clients[a].send({ type: 'chat.allowAttendees', allowed: true }),
    observe: async (r) => {
      await obs(r).next('webinar.updated', (m) => m.webinar.attendeeChat);
    },
  },
  {
    name: 'end the webinar',
    allowed: ['host'],
    act: (r, a) => r.clients[a].send({ type: 'webinar.end' }),
    observe: async (r) => {
      const m = await obs(r).next('webinar.ended');
      expect(m.webinar.status).toBe('ended');
      expect(await obs(r).closed).toBe(CloseCode.ended);
      const got = await webinarApi(r.url, 'GET', `/api/webinars/${r.webinarId}`, r.users.observer.accessToken);
      expect((got.body as { status: string }).status).toBe('ended');
      const join = await webinarApi(r.url, 'POST', `/api/webinars/${r.webinarId}/join`, r.users.observer.accessToken);
      expect(join.status).toBe(409);
      expect((join.body as { error: string }).error).toBe('webinar_ended');
    },
  },
];

let server: TestServer;
let cast: Cast;
let room: Room | null = null;
beforeAll(async () => {
  server = await startTestServer();
  cast = await makeCast(server.url);
});
afterEach(async () => {
  await room?.closeAll();
  room = null;
});
afterAll(() => server.close());

const cases = ROWS.flatMap((row) => ROLES.map((role) => [row.name, role, row.allowed.includes(role) ? 'allowed' : 'forbidden', row] as const));

describe('authorization matrix (issue 3 roles table)', () => {
  it.each(cases)('%s — %s: %s', async (_name, actor, verdict, row) => {
    room = await setupRoom(server.url, cast);
    await row.prepare?.(room, actor);
    if (verdict === 'allowed') {
      row.act(room, actor);
      await row.observe(room, actor);
      expect(room.clients[actor].received.filter((m) => m.type === 'error')).toEqual([]);
      return;
    }
    const before = await snapshot(room);
    const mark = room.clients.observer.received.length;
    row.act(room, actor);
    const err = await room.clients[actor].next('error');
    expect(err.code).toBe('forbidden');
    await expectNothingBroadcast(room, mark);
    const after = await snapshot(room);
    // The barrier chat is the only difference.
    expect({ ...after, chat: after.chat.slice(0, -1) }).toEqual(before);
  });
});
