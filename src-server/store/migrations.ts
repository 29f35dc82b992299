/**
 * Forward-only migrations tracked with PRAGMA user_version: enough for an embedded single-file
 * database, and each step runs in a transaction so a crash never leaves half a schema.
 */
import type BetterSqlite3 from 'better-sqlite3';

const MIGRATIONS: string[] = [
  `
  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL
  );
  CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    device_name TEXT,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    absolute_expires_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE INDEX sessions_user ON sessions(user_id);
  CREATE TABLE refresh_tokens (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    rotated_at INTEGER,
    replaced_by TEXT
  );
  CREATE INDEX refresh_tokens_session ON refresh_tokens(session_id);
  `,
  // Issue 3: webinars, their named panelists and bans, chat and questions.
  `
  CREATE TABLE webinars (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    host_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    starts_at INTEGER,
    status TEXT NOT NULL,
    attendee_chat INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    ended_at INTEGER
  );
  CREATE INDEX webinars_host ON webinars(host_id);
  CREATE INDEX webinars_status ON webinars(status, created_at);
  CREATE TABLE webinar_panelists (
    webinar_id TEXT NOT NULL REFERENCES webinars(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (webinar_id, email)
  );
  CREATE INDEX webinar_panelists_email ON webinar_panelists(email);
  CREATE TABLE webinar_bans (
    webinar_id TEXT NOT NULL REFERENCES webinars(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (webinar_id, user_id)
  );
  CREATE TABLE chat_messages (
    id TEXT PRIMARY KEY,
    webinar_id TEXT NOT NULL REFERENCES webinars(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    text TEXT NOT NULL,
    ts INTEGER NOT NULL
  );
  CREATE INDEX chat_messages_webinar ON chat_messages(webinar_id, ts);
  CREATE TABLE questions (
    id TEXT PRIMARY KEY,
    webinar_id TEXT NOT NULL REFERENCES webinars(id) ON DELETE CASCADE,
    user_id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    text TEXT NOT NULL,
    ts INTEGER NOT NULL,
    status TEXT NOT NULL,
    answer_text TEXT,
    answer_by_id TEXT,
    answer_by_name TEXT,
    answer_by_role TEXT,
    answer_ts INTEGER
  );
  CREATE INDEX questions_webinar ON questions(webinar_id, ts);
  `,
];

export function migrate(db: BetterSqlite3.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
