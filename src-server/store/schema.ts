/** Table types for kysely. Times are epoch milliseconds (INTEGER) in server-clock time. */
export interface UsersTable {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  created_at: number;
}

/** A device session is one token family: every refresh token rotated from one login. */
export interface SessionsTable {
  id: string;
  user_id: string;
  device_name: string | null;
  created_at: number;
  last_used_at: number;
  absolute_expires_at: number;
  revoked_at: number | null;
}

export interface RefreshTokensTable {
  id: string;
  /** base64url SHA-256 of the token; the token itself is never stored. */
  token_hash: string;
  session_id: string;
  created_at: number;
  /** Idle expiry: the token must be used (rotated) before this. */
  expires_at: number;
  rotated_at: number | null;
  replaced_by: string | null;
}

export interface WebinarsTable {
  id: string;
  title: string;
  host_id: string;
  starts_at: number | null;
  status: 'scheduled' | 'live' | 'ended';
  /** 0/1: whether attendees may chat. */
  attendee_chat: number;
  created_at: number;
  ended_at: number | null;
}

/** Panelists are named by (lower-cased) email, so they can be named before they register. */
export interface WebinarPanelistsTable {
  webinar_id: string;
  email: string;
  added_at: number;
}

export interface WebinarBansTable {
  webinar_id: string;
  user_id: string;
  created_at: number;
}

/** Author name and role are copied in: history shows who said it as they were then. */
export interface ChatMessagesTable {
  id: string;
  webinar_id: string;
  user_id: string;
  display_name: string;
  role: string;
  text: string;
  ts: number;
}

export interface QuestionsTable {
  id: string;
  webinar_id: string;
  user_id: string;
  display_name: string;
  role: string;
  text: string;
  ts: number;
  status: 'open' | 'answered' | 'dismissed';
  answer_text: string | null;
  answer_by_id: string | null;
  answer_by_name: string | null;
  answer_by_role: string | null;
  answer_ts: number | null;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  refresh_tokens: RefreshTokensTable;
  webinars: WebinarsTable;
  webinar_panelists: WebinarPanelistsTable;
  webinar_bans: WebinarBansTable;
  chat_messages: ChatMessagesTable;
  questions: QuestionsTable;
}
