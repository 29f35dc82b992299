/**
 * The role × action matrix of issue 3 as one pure function. The server consults it for every HTTP
 * request and every WebSocket message; the renderer may use it to hide controls (never to enforce).
 */
import type { ClientMessage, Role } from '../signaling-protocol';

export type Action =
  | 'publish' // send audio / camera / screen share
  | 'receive' // receive published media
  | 'chat'
  | 'hand' // raise / lower one's own hand
  | 'ask' // ask a question
  | 'moderateQuestions' // answer or dismiss a question
  | 'manageParticipants' // promote, demote, remove, mute
  | 'controlWebinar' // toggle attendee chat, end the webinar
  | 'namePanelists'; // HTTP: add a panelist ahead of time

export const ACTIONS: readonly Action[] = [
  'publish',
  'receive',
  'chat',
  'hand',
  'ask',
  'moderateQuestions',
  'manageParticipants',
  'controlWebinar',
  'namePanelists',
];

export interface PermissionContext {
  /** Whether the host currently allows attendees to chat. */
  attendeeChat: boolean;
}

const isPublisherRole = (role: Role) => role === 'host' || role === 'panelist';

export function can(role: Role, action: Action, ctx: PermissionContext): boolean {
  switch (action) {
    case 'publish':
      return isPublisherRole(role);
    case 'receive':
      return true;
    case 'chat':
      return isPublisherRole(role) || ctx.attendeeChat;
    case 'hand':
    case 'ask':
      // The table gives host and panelist "—": they are on stage, so a hand or question makes no sense.
      return role === 'attendee';
    case 'moderateQuestions':
      return isPublisherRole(role);
    case 'manageParticipants':
    case 'controlWebinar':
    case 'namePanelists':
      return role === 'host';
  }
}

export const isPublisher = isPublisherRole;

/**
 * The action a message needs. `signal` needs `receive` here (anyone may take part in a connection);
 * its publisher rule is checked by `canSignal`, which needs both ends.
 */
export function actionFor(msg: ClientMessage): Action {
  switch (msg.type) {
    case 'signal':
    case 'clock.ping': // everyone needs the session clock
      return 'receive';
    case 'media.state':
      return msg.audio || msg.video || msg.screen ? 'publish' : 'receive';
    case 'chat.send':
      return 'chat';
    case 'hand.raise':
    case 'hand.lower':
      return 'hand';
    case 'qa.ask':
      return 'ask';
    case 'qa.answer':
    case 'qa.dismiss':
      return 'moderateQuestions';
    case 'participant.promote':
    case 'participant.demote':
    case 'participant.remove':
    case 'participant.mute':
      return 'manageParticipants';
    case 'chat.allowAttendees':
    case 'webinar.end':
      return 'controlWebinar';
  }
}

export interface SignalEnd {
  id: string;
  role: Role;
}

/**
 * A signal is relayed only between a publisher and a receiver: one end must publish, and the
 * connection's `publisherId` must name a publishing end (so an attendee can never pose as the
 * source of media, and two attendees can never use the server as a private relay).
 */
export function canSignal(from: SignalEnd, to: SignalEnd, publisherId: string): boolean {
  if (from.id === to.id) return false;
  const candidates = [from, to].filter((end) => isPublisherRole(end.role)).map((end) => end.id);
  return candidates.includes(publisherId);
}

/** Which targets a manage action applies to: promote attendees, demote/mute panelists, remove anyone but the host. */
export function canTarget(action: 'promote' | 'demote' | 'mute' | 'remove', target: Role): boolean {
  switch (action) {
    case 'promote':
      return target === 'attendee';
    case 'demote':
    case 'mute':
      return target === 'panelist';
    case 'remove':
      return target !== 'host';
  }
}
