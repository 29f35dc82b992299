/** Device sessions (token families) and their refresh tokens. */
import type { Transaction } from 'kysely';
import type { Db } from './db';
import type { Database, RefreshTokensTable, SessionsTable } from './schema';

export type SessionRow = SessionsTable;
export type RefreshTokenRow = RefreshTokensTable;
export type Trx = Transaction<Database>;
type Executor = Db | Trx;

export class SessionStore {
  constructor(readonly db: Db) {}

  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(fn);
  }

  async insertSession(row: SessionRow, ex: Executor = this.db): Promise<void> {
    await ex.insertInto('sessions').values(row).execute();
  }

  async insertRefreshToken(row: RefreshTokenRow, ex: Executor = this.db): Promise<void> {
    await ex.insertInto('refresh_tokens').values(row).execute();
  }

  findSession(id: string, ex: Executor = this.db): Promise<SessionRow | undefined> {
    return ex.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findRefreshTokenByHash(hash: string, ex: Executor = this.db): Promise<RefreshTokenRow | undefined> {
    return ex.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
  }

  findRefreshToken(id: string, ex: Executor = this.db): Promise<RefreshTokenRow | undefined> {
    return ex.selectFrom('refresh_tokens').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async markRotated(id: string, at: number, replacedBy: string, ex: Executor = this.db): Promise<void> {
    await ex.updateTable('refresh_tokens').set({ rotated_at: at, replaced_by: replacedBy }).where('id', '=', id).execute();
  }

  async repointReplacedBy(id: string, replacedBy: string, ex: Executor = this.db): Promise<void> {
    await ex.updateTable('refresh_tokens').set({ replaced_by: replacedBy }).where('id', '=', id).execute();
  }

  async touchSession(id: string, at: number, ex: Executor = this.db): Promise<void> {
    await ex.updateTable('sessions').set({ last_used_at: at }).where('id', '=', id).execute();
  }

  /** Returns true when this call revoked it (false if unknown or already revoked). */
  async revokeSession(id: string, at: number, ex: Executor = this.db): Promise<boolean> {
    const res = await ex
      .updateTable('sessions')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) > 0;
  }

  listUserSessions(userId: string, ex: Executor = this.db): Promise<SessionRow[]> {
    return ex
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'asc')
      .execute();
  }
}
