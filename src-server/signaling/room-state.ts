/**
 * The in-memory state of one live webinar room and the effects that change the outside world.
 * The message handler mutates a RoomState and returns Effects; the Room executes them (persist
 * first, then send), so the rules stay testable without sockets or SQL.
 */
import type { ChatMessage, Participant, Question, ServerMessage, WebinarInfo } from '../../src-shared/signaling-protocol';

/** Recent chat kept in memory and sent in `welcome`. */
export const CHAT_HISTORY = 200;
/** Answered/dismissed questions sent in `welcome` besides every open one. */
export const CLOSED_QUESTIONS_HISTORY = 50;

export interface Member {
  participant: Participant;
  /** Lower-cased; panelists are named by email, so promotion persists through it. */
  email: string;
}

export interface RoomState {
  webinar: WebinarInfo;
  /** Connected participants by user id (participant id = user id). */
  members: Map<string, Member>;
  chat: ChatMessage[];
  questions: Map<string, Question>;
}

export type PersistOp =
  | { op: 'chat'; message: ChatMessage }
  | { op: 'question.add'; question: Question }
  | { op: 'question.update'; question: Question }
  | { op: 'panelist.add'; email: string }
  | { op: 'panelist.remove'; email: string }
  | { op: 'ban'; userId: string }
  | { op: 'status'; status: WebinarInfo['status'] }
  | { op: 'attendeeChat'; allowed: boolean };

export type Effect =
  | { kind: 'persist'; op: PersistOp }
  | { kind: 'send'; to: string; msg: ServerMessage }
  | { kind: 'broadcast'; msg: ServerMessage; except?: string }
  | { kind: 'close'; who: string; code: number; reason: string }
  | { kind: 'closeAll'; code: number; reason: string };

export function newParticipant(id: string, displayName: string, role: Participant['role']): Participant {
  return { id, displayName, role, handRaised: false, media: { audio: false, video: false, screen: false }, mutedByHost: false };
}

export function pushChat(state: RoomState, m: ChatMessage): void {
  state.chat.push(m);
  if (state.chat.length > CHAT_HISTORY) state.chat.splice(0, state.chat.length - CHAT_HISTORY);
}

/** Open questions plus the most recent closed ones, oldest first; also trims memory to that set. */
export function visibleQuestions(state: RoomState): Question[] {
  const all = [...state.questions.values()].sort((a, b) => a.ts - b.ts);
  const closed = all.filter((q) => q.status !== 'open');
  const dropped = new Set(closed.slice(0, Math.max(0, closed.length - CLOSED_QUESTIONS_HISTORY)).map((q) => q.id));
  for (const id of dropped) state.questions.delete(id);
  return all.filter((q) => !dropped.has(q.id));
}

export function welcomeFor(state: RoomState, selfId: string, now: number): ServerMessage {
  const self = state.members.get(selfId)!.participant;
  return {
    type: 'welcome',
    self,
    participants: [...state.members.values()].map((m) => m.participant),
    chat: [...state.chat],
    questions: visibleQuestions(state),
    webinar: state.webinar,
    serverTime: now,
  };
}
