/** Webinar rows, named panelists and bans. Emails are stored lower-cased (see normalizeEmail). */
import type { Db } from './db';
import type { WebinarsTable } from './schema';

export type WebinarRow = WebinarsTable;

/** Upper bound on list results: the lobby shows a page, not the whole table. */
const LIST_LIMIT = 200;

export class WebinarStore {
  constructor(private readonly db: Db) {}

  async create(row: WebinarRow): Promise<void> {
    await this.db.insertInto('webinars').values(row).execute();
  }

  find(id: string): Promise<WebinarRow | undefined> {
    return this.db.selectFrom('webinars').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Webinars I host or am named panelist of, plus every scheduled or live one (newest first). */
  async listFor(userId: string, email: string): Promise<WebinarRow[]> {
    const mine = await this.db
      .selectFrom('webinars')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('host_id', '=', userId),
          eb('id', 'in', eb.selectFrom('webinar_panelists').select('webinar_id').where('email', '=', email)),
        ]),
      )
      .orderBy('created_at', 'desc')
      .limit(LIST_LIMIT)
      .execute();
    const upcoming = await this.db
      .selectFrom('webinars')
      .selectAll()
      .where('status', 'in', ['scheduled', 'live'])
      .orderBy('created_at', 'desc')
      .limit(LIST_LIMIT)
      .execute();
    const seen = new Set(mine.map((w) => w.id));
    return [...mine, ...upcoming.filter((w) => !seen.has(w.id))];
  }

  async setStatus(id: string, status: WebinarRow['status'], now: number): Promise<void> {
    await this.db
      .updateTable('webinars')
      .set({ status, ...(status === 'ended' ? { ended_at: now } : {}) })
      .where('id', '=', id)
      .execute();
  }

  async setAttendeeChat(id: string, allowed: boolean): Promise<void> {
    await this.db.updateTable('webinars').set({ attendee_chat: allowed ? 1 : 0 }).where('id', '=', id).execute();
  }

  async addPanelist(webinarId: string, email: string, now: number): Promise<void> {
    await this.db
      .insertInto('webinar_panelists')
      .values({ webinar_id: webinarId, email, added_at: now })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async removePanelist(webinarId: string, email: string): Promise<void> {
    await this.db.deleteFrom('webinar_panelists').where('webinar_id', '=', webinarId).where('email', '=', email).execute();
  }

  async isPanelist(webinarId: string, email: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('webinar_panelists')
      .select('email')
      .where('webinar_id', '=', webinarId)
      .where('email', '=', email)
      .executeTakeFirst();
    return row !== undefined;
  }

  async panelistWebinarIds(email: string, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('webinar_panelists')
      .select('webinar_id')
      .where('email', '=', email)
      .where('webinar_id', 'in', ids)
      .execute();
    return new Set(rows.map((r) => r.webinar_id));
  }

  async ban(webinarId: string, userId: string, now: number): Promise<void> {
    await this.db
      .insertInto('webinar_bans')
      .values({ webinar_id: webinarId, user_id: userId, created_at: now })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async isBanned(webinarId: string, userId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('webinar_bans')
      .select('user_id')
      .where('webinar_id', '=', webinarId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  }
}
