import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenResponse } from '../../../src-shared/http-api';
import { ManualClock } from '../../helpers/manual-clock';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { call, expectError, post, signedInUser } from './api';

const IDLE_S = 3600;
const ABSOLUTE_S = 4 * 3600;
const ACCESS_S = 600;
const clock = new ManualClock();
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    clock,
    env: { REFRESH_IDLE_TTL_S: String(IDLE_S), REFRESH_ABSOLUTE_TTL_S: String(ABSOLUTE_S), ACCESS_TOKEN_TTL_S: String(ACCESS_S) },
  });
});
afterAll(() => server.close());

const refresh = (refreshToken: string | null) => post(server.url, '/api/auth/refresh', { refreshToken });
const me = (token: string) => call(server.url, 'GET', '/api/me', { token });

describe('access token expiry (server clock)', () => {
  it('works until exp and fails after, with at most a few seconds of tolerance', async () => {
    const { tokens } = await signedInUser(server.url);
    expect(Date.parse(tokens.accessTokenExpiresAt)).toBeLessThanOrEqual(clock.now() + ACCESS_S * 1000);
    clock.advance((ACCESS_S - 5) * 1000);
    expect((await me(tokens.accessToken)).status).toBe(200);
    clock.advance(40_000);
    expectError(await me(tokens.accessToken), 401, 'invalid_token');
  });

  it('reports server time in x-server-time', async () => {
    const r = await me('x');
    expect(Number(r.headers.get('x-server-time'))).toBe(clock.now());
  });
});

describe('refresh idle expiry', () => {
  it('a token unused for longer than REFRESH_IDLE_TTL_S is invalid_grant', async () => {
    const { tokens } = await signedInUser(server.url);
    expect(Date.parse(tokens.refreshTokenExpiresAt!)).toBe(clock.now() + IDLE_S * 1000);
    clock.advance(IDLE_S * 1000);
    expectError(await refresh(tokens.refreshToken), 401, 'invalid_grant');
  });

  it('using it just before the idle limit extends the session', async () => {
    const { tokens } = await signedInUser(server.url);
    clock.advance(IDLE_S * 1000 - 1000);
    const r = await refresh(tokens.refreshToken);
    expect(r.status).toBe(200);
    clock.advance(IDLE_S * 1000 - 1000);
    expect((await refresh(TokenResponse.parse(r.body).refreshToken)).status).toBe(200);
  });

  it('idle-expired sessions drop out of the sessions list', async () => {
    const { email, tokens: stale } = await signedInUser(server.url, 'old');
    clock.advance(IDLE_S * 1000 + 1);
    const { login } = await import('./api');
    const fresh = await login(server.url, email, 'new');
    const list = await call(server.url, 'GET', '/api/sessions', { token: fresh.accessToken });
    const ids = list.body.sessions.map((s: { id: string }) => s.id);
    expect(ids).toContain(fresh.sessionId);
    expect(ids).not.toContain(stale.sessionId);
  });
});

describe('refresh absolute expiry', () => {
  it('ends the session at REFRESH_ABSOLUTE_TTL_S however often it is refreshed', async () => {
    const { tokens } = await signedInUser(server.url);
    const end = clock.now() + ABSOLUTE_S * 1000;
    let current = tokens;
    while (clock.now() + IDLE_S * 1000 / 2 < end) {
      clock.advance((IDLE_S * 1000) / 2);
      const r = await refresh(current.refreshToken);
      expect(r.status).toBe(200);
      current = TokenResponse.parse(r.body);
      // neither token outlives the session
      expect(Date.parse(current.refreshTokenExpiresAt!)).toBeLessThanOrEqual(end);
      expect(Date.parse(current.accessTokenExpiresAt)).toBeLessThanOrEqual(end);
    }
    clock.set(end);
    expectError(await refresh(current.refreshToken), 401, 'invalid_grant');
    expectError(await me(current.accessToken), 401, 'invalid_token');
  });
});

describe('REFRESH_TOKENS=off', () => {
  let strict: TestServer;
  const strictClock = new ManualClock();
  beforeAll(async () => {
    strict = await startTestServer({ clock: strictClock, env: { REFRESH_TOKENS: 'off', ACCESS_TOKEN_TTL_S: '300' } });
  });
  afterAll(() => strict.close());

  it('login returns no refresh token; refresh is invalid_grant; the session ends with the access token', async () => {
    const { tokens } = await signedInUser(strict.url);
    expect(tokens.refreshToken).toBeNull();
    expect(tokens.refreshTokenExpiresAt).toBeNull();
    expectError(await post(strict.url, '/api/auth/refresh', { refreshToken: 'anything' }), 401, 'invalid_grant');
    const list = await call(strict.url, 'GET', '/api/sessions', { token: tokens.accessToken });
    expect(list.body.sessions).toHaveLength(1);
    strictClock.advance(301_000 + 30_000);
    expectError(await call(strict.url, 'GET', '/api/me', { token: tokens.accessToken }), 401, 'invalid_token');
  });

  it('logout works with the bearer token instead', async () => {
    const { tokens } = await signedInUser(strict.url);
    const r = await call(strict.url, 'POST', '/api/auth/logout', { json: {}, token: tokens.accessToken });
    expect(r.status).toBe(204);
    expectError(await call(strict.url, 'GET', '/api/me', { token: tokens.accessToken }), 401, 'invalid_token');
  });
});
