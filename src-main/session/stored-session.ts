/**
 * The one keychain entry per (server origin, user): account `${origin}|${userId}`, secret a small
 * JSON document. Everything needed to restore silently lives in the keychain, nothing on disk.
 */
import { z } from 'zod';
import { User } from '../../src-shared/http-api';
import type { SecretEntry } from './secret-store';

export const StoredSession = z.object({
  v: z.literal(1),
  refreshToken: z.string().min(1),
  user: User,
  sessionId: z.string(),
  /** Local epoch ms of the write: picks the newest entry if an origin somehow has several. */
  savedAt: z.number(),
});
export type StoredSession = z.infer<typeof StoredSession>;

/** The origin of a server URL, or null when it is not an http(s) URL. */
export function serverOrigin(serverUrl: string): string | null {
  try {
    const u = new URL(serverUrl.trim());
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    if (u.username || u.password) return null;
    return u.origin;
  } catch {
    return null;
  }
}

export function accountFor(origin: string, userId: string): string {
  return `${origin}|${userId}`;
}

export function encodeStoredSession(s: Omit<StoredSession, 'v'>): string {
  return JSON.stringify({ v: 1, ...s });
}

export function decodeStoredSession(secret: string): StoredSession | null {
  try {
    const parsed = StoredSession.safeParse(JSON.parse(secret));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

export interface FoundSession {
  account: string;
  stored: StoredSession;
}

/**
 * Splits the keychain entries for `origin` into the one to restore (newest valid) and the rest
 * (older or unreadable), which the caller deletes.
 */
export function pickStoredSession(entries: SecretEntry[], origin: string): { found: FoundSession | null; stale: string[] } {
  const prefix = `${origin}|`;
  let found: FoundSession | null = null;
  const stale: string[] = [];
  for (const e of entries) {
    if (!e.account.startsWith(prefix)) continue;
    const stored = decodeStoredSession(e.secret);
    if (!stored || e.account !== accountFor(origin, stored.user.id)) {
      stale.push(e.account);
      continue;
    }
    if (!found || stored.savedAt > found.stored.savedAt) {
      if (found) stale.push(found.account);
      found = { account: e.account, stored };
    } else {
      stale.push(e.account);
    }
  }
  return { found, stale };
}
