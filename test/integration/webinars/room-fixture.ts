/**
 * A populated room for the webinar integration tests: host, a named panelist, an attendee, an
 * attendee promoted by the host, a target attendee (for promote/remove) and an observer attendee
 * that is never acted on, all connected over real WebSockets to the real server.
 */
import { expect } from 'vitest';
import type { Participant, Question, ServerMessageOf } from '../../../src-shared/signaling-protocol';
import type { SignalingClient } from '../../helpers/signaling-client';
import { addPanelist, createWebinar, enter, newUser, type TestUser } from '../../helpers/webinar-fixtures';

export const CAST = ['host', 'panelist', 'attendee', 'promoted', 'target', 'observer', 'late'] as const;
export type CastMember = (typeof CAST)[number];
export type Cast = Record<CastMember, TestUser>;

export async function makeCast(url: string): Promise<Cast> {
  const users = await Promise.all(CAST.map((name) => newUser(url, name)));
  return Object.fromEntries(CAST.map((name, i) => [name, users[i]])) as Cast;
}

export interface Room {
  url: string;
  webinarId: string;
  users: Cast;
  clients: Record<Exclude<CastMember, 'late'>, SignalingClient>;
  /** An open question asked by the target attendee. */
  question: Question;
  closeAll(): Promise<void>;
}

export async function setupRoom(url: string, users: Cast): Promise<Room> {
  const w = await createWebinar(url, users.host, 'Matrix');
  await addPanelist(url, users.host, w.id, users.panelist.email);
  const clients = {} as Room['clients'];
  for (const name of ['host', 'panelist', 'attendee', 'promoted', 'target', 'observer'] as const) {
    clients[name] = (await enter(url, users[name], w.id)).client;
  }
  // Everyone has seen everyone join before the test starts.
  await clients.observer.next('participant.joined', (m) => m.participant.id === users.observer.id, 100).catch(() => undefined);
  clients.host.send({ type: 'participant.promote', participantId: users.promoted.id });
  await clients.observer.next('participant.updated', (m) => m.participant.id === users.promoted.id && m.participant.role === 'panelist');
  clients.target.send({ type: 'qa.ask', text: 'Why?' });
  const { question } = await clients.observer.next('qa.question');
  for (const c of Object.values(clients)) c.drain();
  return {
    url,
    webinarId: w.id,
    users,
    clients,
    question,
    async closeAll() {
      await Promise.all(Object.values(clients).map((c) => c.close()));
    },
  };
}

export interface Snapshot {
  participants: Participant[];
  chat: unknown[];
  questions: Question[];
  webinar: unknown;
}

/** The room's state as a late joiner sees it in `welcome` (the late joiner itself left out). */
export async function snapshot(room: Room): Promise<Snapshot> {
  const { client, welcome } = await enter(room.url, room.users.late, room.webinarId);
  await client.close();
  await room.clients.observer.next('participant.left', (m) => m.participantId === room.users.late.id);
  return stateOf(welcome, room.users.late.id);
}

export function stateOf(welcome: ServerMessageOf<'welcome'>, exclude: string): Snapshot {
  return {
    participants: welcome.participants.filter((p) => p.id !== exclude).sort((a, b) => a.id.localeCompare(b.id)),
    chat: welcome.chat,
    questions: welcome.questions,
    webinar: welcome.webinar,
  };
}

/** Asserts nothing reached the observer between `mark` and a barrier chat message from the host. */
export async function expectNothingBroadcast(room: Room, mark: number): Promise<void> {
  const text = `barrier ${Math.random()}`;
  room.clients.host.send({ type: 'chat.send', text });
  await room.clients.observer.next('chat.message', (m) => m.text === text);
  const since = room.clients.observer.received.slice(mark);
  expect(since.map((m) => m.type)).toEqual(['chat.message']);
}
