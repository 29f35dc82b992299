/**
 * Device sessions and their tokens: issuing at login, refresh-token rotation with reuse detection,
 * revocation, and access-token checks that consult the session table so a revoked session's access
 * tokens stop working at once (not only when they expire).
 */
import { EventEmitter } from 'node:events';
import type { Clock } from '../../src-shared/clock';
import type { DeviceSession, TokenResponse, User } from '../../src-shared/http-api';
import { ApiHttpError } from '../http/errors';
import type { SessionRow, SessionStore, Trx } from '../store/sessions';
import type { UserRow, UserStore } from '../store/users';
import type { AccessTokens } from './access-tokens';
import { hashRefreshToken, newRefreshToken } from './refresh-token-codec';

export interface TokenPolicy {
  accessTokenTtlS: number;
  refreshIdleTtlS: number;
  refreshAbsoluteTtlS: number;
  refreshReuseGraceS: number;
  refreshTokens: boolean;
}

export interface Authenticated {
  user: User;
  sessionId: string;
  accessTokenExpiresAtMs: number;
}

type RefreshOutcome =
  | { kind: 'ok'; session: SessionRow; token: string; expiresAtMs: number }
  | { kind: 'invalid' }
  | { kind: 'reuse'; sessionId: string };

const iso = (ms: number) => new Date(ms).toISOString();
export const toUser = (u: UserRow): User => ({ id: u.id, email: u.email, displayName: u.display_name });
const invalidGrant = () => new ApiHttpError(401, 'invalid_grant', 'refresh token is invalid, expired or revoked');
const invalidToken = (why = 'access token is invalid, expired or revoked') => new ApiHttpError(401, 'invalid_token', why);

export class TokenService {
  private readonly events = new EventEmitter();

  constructor(
    private readonly sessions: SessionStore,
    private readonly users: UserStore,
    private readonly access: AccessTokens,
    private readonly policy: TokenPolicy,
    private readonly clock: Clock,
  ) {
    // Later consumers (one per WebSocket, say) may be many; they are not a leak.
    this.events.setMaxListeners(0);
  }

  /** Called after a session is revoked (logout, device removal, reuse detection). Returns an unsubscribe. */
  onSessionRevoked(listener: (sessionId: string) => void): () => void {
    this.events.on('revoked', listener);
    return () => this.events.off('revoked', listener);
  }

  /** Start a new device session for a user whose password was just verified. */
  async startSession(user: UserRow, deviceName: string | null): Promise<TokenResponse> {
    const now = this.clock.now();
    const p = this.policy;
    // Without refresh tokens the session cannot outlive its one access token.
    const absolute = now + (p.refreshTokens ? p.refreshAbsoluteTtlS : p.accessTokenTtlS) * 1000;
    const session: SessionRow = {
      id: crypto.randomUUID(),
      user_id: user.id,
      device_name: deviceName,
      created_at: now,
      last_used_at: now,
      absolute_expires_at: absolute,
      revoked_at: null,
    };
    let refresh: { token: string; expiresAtMs: number } | null = null;
    await this.sessions.transaction(async (trx) => {
      await this.sessions.insertSession(session, trx);
      if (p.refreshTokens) refresh = await this.issueRefreshToken(session, now, trx);
    });
    return this.tokenResponse(user, session, refresh);
  }

  async refresh(presented: string): Promise<TokenResponse> {
    if (!this.policy.refreshTokens) throw invalidGrant();
    const now = this.clock.now();
    const hash = hashRefreshToken(presented);
    const outcome = await this.sessions.transaction((trx) => this.rotate(hash, now, trx));
    if (outcome.kind === 'reuse') {
      this.events.emit('revoked', outcome.sessionId);
      throw invalidGrant();
    }
    if (outcome.kind === 'invalid') throw invalidGrant();
    const user = await this.users.findById(outcome.session.user_id);
    if (!user) throw invalidGrant();
    return this.tokenResponse(user, outcome.session, outcome);
  }

  /** Revoke the session a refresh token belongs to (any token of the family). Unknown tokens are a no-op. */
  async logoutWithRefreshToken(presented: string): Promise<void> {
    const row = await this.sessions.findRefreshTokenByHash(hashRefreshToken(presented));
    if (row) await this.revoke(row.session_id);
  }

  async revoke(sessionId: string): Promise<void> {
    if (await this.sessions.revokeSession(sessionId, this.clock.now())) this.events.emit('revoked', sessionId);
  }

  /** Revoke one of the user's own sessions; false when it does not exist or is someone else's. */
  async revokeOwnSession(userId: string, sessionId: string): Promise<boolean> {
    const session = await this.sessions.findSession(sessionId);
    if (!session || session.user_id !== userId) return false;
    await this.revoke(sessionId);
    return true;
  }

  async listSessions(userId: string, currentSessionId: string): Promise<DeviceSession[]> {
    const now = this.clock.now();
    const rows = await this.sessions.listUserSessions(userId);
    return rows
      .filter((s) => this.isActive(s, now))
      .map((s) => ({
        id: s.id,
        deviceName: s.device_name,
        createdAt: iso(s.created_at),
        lastUsedAt: iso(s.last_used_at),
        current: s.id === currentSessionId,
      }));
  }

  /** Verify a bearer access token: signature and claims, then the session must still be live. */
  async authenticate(token: string): Promise<Authenticated> {
    let claims;
    try {
      claims = await this.access.verify(token);
    } catch {
      throw invalidToken();
    }
    const session = await this.sessions.findSession(claims.sessionId);
    const now = this.clock.now();
    if (!session || session.user_id !== claims.userId || session.revoked_at !== null || now >= session.absolute_expires_at) {
      throw invalidToken();
    }
    const user = await this.users.findById(claims.userId);
    if (!user) throw invalidToken();
    return { user: toUser(user), sessionId: session.id, accessTokenExpiresAtMs: claims.expiresAtMs };
  }

  private isActive(s: SessionRow, now: number): boolean {
    if (s.revoked_at !== null || now >= s.absolute_expires_at) return false;
    return !this.policy.refreshTokens || now < s.last_used_at + this.policy.refreshIdleTtlS * 1000;
  }

  private async rotate(hash: string, now: number, trx: Trx): Promise<RefreshOutcome> {
    const row = await this.sessions.findRefreshTokenByHash(hash, trx);
    if (!row) return { kind: 'invalid' };
    const session = await this.sessions.findSession(row.session_id, trx);
    if (!session || session.revoked_at !== null || now >= session.absolute_expires_at) return { kind: 'invalid' };

    if (row.rotated_at === null) {
      if (now >= row.expires_at) return { kind: 'invalid' }; // idle too long
      const next = await this.issueRefreshToken(session, now, trx);
      await this.sessions.markRotated(row.id, now, next.id, trx);
      await this.sessions.touchSession(session.id, now, trx);
      return { kind: 'ok', session: { ...session, last_used_at: now }, ...next };
    }

    // A rotated token came back. Tolerated only as the immediate predecessor of the live token and
    // only briefly (the response carrying its successor was lost, or two requests raced).
    const successor = row.replaced_by ? await this.sessions.findRefreshToken(row.replaced_by, trx) : undefined;
    const graceMs = this.policy.refreshReuseGraceS * 1000;
    if (successor && successor.rotated_at === null && graceMs > 0 && now - row.rotated_at <= graceMs) {
      const next = await this.issueRefreshToken(session, now, trx);
      await this.sessions.markRotated(successor.id, now, next.id, trx);
      // Re-point so a second retry of the same lost request (still inside the window) also succeeds.
      await this.sessions.repointReplacedBy(row.id, next.id, trx);
      await this.sessions.touchSession(session.id, now, trx);
      return { kind: 'ok', session: { ...session, last_used_at: now }, ...next };
    }

    // Anything else is a replay of a stolen or stale token: end the whole family.
    await this.sessions.revokeSession(session.id, now, trx);
    return { kind: 'reuse', sessionId: session.id };
  }

  private async issueRefreshToken(
    session: SessionRow,
    now: number,
    trx: Trx,
  ): Promise<{ id: string; token: string; expiresAtMs: number }> {
    const { token, hash } = newRefreshToken();
    const id = crypto.randomUUID();
    const expiresAtMs = Math.min(now + this.policy.refreshIdleTtlS * 1000, session.absolute_expires_at);
    await this.sessions.insertRefreshToken(
      { id, token_hash: hash, session_id: session.id, created_at: now, expires_at: expiresAtMs, rotated_at: null, replaced_by: null },
      trx,
    );
    return { id, token, expiresAtMs };
  }

  private async tokenResponse(
    user: UserRow,
    session: SessionRow,
    refresh: { token: string; expiresAtMs: number } | null,
  ): Promise<TokenResponse> {
    const access = await this.access.sign(user.id, session.id, session.absolute_expires_at);
    return {
      accessToken: access.token,
      accessTokenExpiresAt: iso(access.expiresAtMs),
      refreshToken: refresh?.token ?? null,
      refreshTokenExpiresAt: refresh ? iso(refresh.expiresAtMs) : null,
      sessionId: session.id,
      user: toUser(user),
    };
  }
}
