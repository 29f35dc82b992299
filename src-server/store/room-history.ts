/** Chat messages and questions of a webinar: written as they happen, read when a room is loaded. */
import { sql } from 'kysely';
import type { ChatMessage, Question, Role } from '../../src-shared/signaling-protocol';
import type { Db } from './db';
import type { QuestionsTable } from './schema';

export class RoomHistoryStore {
  constructor(private readonly db: Db) {}

  async addChat(webinarId: string, m: ChatMessage): Promise<void> {
    await this.db
      .insertInto('chat_messages')
      .values({ id: m.id, webinar_id: webinarId, user_id: m.from.id, display_name: m.from.displayName, role: m.from.role, text: m.text, ts: m.ts })
      .execute();
  }

  /** The most recent `limit` messages, oldest first (rowid breaks ties between equal timestamps). */
  async recentChat(webinarId: string, limit: number): Promise<ChatMessage[]> {
    const rows = await this.db
      .selectFrom('chat_messages')
      .selectAll()
      .where('webinar_id', '=', webinarId)
      .orderBy(sql`rowid`, 'desc')
      .limit(limit)
      .execute();
    return rows.reverse().map((r) => ({
      id: r.id,
      from: { id: r.user_id, displayName: r.display_name, role: r.role as Role },
      text: r.text,
      ts: r.ts,
    }));
  }

  async addQuestion(webinarId: string, q: Question): Promise<void> {
    await this.db.insertInto('questions').values(toRow(webinarId, q)).execute();
  }

  async updateQuestion(webinarId: string, q: Question): Promise<void> {
    const { id: _id, webinar_id: _w, ...rest } = toRow(webinarId, q);
    await this.db.updateTable('questions').set(rest).where('id', '=', q.id).where('webinar_id', '=', webinarId).execute();
  }

  /** Every open question plus the `closedLimit` most recently asked answered/dismissed ones, oldest first. */
  async questions(webinarId: string, closedLimit: number): Promise<Question[]> {
    const open = await this.db.selectFrom('questions').selectAll().where('webinar_id', '=', webinarId).where('status', '=', 'open').execute();
    const closed = await this.db
      .selectFrom('questions')
      .selectAll()
      .where('webinar_id', '=', webinarId)
      .where('status', '!=', 'open')
      .orderBy(sql`rowid`, 'desc')
      .limit(closedLimit)
      .execute();
    return [...open, ...closed].sort((a, b) => a.ts - b.ts).map(fromRow);
  }
}

function toRow(webinarId: string, q: Question): QuestionsTable {
  return {
    id: q.id,
    webinar_id: webinarId,
    user_id: q.from.id,
    display_name: q.from.displayName,
    role: q.from.role,
    text: q.text,
    ts: q.ts,
    status: q.status,
    answer_text: q.answer?.text ?? null,
    answer_by_id: q.answer?.by.id ?? null,
    answer_by_name: q.answer?.by.displayName ?? null,
    answer_by_role: q.answer?.by.role ?? null,
    answer_ts: q.answer?.ts ?? null,
  };
}

function fromRow(r: QuestionsTable): Question {
  const answer =
    r.answer_text !== null && r.answer_by_id !== null
      ? { text: r.answer_text, by: { id: r.answer_by_id, displayName: r.answer_by_name ?? '', role: (r.answer_by_role ?? 'host') as Role }, ts: r.answer_ts ?? r.ts }
      : null;
  return {
    id: r.id,
    from: { id: r.user_id, displayName: r.display_name, role: r.role as Role },
    text: r.text,
    ts: r.ts,
    status: r.status,
    answer,
  };
}
