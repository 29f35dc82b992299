import { describe, expect, it } from 'vitest';
import type { ClientMessage, Role } from '../signaling-protocol';
import { ACTIONS, actionFor, can, canSignal, canTarget, type Action } from './permissions';

/** Issue 3's table, transcribed: [host, panelist, attendee] with attendee chat off / on. */
const TABLE: Record<Action, { off: [boolean, boolean, boolean]; on: [boolean, boolean, boolean] }> = {
  publish: { off: [true, true, false], on: [true, true, false] },
  receive: { off: [true, true, true], on: [true, true, true] },
  chat: { off: [true, true, false], on: [true, true, true] },
  hand: { off: [false, false, true], on: [false, false, true] },
  ask: { off: [false, false, true], on: [false, false, true] },
  moderateQuestions: { off: [true, true, false], on: [true, true, false] },
  manageParticipants: { off: [true, false, false], on: [true, false, false] },
  controlWebinar: { off: [true, false, false], on: [true, false, false] },
  namePanelists: { off: [true, false, false], on: [true, false, false] },
};
const ROLES: Role[] = ['host', 'panelist', 'attendee'];

describe('can(role, action)', () => {
  for (const action of ACTIONS) {
    for (const [i, role] of ROLES.entries()) {
      for (const mode of ['off', 'on'] as const) {
        const expected = TABLE[action][mode][i];
        it(`${role} ${expected ? 'may' : 'may not'} ${action} (attendee chat ${mode})`, () => {
          expect(can(role, action, { attendeeChat: mode === 'on' })).toBe(expected);
        });
      }
    }
  }
});

describe('actionFor(message)', () => {
  const cases: Array<[ClientMessage, Action]> = [
    [{ type: 'signal', to: 'x', data: { publisherId: 'x', payload: {} } }, 'receive'],
    [{ type: 'media.state', audio: false, video: false, screen: false }, 'receive'],
    [{ type: 'media.state', audio: true, video: false, screen: false }, 'publish'],
    [{ type: 'media.state', audio: false, video: false, screen: true }, 'publish'],
    [{ type: 'chat.send', text: 'x' }, 'chat'],
    [{ type: 'hand.raise' }, 'hand'],
    [{ type: 'hand.lower' }, 'hand'],
    [{ type: 'qa.ask', text: 'x' }, 'ask'],
    [{ type: 'qa.answer', questionId: 'q', text: 'x' }, 'moderateQuestions'],
    [{ type: 'qa.dismiss', questionId: 'q' }, 'moderateQuestions'],
    [{ type: 'participant.promote', participantId: 'p' }, 'manageParticipants'],
    [{ type: 'participant.demote', participantId: 'p' }, 'manageParticipants'],
    [{ type: 'participant.remove', participantId: 'p' }, 'manageParticipants'],
    [{ type: 'participant.mute', participantId: 'p' }, 'manageParticipants'],
    [{ type: 'chat.allowAttendees', allowed: true }, 'controlWebinar'],
    [{ type: 'webinar.end' }, 'controlWebinar'],
  ];
  it.each(cases)('%j needs %s', (msg, action) => expect(actionFor(msg)).toBe(action));
});

describe('canSignal', () => {
  const H = { id: 'h', role: 'host' as const };
  const P = { id: 'p', role: 'panelist' as const };
  const A = { id: 'a', role: 'attendee' as const };
  const B = { id: 'b', role: 'attendee' as const };
  it.each([
    [H, A, 'h', true],
    [A, H, 'h', true],
    [P, A, 'p', true],
    [A, P, 'p', true],
    [H, P, 'h', true],
    [H, P, 'p', true],
    [A, H, 'a', false], // an attendee posing as the publisher
    [H, A, 'a', false],
    [A, B, 'a', false], // attendee ↔ attendee never
    [A, B, 'b', false],
    [H, H, 'h', false], // to oneself
    [H, A, 'zzz', false],
  ] as const)('%j → %j for %s: %s', (from, to, pub, ok) => expect(canSignal(from, to, pub)).toBe(ok));
});

describe('canTarget', () => {
  it.each([
    ['promote', 'attendee', true],
    ['promote', 'panelist', false],
    ['promote', 'host', false],
    ['demote', 'panelist', true],
    ['demote', 'attendee', false],
    ['demote', 'host', false],
    ['mute', 'panelist', true],
    ['mute', 'attendee', false],
    ['mute', 'host', false],
    ['remove', 'attendee', true],
    ['remove', 'panelist', true],
    ['remove', 'host', false],
  ] as const)('%s a %s: %s', (verb, role, ok) => expect(canTarget(verb, role)).toBe(ok));
});
