/**
 * Server configuration from the environment. Every value is validated here so a typo in a
 * deployment fails at start with the variable's name, not later as an odd runtime behaviour.
 */
import path from 'node:path';
import { z } from 'zod';
import { IceServer } from '../src-shared/signaling-protocol';

export interface RateLimitRule {
  /** Failed attempts allowed inside the window before further attempts get 429. */
  max: number;
  windowMs: number;
}

export interface ServerConfig {
  host: string;
  port: number;
  dataDir: string;
  accessTokenTtlS: number;
  refreshIdleTtlS: number;
  refreshAbsoluteTtlS: number;
  refreshReuseGraceS: number;
  refreshTokens: boolean;
  issuer: string;
  audience: string;
  loginRateLimit: { perAccount: RateLimitRule; perAddress: RateLimitRule };
  ice: IceConfig;
  signaling: SignalingConfig;
}

export interface IceConfig {
  /** Static STUN/TURN servers handed to every joiner (ICE_SERVERS). */
  servers: IceServer[];
  /** TURN REST convention: per-join credentials derived from a shared secret (TURN_URLS + TURN_SECRET). */
  turn: { urls: string[]; secret: string; ttlS: number } | null;
}

export interface SignalingConfig {
  /** Exact origins, or patterns ending in `:*` (any port). */
  allowedOrigins: string[];
  heartbeatMs: number;
  ratePerS: number;
  rateBurst: number;
  maxConnectionsPerUser: number;
}

export const DEFAULT_WS_ORIGINS = ['app://webinar', 'http://127.0.0.1:*', 'http://localhost:*'];

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`Invalid ${variable}: ${detail}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function raw(env: Env, name: string): string | undefined {
  const v = env[name];
  return v === undefined || v.trim() === '' ? undefined : v.trim();
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const v = raw(env, name);
  if (v === undefined) return fallback;
  if (!/^\d+$/.test(v)) throw new ConfigError(name, `expected an integer, got "${v}"`);
  const n = Number(v);
  if (n < min || n > max) throw new ConfigError(name, `expected ${min}..${max}, got ${n}`);
  return n;
}

function onOff(env: Env, name: string, fallback: boolean): boolean {
  const v = raw(env, name)?.toLowerCase();
  if (v === undefined) return fallback;
  if (['on', 'true', '1', 'yes'].includes(v)) return true;
  if (['off', 'false', '0', 'no'].includes(v)) return false;
  throw new ConfigError(name, `expected "on" or "off", got "${v}"`);
}

const YEAR_S = 366 * 24 * 3600;

export function loadConfig(env: Env = process.env): ServerConfig {
  const host = raw(env, 'HOST') ?? '127.0.0.1';
  if (/[\s/]/.test(host)) throw new ConfigError('HOST', `not a host name or address: "${host}"`);
  const port = int(env, 'PORT', 8787, 0, 65535);
  const dataDir = path.resolve(raw(env, 'DATA_DIR') ?? './.data');

  const accessTokenTtlS = int(env, 'ACCESS_TOKEN_TTL_S', 600, 1, 24 * 3600);
  const refreshIdleTtlS = int(env, 'REFRESH_IDLE_TTL_S', 14 * 24 * 3600, 1, YEAR_S);
  const refreshAbsoluteTtlS = int(env, 'REFRESH_ABSOLUTE_TTL_S', 30 * 24 * 3600, 1, 5 * YEAR_S);
  const refreshReuseGraceS = int(env, 'REFRESH_REUSE_GRACE_S', 10, 0, 300);
  const refreshTokens = onOff(env, 'REFRESH_TOKENS', true);

  // A fixed default rather than the listen URL: tokens must survive a port change (PORT=0).
  const issuer = raw(env, 'ISSUER') ?? 'webinar-server';
  const audience = raw(env, 'AUDIENCE') ?? 'webinar-desktop';

  const windowS = int(env, 'LOGIN_RATE_WINDOW_S', 15 * 60, 1, 24 * 3600);
  const loginRateLimit = {
    perAccount: { max: int(env, 'LOGIN_RATE_ACCOUNT_MAX', 10, 1, 1_000_000), windowMs: windowS * 1000 },
    perAddress: { max: int(env, 'LOGIN_RATE_ADDRESS_MAX', 50, 1, 1_000_000), windowMs: windowS * 1000 },
  };

  return {
    ice: iceConfig(env),
    signaling: {
      allowedOrigins: list(env, 'WS_ALLOWED_ORIGINS') ?? DEFAULT_WS_ORIGINS,
      heartbeatMs: int(env, 'WS_HEARTBEAT_MS', 15_000, 50, 600_000),
      ratePerS: int(env, 'WS_RATE_PER_S', 30, 1, 1_000_000),
      rateBurst: int(env, 'WS_RATE_BURST', 60, 1, 1_000_000),
      maxConnectionsPerUser: int(env, 'WS_MAX_CONNECTIONS_PER_USER', 8, 1, 10_000),
    },
    host,
    port,
    dataDir,
    accessTokenTtlS,
    refreshIdleTtlS,
    refreshAbsoluteTtlS,
    refreshReuseGraceS,
    refreshTokens,
    issuer,
    audience,
    loginRateLimit,
  };
}

function list(env: Env, name: string): string[] | undefined {
  const v = raw(env, name);
  if (v === undefined) return undefined;
  const items = v.split(',').map((x) => x.trim()).filter((x) => x !== '');
  if (items.length === 0) throw new ConfigError(name, 'expected a comma-separated list');
  return items;
}

const ICE_URL = /^(stun|stuns|turn|turns):[^\s]+$/;

function iceConfig(env: Env): IceConfig {
  let servers: IceServer[] = [];
  const json = raw(env, 'ICE_SERVERS');
  if (json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch {
      throw new ConfigError('ICE_SERVERS', 'expected a JSON array of {urls, username?, credential?}');
    }
    const result = z.array(IceServer.strict()).safeParse(parsed);
    if (!result.success) throw new ConfigError('ICE_SERVERS', `expected a JSON array of {urls, username?, credential?}: ${result.error.issues[0]?.message ?? ''}`);
    for (const s of result.data) {
      for (const u of Array.isArray(s.urls) ? s.urls : [s.urls]) {
        if (!ICE_URL.test(u)) throw new ConfigError('ICE_SERVERS', `not a stun:/turn: URL: "${u}"`);
      }
    }
    servers = result.data;
  }
  const turnUrls = list(env, 'TURN_URLS');
  const secret = raw(env, 'TURN_SECRET');
  if ((turnUrls === undefined) !== (secret === undefined)) {
    throw new ConfigError(turnUrls ? 'TURN_SECRET' : 'TURN_URLS', 'TURN_URLS and TURN_SECRET must be set together');
  }
  for (const u of turnUrls ?? []) if (!/^turns?:/.test(u)) throw new ConfigError('TURN_URLS', `not a turn: URL: "${u}"`);
  const ttlS = int(env, 'TURN_TTL_S', 3600, 60, 7 * 24 * 3600);
  return { servers, turn: turnUrls && secret ? { urls: turnUrls, secret, ttlS } : null };
}
