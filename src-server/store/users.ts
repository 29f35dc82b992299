/** User rows. Emails are stored lower-cased so uniqueness is case-insensitive. */
import type { Db } from './db';
import type { UsersTable } from './schema';

export type UserRow = UsersTable;

export class EmailTakenError extends Error {}

export class UserStore {
  constructor(private readonly db: Db) {}

  async create(user: UserRow): Promise<void> {
    try {
      await this.db.insertInto('users').values(user).execute();
    } catch (err) {
      // Two concurrent registrations race past any pre-check; the UNIQUE index decides.
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new EmailTakenError();
      throw err;
    }
  }

  findByEmail(email: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  }

  findById(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
