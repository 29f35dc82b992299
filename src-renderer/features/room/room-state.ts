/**
 * The room as the UI sees it, folded from server messages (pure: unit-tested in node).
 */
import type { ChatMessage, Participant, Question, ServerMessage, WebinarInfo } from '../../../src-shared/signaling-protocol';

export const CHAT_KEEP = 500;

/** A chat message as shown: the server's message plus its media moment and when it was shown. */
export interface ChatEntry extends ChatMessage {
  /** Session-clock ms of the media moment it belongs to (absent in history and from old servers). */
  mediaTime?: number;
  /** performance.timeOrigin + performance.now() when it reached this client (bench:join). */
  arrivedAt?: number;
  /** performance.timeOrigin + performance.now() when it was released to the panel (issue 4 bench). */
  shownAt?: number;
}

export interface RoomState {
  selfId: string | null;
  participants: Participant[];
  /** In media order: history first (no mediaTime), then released messages by mediaTime. */
  chat: ChatEntry[];
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
      const { type: _type, ...message } = msg;
      return showChat(state, message);
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
    case 'clock.pong':
      return state;
  }
}

/**
 * Adds a chat message where it belongs on the media timeline: after every entry whose media moment
 * is not later than its own (entries without mediaTime count as earlier). Released messages arrive
 * in media order, so this is an append except for the rare out-of-order one. Duplicates are ignored.
 */
export function showChat(state: RoomState, entry: ChatEntry): RoomState {
  if (state.chat.some((c) => c.id === entry.id)) return state;
  const chat = [...state.chat];
  let i = chat.length;
  if (entry.mediaTime !== undefined) {
    const mt = entry.mediaTime;
    while (i > 0 && (chat[i - 1]!.mediaTime ?? Number.NEGATIVE_INFINITY) > mt) i--;
  }
  chat.splice(i, 0, entry);
  return { ...state, chat: chat.slice(-CHAT_KEEP) };
}

export function selfOf(state: RoomState): Participant | null {
  return state.participants.find((p) => p.id === state.selfId) ?? null;
}

/** The stage's main publisher: the host if present, else the first panelist. */
export function stagePublisher(state: RoomState): Participant | null {
  const hostId = state.webinar?.hostId;
  return state.participants.find((p) => p.id === hostId) ?? state.participants.find((p) => p.role === 'host') ?? state.participants.find((p) => p.role === 'panelist') ?? null;
}
