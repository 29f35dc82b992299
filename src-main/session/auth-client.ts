/**
 * HTTP client for the auth API. One job: turn HTTP into typed results and typed failures.
 *
 * - Every response (success or error) feeds the server-clock estimator, so expiry can be judged in
 *   server time.
 * - Failures are classified by what the caller should do, not by how they happened:
 *   transient (network, DNS, timeout, 5xx, garbage body) → keep the session, retry later;
 *   auth (401 invalid_grant / invalid_token) → the session is gone;
 *   rate_limited (429) → wait `retryAfterMs`; client (other 4xx) → show the server's message.
 * - Bodies are validated with the shared zod schemas; a 200 with a body we cannot parse is treated
 *   as transient (a captive portal or proxy page), never as "signed out".
 * - Never logs or puts tokens or passwords in errors.
 */
import type { z } from 'zod';
import {
  API_PATHS,
  ApiError,
  LoginRequest,
  RegisterRequest,
  RegisterResponse,
  SERVER_TIME_HEADER,
  TokenResponse,
} from '../../src-shared/http-api';
import type { Clock } from '../../src-shared/clock';
import { parseServerTimeHeader, ServerClockEstimator } from '../../src-shared/session/server-time';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export type AuthFailureKind = 'transient' | 'auth' | 'rate_limited' | 'client';

export class AuthClientError extends Error {
  constructor(
    readonly kind: AuthFailureKind,
    /** Server error code (`invalid_grant`...) or one of ours: network, timeout, server_error, bad_response. */
    readonly code: string,
    message: string,
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'AuthClientError';
  }
}

export function isAuthClientError(e: unknown): e is AuthClientError {
  return e instanceof AuthClientError;
}

/** A token response plus the server time at which we received it (to anchor the lifetime). */
export interface TokenGrant extends TokenResponse {
  receivedAtServer: number;
}

export interface AuthClientOptions {
  /** Server origin, e.g. http://127.0.0.1:8787 */
  origin: string;
  fetch: FetchLike;
  clock: Clock;
  serverClock: ServerClockEstimator;
  /** Per-request timeout, ms. */
  timeoutMs?: number;
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, nowMs: number): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  return Number.isFinite(date) ? Math.max(0, date - nowMs) : null;
}

/** Errors of a reused socket that the peer had already closed (undici / Node). */
function isStaleConnection(e: unknown): boolean {
  const cause = e instanceof Error ? (e.cause as { code?: string; message?: string } | undefined) : undefined;
  const code = cause?.code ?? '';
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE' || /other side closed/i.test(cause?.message ?? '');
}

export class AuthClient {
  readonly origin: string;
  private readonly fetchImpl: FetchLike;
  private readonly clock: Clock;
  readonly serverClock: ServerClockEstimator;
  private readonly timeoutMs: number;

  constructor(opts: AuthClientOptions) {
    this.origin = opts.origin;
    this.fetchImpl = opts.fetch;
    this.clock = opts.clock;
    this.serverClock = opts.serverClock;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  /**
   * Sends one request and records the server time. Throws AuthClientError('transient') for anything
   * that never produced an HTTP response. Returns the raw Response otherwise (status not checked).
   */
  async send(path: string, init: RequestInit = {}, timeoutMs = this.timeoutMs): Promise<Response> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    let sentAtLocal = this.clock.now();
    let res: Response;
    try {
      try {
        res = await this.fetchImpl(this.origin + path, { ...init, signal });
      } catch (e) {
        // A pooled keep-alive connection that died while the network was down fails the first
        // request after it comes back ("other side closed"). One immediate retry on a fresh
        // connection; safe for refresh too (the server's reuse grace covers a lost response).
        if (timeout.aborted || init.signal?.aborted || !isStaleConnection(e)) throw e;
        sentAtLocal = this.clock.now();
        res = await this.fetchImpl(this.origin + path, { ...init, signal });
      }
    } catch (e) {
      if (timeout.aborted) {
        throw new AuthClientError('transient', 'timeout', `The server did not answer within ${Math.round(timeoutMs / 1000)} s.`);
      }
      if (init.signal?.aborted) throw e;
      const cause = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message}` : '';
      throw new AuthClientError('transient', 'network', `Cannot reach the server${cause}`);
    }
    const serverTime = parseServerTimeHeader(res.headers.get(SERVER_TIME_HEADER));
    if (serverTime !== null) {
      this.serverClock.observe({ sentAtLocal, receivedAtLocal: this.clock.now(), serverTime });
    }
    return res;
  }

  /** Turns a non-2xx response into the classified error. Consumes the body. */
  async failure(res: Response): Promise<AuthClientError> {
    let body: ApiError | null = null;
    try {
      const parsed = ApiError.safeParse(await res.json());
      if (parsed.success) body = parsed.data;
    } catch {
      // not JSON: fall through with no server message
    }
    const code = body?.error ?? (res.status >= 500 ? 'server_error' : `http_${res.status}`);
    const message = body?.message ?? `The server answered ${res.status}.`;
    if (res.status >= 500) return new AuthClientError('transient', 'server_error', `The server had a problem (${res.status}). ${message}`, res.status);
    if (res.status === 429) {
      const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), this.clock.now());
      return new AuthClientError('rate_limited', 'rate_limited', message, 429, retryAfterMs);
    }
    if (res.status === 401 && (code === 'invalid_grant' || code === 'invalid_token')) {
      return new AuthClientError('auth', code, message, 401);
    }
    // Request timeout / too early from a proxy: nothing wrong with the session.
    if (res.status === 408 || res.status === 425) return new AuthClientError('transient', 'timeout', message, res.status);
    return new AuthClientError('client', code, message, res.status);
  }

  /** Reads and validates a success body; an unparseable body is transient (proxy, portal). */
  async parse<S extends z.ZodType>(res: Response, schema: S): Promise<z.infer<S>> {
    let json: unknown;
    try {
      json = await res.json();
    } catch {
      throw new AuthClientError('transient', 'bad_response', 'The server sent a response that is not JSON.', res.status);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new AuthClientError('transient', 'bad_response', 'The server sent a response this app does not understand.', res.status);
    }
    return parsed.data;
  }

  private async postJson<S extends z.ZodType>(path: string, body: unknown, schema: S, timeoutMs?: number): Promise<z.infer<S>> {
    const res = await this.send(
      path,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      timeoutMs,
    );
    if (!res.ok) throw await this.failure(res);
    return this.parse(res, schema);
  }

  private grant(t: TokenResponse): TokenGrant {
    return { ...t, receivedAtServer: this.serverClock.toServer(this.clock.now()) };
  }

  register(req: RegisterRequest): Promise<RegisterResponse> {
    return this.postJson(API_PATHS.register, req, RegisterResponse);
  }

  async login(req: LoginRequest): Promise<TokenGrant> {
    return this.grant(await this.postJson(API_PATHS.login, req, TokenResponse));
  }

  async refresh(refreshToken: string): Promise<TokenGrant> {
    return this.grant(await this.postJson(API_PATHS.refresh, { refreshToken }, TokenResponse));
  }

  /** Revokes the session on the server. Best effort: callers usually ignore failures. */
  async logout(refreshToken: string, timeoutMs = 3_000): Promise<void> {
    const res = await this.send(
      API_PATHS.logout,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ refreshToken }) },
      timeoutMs,
    );
    if (!res.ok) throw await this.failure(res);
    await res.body?.cancel();
  }
}
