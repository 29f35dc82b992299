/**
 * The room as the UI sees it, folded from server messages (pure: unit-tested in node).
 */
import type { ChatMessage, Participant, Question, ServerMessage, WebinarInfo } from '../../../src-shared/signaling-protocol';

export const CHAT_KEEP = 500;

export interface RoomState {
  selfId: string | null;
  participants: Participant[];
  chat: ChatMessage[];
  questions: Question[];
  webinar: WebinarInfo | null;
  /** The last error the server answered with (forbidden, rate_limited …). */
  lastError: { code: string; message: string } | null;
  /** Set when we were removed by the host. */
  removed: boolean;
}

export const EMPTY_ROOM: RoomState = { selfId: null, participants: [], chat: [], questions: [], webinar: null, lastError: null, removed: false };

const roleOrder = { host: 0, panelist: 1, attendee: 2 } as const;

function sortParticipants(list: Participant[]): Participant[] {
  return [...list].sort((a, b) => roleOrder[a.role] - roleOrder[b.role] || Number(b.handRaised) - Number(a.handRaised) || a.displayName.localeCompare(b.displayName));
}

function upsert<T extends { id: string }>(list: T[], item: T): T[] {
  const i = list.findIndex((x) => x.id === item.id);
  if (i === -1) return [...list, item];
  const copy = [...list];
  copy[i] = item;
  return copy;
}

export function roomReducer(state: RoomState, msg: ServerMessage): RoomState {
  switch (msg.type) {
    case 'welcome':
      return {
        ...state,
        selfId: msg.self.id,
        participants: sortParticipants(upsert(msg.participants, msg.self)),
        chat: msg.chat.slice(-CHAT_KEEP),
        questions: msg.questions,
        webinar: msg.webinar,
        lastError: null,
      };
    case 'participant.joined':
    case 'participant.updated':
      return { ...state, participants: sortParticipants(upsert(state.participants, msg.participant)) };
    case 'participant.left':
      return {
        ...state,
        participants: state.participants.filter((p) => p.id !== msg.participantId),
        removed: state.removed || (msg.participantId === state.selfId && msg.reason === 'removed'),
      };
    case 'chat.message': {
      if (state.chat.some((c) => c.id === msg.id)) return state;
      const { type: _type, ...message } = msg;
      return { ...state, chat: [...state.chat, message].slice(-CHAT_KEEP) };
    }
    case 'qa.question':
    case 'qa.answered':
      return { ...state, questions: upsert(state.questions, msg.question) };
    case 'webinar.updated':
    case 'webinar.ended':
      return { ...state, webinar: msg.webinar };
    case 'error':
      return { ...state, lastError: { code: msg.code, message: msg.message } };
    case 'signal':
      return state;
  }
}

export function selfOf(state: RoomState): Participant | null {
  return state.participants.find((p) => p.id === state.selfId) ?? null;
}

/** The stage's main publisher: the host if present, else the first panelist. */
export function stagePublisher(state: RoomState): Participant | null {
  const hostId = state.webinar?.hostId;
  return state.participants.find((p) => p.id === hostId) ?? state.participants.find((p) => p.role === 'host') ?? state.participants.find((p) => p.role === 'panelist') ?? null;
}
