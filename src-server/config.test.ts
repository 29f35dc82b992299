import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      host: '127.0.0.1',
      port: 8787,
      accessTokenTtlS: 600,
      refreshIdleTtlS: 1_209_600,
      refreshAbsoluteTtlS: 2_592_000,
      refreshReuseGraceS: 10,
      refreshTokens: true,
      loginRateLimit: { perAccount: { max: 10, windowMs: 900_000 }, perAddress: { max: 50, windowMs: 900_000 } },
    });
    expect(c.dataDir.endsWith('.data')).toBe(true);
  });

  it('reads overrides, PORT=0 included', () => {
    const c = loadConfig({ PORT: '0', REFRESH_TOKENS: 'off', ACCESS_TOKEN_TTL_S: '60', DATA_DIR: '/tmp/x' });
    expect([c.port, c.refreshTokens, c.accessTokenTtlS, c.dataDir]).toEqual([0, false, 60, '/tmp/x']);
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['ACCESS_TOKEN_TTL_S', '-5'],
    ['ACCESS_TOKEN_TTL_S', '1.5'],
    ['REFRESH_TOKENS', 'maybe'],
    ['REFRESH_REUSE_GRACE_S', '1e3'],
    ['LOGIN_RATE_ACCOUNT_MAX', '0'],
  ])('%s=%s is a ConfigError naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });
});
