import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ClientMessage, type Role } from '../../src-shared/signaling-protocol';
import { handleMessage } from './message-handler';
import { newParticipant, type RoomState } from './room-state';

function state(): RoomState {
  const members = new Map(
    (
      [
        ['h', 'host'],
        ['p', 'panelist'],
        ['a', 'attendee'],
        ['b', 'attendee'],
      ] as Array<[string, Role]>
    ).map(([id, role]) => [id, { participant: newParticipant(id, id.toUpperCase(), role), email: `${id}@x.co` }]),
  );
  return {
    webinar: { id: 'w', title: 'T', hostId: 'h', startsAt: null, status: 'live', attendeeChat: false },
    members,
    chat: [],
    questions: new Map([['q', { id: 'q', from: { id: 'a', displayName: 'A', role: 'attendee' }, text: 'Q', ts: 1, status: 'open', answer: null }]]),
  };
}

const env = { now: 1000, newId: () => 'id1' };
const snapshot = (s: RoomState) => JSON.stringify({ ...s, members: [...s.members], questions: [...s.questions] });

describe('handleMessage', () => {
  it('chat: stored before it is broadcast, with server id and ts', () => {
    const s = state();
    const effects = handleMessage(s, 'h', { type: 'chat.send', text: 'hi' }, env);
    expect(effects.map((e) => e.kind)).toEqual(['persist', 'broadcast']);
    expect(s.chat).toEqual([{ id: 'id1', from: { id: 'h', displayName: 'H', role: 'host' }, text: 'hi', ts: 1000 }]);
  });

  it('promote: role panelist, hand lowered, persisted by email', () => {
    const s = state();
    s.members.get('a')!.participant.handRaised = true;
    const effects = handleMessage(s, 'h', { type: 'participant.promote', participantId: 'a' }, env);
    expect(effects[0]).toEqual({ kind: 'persist', op: { op: 'panelist.add', email: 'a@x.co' } });
    expect(s.members.get('a')!.participant).toMatchObject({ role: 'panelist', handRaised: false });
  });

  it('remove: ban, close 4001, participant.left removed', () => {
    const s = state();
    const effects = handleMessage(s, 'h', { type: 'participant.remove', participantId: 'b' }, env);
    expect(effects).toEqual([
      { kind: 'persist', op: { op: 'ban', userId: 'b' } },
      { kind: 'close', who: 'b', code: 4001, reason: 'removed by the host' },
      { kind: 'broadcast', msg: { type: 'participant.left', participantId: 'b', reason: 'removed', mediaTime: 1000 } },
    ]);
    expect(s.members.has('b')).toBe(false);
  });

  it('clock.ping: answered to the sender only, any role, with the server time', () => {
    for (const who of ['h', 'p', 'a']) {
      const s = state();
      expect(handleMessage(s, who, { type: 'clock.ping', id: 7, t0: 123.5 }, env)).toEqual([
        { kind: 'send', to: who, msg: { type: 'clock.pong', id: 7, t0: 123.5, serverTime: 1000 } },
      ]);
    }
  });

  it('mediaTime: relayed when sane, serverTime when absent or absurd; ts stays server time', () => {
    const relayed = (mediaTime: number | undefined) => {
      const s = state();
      const effects = handleMessage(s, 'h', { type: 'chat.send', text: 'hi', ...(mediaTime === undefined ? {} : { mediaTime }) }, env);
      const b = effects.find((e) => e.kind === 'broadcast');
      expect(s.chat[0]).toEqual({ id: 'id1', from: { id: 'h', displayName: 'H', role: 'host' }, text: 'hi', ts: 1000 });
      return b?.kind === 'broadcast' && b.msg.type === 'chat.message' ? b.msg.mediaTime : 'none';
    };
    expect(relayed(undefined)).toBe(1000);
    expect(relayed(600)).toBe(600);
    expect(relayed(1000 - 10_000)).toBe(1000 - 10_000);
    expect(relayed(1000 - 10_001)).toBe(1000);
    expect(relayed(2000)).toBe(2000);
    expect(relayed(2001)).toBe(1000);
  });

  it('mediaTime rides on Q&A, host actions and webinar updates', () => {
    const s = state();
    const mt = (m: Parameters<typeof handleMessage>[2], sender = 'h') =>
      handleMessage(s, sender, m, env)
        .filter((e) => e.kind === 'broadcast')
        .map((e) => (e.kind === 'broadcast' && 'mediaTime' in e.msg ? e.msg.mediaTime : 'none'));
    expect(mt({ type: 'qa.ask', text: 'x', mediaTime: 900 }, 'a')).toEqual([900]);
    expect(mt({ type: 'qa.answer', questionId: 'q', text: 'y', mediaTime: 901 })).toEqual([901]);
    expect(mt({ type: 'qa.dismiss', questionId: 'q' })).toEqual([1000]);
    expect(mt({ type: 'participant.promote', participantId: 'a', mediaTime: 902 })).toEqual([902]);
    expect(mt({ type: 'participant.mute', participantId: 'p', mediaTime: 903 })).toEqual([903]);
    expect(mt({ type: 'participant.demote', participantId: 'p', mediaTime: 904 })).toEqual([904]);
    expect(mt({ type: 'chat.allowAttendees', allowed: true, mediaTime: 905 })).toEqual([905]);
    expect(mt({ type: 'webinar.end', mediaTime: 906 })).toEqual([906]);
    // Not host actions: no mediaTime.
    const s2 = state();
    const raise = handleMessage(s2, 'a', { type: 'hand.raise' }, env)[0]!;
    expect(raise.kind === 'broadcast' && 'mediaTime' in raise.msg).toBe(false);
  });

  it('a host mute holds until the panelist unmutes', () => {
    const s = state();
    handleMessage(s, 'p', { type: 'media.state', audio: true, video: true, screen: false }, env);
    handleMessage(s, 'h', { type: 'participant.mute', participantId: 'p' }, env);
    expect(s.members.get('p')!.participant).toMatchObject({ mutedByHost: true, media: { audio: false, video: true } });
    handleMessage(s, 'p', { type: 'media.state', audio: true, video: true, screen: false }, env);
    expect(s.members.get('p')!.participant.mutedByHost).toBe(false);
  });

  it('after the end, nothing is processed', () => {
    const s = state();
    expect(handleMessage(s, 'h', { type: 'webinar.end' }, env).at(-1)).toMatchObject({ kind: 'closeAll', code: 4002 });
    expect(handleMessage(s, 'h', { type: 'chat.send', text: 'x' }, env)).toEqual([]);
  });

  it('property: a refused message (forbidden / not_found) changes no state and only answers the sender', () => {
    const ids = fc.constantFrom('h', 'p', 'a', 'b', 'q', 'nobody');
    const msg = fc.oneof(
      fc.record({ type: fc.constant('signal'), to: ids, data: fc.record({ publisherId: ids, payload: fc.constant({}) }) }),
      fc.record({ type: fc.constant('chat.send'), text: fc.constant('x') }),
      fc.record({ type: fc.constantFrom('hand.raise', 'hand.lower', 'webinar.end') }),
      fc.record({ type: fc.constant('qa.ask'), text: fc.constant('x') }),
      fc.record({ type: fc.constant('qa.answer'), questionId: ids, text: fc.constant('x') }),
      fc.record({ type: fc.constant('qa.dismiss'), questionId: ids }),
      fc.record({ type: fc.constantFrom('participant.promote', 'participant.demote', 'participant.remove', 'participant.mute'), participantId: ids }),
      fc.record({ type: fc.constant('media.state'), audio: fc.boolean(), video: fc.boolean(), screen: fc.boolean() }),
      fc.record({ type: fc.constant('chat.allowAttendees'), allowed: fc.boolean() }),
      fc.record({ type: fc.constant('clock.ping'), id: fc.nat(), t0: fc.double({ noNaN: true, noDefaultInfinity: true }) }),
    );
    fc.assert(
      fc.property(fc.constantFrom('h', 'p', 'a', 'b'), msg, (sender, m) => {
        const parsed = ClientMessage.parse(m);
        const s = state();
        const before = snapshot(s);
        const effects = handleMessage(s, sender, parsed, env);
        const refused = effects.length === 1 && effects[0]!.kind === 'send' && effects[0]!.msg.type === 'error';
        if (refused) {
          expect(effects[0]).toMatchObject({ to: sender });
          expect(snapshot(s)).toBe(before);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
