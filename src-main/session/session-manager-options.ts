/**
 * What a SessionManager is built from, and the defaults it falls back to. Everything with a side
 * effect (keychain, HTTP, clock, timers, randomness) is injected so the manager stays free of
 * Electron and testable on a manual clock.
 */
import type { Clock } from '../../src-shared/clock';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../../src-shared/session/backoff';
import { DEFAULT_MAX_SLEEP_MS, DEFAULT_RENEW_FRACTION } from '../../src-shared/session/renewal-schedule';
import type { FetchLike } from './auth-client';
import type { SecretStore } from './secret-store';

export interface SessionTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Structured log sink. Fields never contain tokens or passwords. */
export interface SessionLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

export interface SessionManagerOptions {
  secretStore: SecretStore;
  fetch: FetchLike;
  clock: Clock;
  timers: SessionTimers;
  /** [0, 1) source for backoff jitter. */
  random?: () => number;
  /** Keychain service; also how this app identifies itself. */
  appId: string;
  /** Shown in the user's device list. */
  deviceName: string;
  logger?: SessionLogger;
  backoff?: BackoffPolicy;
  /** Per-request timeout for auth and API calls, ms (default 10 s). */
  requestTimeoutMs?: number;
  /** Timeout of the best-effort server revoke on sign-out, ms (default 3 s). */
  logoutTimeoutMs?: number;
  /** Fraction of the access lifetime after which to refresh (default 0.8). */
  renewFraction?: number;
  /** Longest single timer sleep, ms (default 30 s): deadlines are re-checked on absolute time. */
  maxSleepMs?: number;
}

export type ResolvedSessionOptions = Required<Omit<SessionManagerOptions, 'logger'>> & { logger: SessionLogger };

const noopLogger: SessionLogger = { info: () => {}, warn: () => {} };

export function resolveSessionOptions(opts: SessionManagerOptions): ResolvedSessionOptions {
  return {
    random: Math.random,
    backoff: DEFAULT_BACKOFF,
    requestTimeoutMs: 10_000,
    logoutTimeoutMs: 3_000,
    renewFraction: DEFAULT_RENEW_FRACTION,
    maxSleepMs: DEFAULT_MAX_SLEEP_MS,
    ...opts,
    // The server accepts 1..100 characters; an empty or huge host name must not break sign-in.
    deviceName: opts.deviceName.trim().slice(0, 100) || 'Desktop app',
    logger: opts.logger ?? noopLogger,
  };
}
