/**
 * Server configuration from the environment. Every value is validated here so a typo in a
 * deployment fails at start with the variable's name, not later as an odd runtime behaviour.
 */
import path from 'node:path';

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
}

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
