/**
 * Applies one parsed client message to a room: (state, sender, message, now) → effects. Every
 * decision goes through the shared permission matrix first; a refused message returns only an
 * error to the sender and leaves the state untouched.
 */
import type { ClientMessage, ErrorCode, Participant, Question, ServerMessage } from '../../src-shared/signaling-protocol';
import { CloseCode, saneMediaTime } from '../../src-shared/signaling-protocol';
import { actionFor, can, canSignal, canTarget } from '../../src-shared/webinar/permissions';
import { pushChat, type Effect, type Member, type RoomState } from './room-state';

export interface HandlerEnv {
  now: number;
  newId: () => string;
}

const error = (to: string, code: ErrorCode, message: string): Effect[] => [{ kind: 'send', to, msg: { type: 'error', code, message } }];
const updated = (p: Participant, mediaTime?: number): Effect => ({
  kind: 'broadcast',
  msg: mediaTime === undefined ? { type: 'participant.updated', participant: p } : { type: 'participant.updated', participant: p, mediaTime },
});
const author = (p: Participant) => ({ id: p.id, displayName: p.displayName, role: p.role });

export function handleMessage(state: RoomState, senderId: string, msg: ClientMessage, env: HandlerEnv): Effect[] {
  const sender = state.members.get(senderId);
  if (!sender || state.webinar.status === 'ended') return [];
  const me = sender.participant;
  if (!can(me.role, actionFor(msg), { attendeeChat: state.webinar.attendeeChat })) {
    return error(senderId, 'forbidden', `a ${me.role} may not send ${msg.type}${msg.type === 'chat.send' ? ' now' : ''}`);
  }

  // The media time relayed with the broadcasts this message causes (never used for order or storage).
  const mediaTime = 'mediaTime' in msg ? saneMediaTime(msg.mediaTime, env.now) : env.now;

  switch (msg.type) {
    case 'clock.ping':
      // Normally answered by the socket layer before the room queue (ws-route.ts); kept here so the
      // handler is total and a queued ping still gets its answer.
      return [{ kind: 'send', to: senderId, msg: { type: 'clock.pong', id: msg.id, t0: msg.t0, serverTime: env.now } }];
    case 'signal': {
      const target = state.members.get(msg.to);
      if (!target) return error(senderId, 'not_found', 'no such participant in this webinar');
      if (!canSignal(me, target.participant, msg.data.publisherId)) {
        return error(senderId, 'forbidden', 'signals flow only between a publisher and a receiver, for the publisher\u2019s media');
      }
      return [{ kind: 'send', to: msg.to, msg: { type: 'signal', from: senderId, data: msg.data } }];
    }
    case 'chat.send': {
      const message = { id: env.newId(), from: author(me), text: msg.text, ts: env.now };
      pushChat(state, message);
      return [
        { kind: 'persist', op: { op: 'chat', message } },
        { kind: 'broadcast', msg: { type: 'chat.message', ...message, mediaTime } },
      ];
    }
    case 'hand.raise':
    case 'hand.lower': {
      const raised = msg.type === 'hand.raise';
      if (me.handRaised === raised) return [];
      me.handRaised = raised;
      return [updated(me)];
    }
    case 'qa.ask': {
      const question: Question = { id: env.newId(), from: author(me), text: msg.text, ts: env.now, status: 'open', answer: null };
      state.questions.set(question.id, question);
      return [
        { kind: 'persist', op: { op: 'question.add', question } },
        { kind: 'broadcast', msg: { type: 'qa.question', question, mediaTime } },
      ];
    }
    case 'qa.answer':
    case 'qa.dismiss': {
      const q = state.questions.get(msg.questionId);
      if (!q) return error(senderId, 'not_found', 'no such question');
      if (msg.type === 'qa.answer') {
        q.status = 'answered';
        q.answer = { text: msg.text, by: author(me), ts: env.now };
      } else {
        q.status = 'dismissed';
      }
      return [
        { kind: 'persist', op: { op: 'question.update', question: q } },
        { kind: 'broadcast', msg: { type: 'qa.answered', question: q, mediaTime } },
      ];
    }
    case 'participant.promote':
    case 'participant.demote':
    case 'participant.mute':
    case 'participant.remove':
      return manage(state, senderId, msg, mediaTime);
    case 'media.state': {
      const { audio, video, screen } = msg;
      const m = me.media;
      const unmute = audio && me.mutedByHost;
      if (m.audio === audio && m.video === video && m.screen === screen && !unmute) return [];
      me.media = { audio, video, screen };
      // The host's mute holds until the panelist unmutes themselves.
      if (unmute) me.mutedByHost = false;
      return [updated(me)];
    }
    case 'chat.allowAttendees': {
      if (state.webinar.attendeeChat === msg.allowed) return [];
      state.webinar = { ...state.webinar, attendeeChat: msg.allowed };
      return [
        { kind: 'persist', op: { op: 'attendeeChat', allowed: msg.allowed } },
        { kind: 'broadcast', msg: { type: 'webinar.updated', webinar: state.webinar, mediaTime } },
      ];
    }
    case 'webinar.end': {
      state.webinar = { ...state.webinar, status: 'ended' };
      return [
        { kind: 'persist', op: { op: 'status', status: 'ended' } },
        { kind: 'broadcast', msg: { type: 'webinar.ended', webinar: state.webinar, mediaTime } },
        { kind: 'closeAll', code: CloseCode.ended, reason: 'webinar ended' },
      ];
    }
  }
}

type ManageMessage = Extract<ClientMessage, { type: `participant.${string}` }>;

function manage(state: RoomState, senderId: string, msg: ManageMessage, mediaTime: number): Effect[] {
  const target: Member | undefined = state.members.get(msg.participantId);
  if (!target) return error(senderId, 'not_found', 'no such participant in this webinar');
  const p = target.participant;
  const verb = msg.type.slice('participant.'.length) as 'promote' | 'demote' | 'mute' | 'remove';
  if (!canTarget(verb, p.role)) return error(senderId, 'forbidden', `cannot ${verb} a ${p.role}`);
  switch (verb) {
    case 'promote':
      p.role = 'panelist';
      p.handRaised = false;
      return [{ kind: 'persist', op: { op: 'panelist.add', email: target.email } }, updated(p, mediaTime)];
    case 'demote':
      p.role = 'attendee';
      p.media = { audio: false, video: false, screen: false };
      p.mutedByHost = false;
      return [{ kind: 'persist', op: { op: 'panelist.remove', email: target.email } }, updated(p, mediaTime)];
    case 'mute':
      p.mutedByHost = true;
      p.media = { ...p.media, audio: false };
      return [updated(p, mediaTime)];
    case 'remove': {
      state.members.delete(p.id);
      const left: ServerMessage = { type: 'participant.left', participantId: p.id, reason: 'removed', mediaTime };
      return [
        { kind: 'persist', op: { op: 'ban', userId: p.id } },
        { kind: 'close', who: p.id, code: CloseCode.removed, reason: 'removed by the host' },
        { kind: 'broadcast', msg: left },
      ];
    }
  }
}
