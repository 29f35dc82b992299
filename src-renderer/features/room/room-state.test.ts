import { describe, expect, it } from 'vitest';
import type { Participant, ServerMessage } from '../../../src-shared/signaling-protocol';
import { EMPTY_ROOM, roomReducer, selfOf, showChat, stagePublisher, type RoomState } from './room-state';

const p = (id: string, role: Participant['role'], extra: Partial<Participant> = {}): Participant => ({
  id,
  displayName: id.toUpperCase(),
  role,
  handRaised: false,
  media: { audio: false, video: false, screen: false },
  mutedByHost: false,
  ...extra,
});
const webinar = { id: 'w', title: 'T', hostId: 'h', startsAt: null, status: 'live' as const, attendeeChat: true };
const author = { id: 'h', displayName: 'H', role: 'host' as const };
const fold = (msgs: ServerMessage[], from: RoomState = EMPTY_ROOM) => msgs.reduce(roomReducer, from);
const welcome: ServerMessage = { type: 'welcome', self: p('a', 'attendee'), participants: [p('h', 'host')], chat: [], questions: [], webinar, serverTime: 0 };

describe('roomReducer', () => {
  it('welcome sets self, the list (host first) and webinar', () => {
    const s = fold([welcome]);
    expect(s.selfId).toBe('a');
    expect(s.participants.map((x) => x.id)).toEqual(['h', 'a']);
    expect(selfOf(s)?.role).toBe('attendee');
    expect(stagePublisher(s)?.id).toBe('h');
  });

  it('joined / updated / left; raised hands sort first among attendees', () => {
    const s = fold([
      welcome,
      { type: 'participant.joined', participant: p('b', 'attendee') },
      { type: 'participant.updated', participant: p('b', 'attendee', { handRaised: true }) },
    ]);
    expect(s.participants.map((x) => x.id)).toEqual(['h', 'b', 'a']);
    const promoted = fold([{ type: 'participant.updated', participant: p('a', 'panelist') }], s);
    expect(selfOf(promoted)?.role).toBe('panelist');
    expect(fold([{ type: 'participant.left', participantId: 'b', reason: 'left' }], s).participants.map((x) => x.id)).toEqual(['h', 'a']);
  });

  it('notices our own removal', () => {
    expect(fold([welcome, { type: 'participant.left', participantId: 'a', reason: 'removed' }]).removed).toBe(true);
  });

  it('chat appends once per id', () => {
    const msg: ServerMessage = { type: 'chat.message', id: 'c1', from: author, text: 'hi', ts: 1 };
    const s = fold([welcome, msg, msg]);
    expect(s.chat).toEqual([{ id: 'c1', from: author, text: 'hi', ts: 1 }]);
  });

  it('questions upsert on answer', () => {
    const q = { id: 'q1', from: author, text: 'why?', ts: 1, status: 'open' as const, answer: null };
    const s = fold([welcome, { type: 'qa.question', question: q }, { type: 'qa.answered', question: { ...q, status: 'answered', answer: { text: 'because', by: author, ts: 2 } } }]);
    expect(s.questions).toHaveLength(1);
    expect(s.questions[0]!.answer?.text).toBe('because');
  });

  it('webinar ended and errors', () => {
    const s = fold([welcome, { type: 'error', code: 'forbidden', message: 'no' }, { type: 'webinar.ended', webinar: { ...webinar, status: 'ended' } }]);
    expect(s.webinar?.status).toBe('ended');
    expect(s.lastError).toEqual({ code: 'forbidden', message: 'no' });
  });
});

describe('showChat (media order)', () => {
  const msg = (id: string, mediaTime?: number) => ({ id, from: author, text: id, ts: 1, ...(mediaTime === undefined ? {} : { mediaTime }) });
  it('appends in order, inserts a late out-of-order message in place, history stays first, no duplicates', () => {
    let s = fold([{ ...welcome, chat: [msg('h1'), msg('h2')] }]);
    s = showChat(s, msg('a', 100));
    s = showChat(s, msg('c', 300));
    s = showChat(s, msg('b', 200));
    s = showChat(s, msg('d'));
    s = showChat(s, msg('a', 100));
    expect(s.chat.map((c) => c.id)).toEqual(['h1', 'h2', 'a', 'b', 'c', 'd']);
  });
});
