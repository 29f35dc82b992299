/**
 * Test doubles for SessionManager unit tests: manual timers driven by a ManualClock, and a tiny
 * in-process imitation of the auth API (rotation, revocation, x-server-time). The acceptance tests
 * run against the real server; these only make the manager's decisions fast and deterministic.
 */
import { ManualClock } from '../../helpers/manual-clock';

export class ManualTimers {
  private seq = 0;
  private queue = new Map<number, { at: number; fn: () => void }>();
  constructor(private readonly clock: ManualClock) {}
  setTimeout = (fn: () => void, ms: number): unknown => {
    const id = ++this.seq;
    this.queue.set(id, { at: this.clock.now() + ms, fn });
    return id;
  };
  clearTimeout = (h: unknown): void => {
    this.queue.delete(h as number);
  };
  get pending(): number {
    return this.queue.size;
  }
  /** Moves the clock forward, firing due timers in order (and timers they arm). */
  async advance(ms: number): Promise<void> {
    const end = this.clock.now() + ms;
    for (;;) {
      const next = [...this.queue].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!next) break;
      this.queue.delete(next[0]);
      if (next[1].at > this.clock.now()) this.clock.set(next[1].at);
      next[1].fn();
      await flush();
    }
    this.clock.set(end);
    await flush();
  }
}

export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
}

type Mode = 'up' | 'down' | '500' | 'html';

export class FakeAuthServer {
  mode: Mode = 'up';
  accessTtlMs = 600_000;
  refreshTokensOn = true;
  calls: string[] = [];
  private n = 0;
  /** refresh token → session id */
  private refresh = new Map<string, string>();
  /** access token → { sid, exp } */
  private access = new Map<string, { sid: string; exp: number }>();
  revoked = new Set<string>();
  readonly user = { id: 'u1', email: 'a@x.test', displayName: 'A' };

  /** `serverClock` is the server's (true) time; the client's clock may differ. */
  constructor(private readonly serverClock: { now(): number }) {}

  private json(status: number, body: unknown): Response {
    return new Response(body === undefined ? null : JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json', 'x-server-time': String(this.serverClock.now()) },
    });
  }

  private grant(sid: string): Response {
    const accessToken = `at-${++this.n}`;
    const refreshToken = this.refreshTokensOn ? `rt-${this.n}` : null;
    const exp = this.serverClock.now() + this.accessTtlMs;
    this.access.set(accessToken, { sid, exp });
    if (refreshToken) this.refresh.set(refreshToken, sid);
    return this.json(200, {
      accessToken,
      accessTokenExpiresAt: new Date(exp).toISOString(),
      refreshToken,
      refreshTokenExpiresAt: refreshToken ? new Date(exp + 86_400_000).toISOString() : null,
      sessionId: sid,
      user: this.user,
    });
  }

  fetch = async (input: string, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input);
    const key = `${init.method ?? 'GET'} ${url.pathname}`;
    this.calls.push(key);
    if (this.mode === 'down') throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED') });
    if (this.mode === '500') return this.json(500, { error: 'internal_error', message: 'boom' });
    if (this.mode === 'html') return new Response('<html>portal</html>', { status: 200 });
    const body = init.body ? (JSON.parse(String(init.body)) as Record<string, string>) : {};
    const bearer = new Headers(init.headers).get('authorization')?.slice(7);
    const authed = () => {
      const a = bearer ? this.access.get(bearer) : undefined;
      return a && a.exp > this.serverClock.now() && !this.revoked.has(a.sid) ? a : null;
    };
    switch (key) {
      case 'POST /api/auth/login':
        if (body.password !== 'password1') return this.json(401, { error: 'invalid_credentials', message: 'no' });
        return this.grant(`s${++this.n}`);
      case 'POST /api/auth/refresh': {
        const sid = this.refresh.get(body.refreshToken ?? '');
        if (!sid || this.revoked.has(sid)) return this.json(401, { error: 'invalid_grant', message: 'no' });
        this.refresh.delete(body.refreshToken!);
        return this.grant(sid);
      }
      case 'POST /api/auth/logout': {
        const sid = this.refresh.get(body.refreshToken ?? '');
        if (sid) this.revoked.add(sid);
        return this.json(204, undefined);
      }
      case 'GET /api/me': {
        const a = authed();
        return a ? this.json(200, { user: this.user, sessionId: a.sid }) : this.json(401, { error: 'invalid_token', message: 'no' });
      }
      default:
        return this.json(404, { error: 'not_found', message: key });
    }
  };
}
