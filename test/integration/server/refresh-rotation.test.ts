import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenResponse } from '../../../src-shared/http-api';
import { ManualClock } from '../../helpers/manual-clock';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { call, expectError, post, signedInUser } from './api';

// A manual clock drives token time; the grace window is the default 10 s.
const clock = new ManualClock();
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ clock });
});
afterAll(() => server.close());

const refresh = (refreshToken: string | null) => post(server.url, '/api/auth/refresh', { refreshToken });
const me = (token: string) => call(server.url, 'GET', '/api/me', { token });

async function rotate(refreshToken: string | null): Promise<TokenResponse> {
  const r = await refresh(refreshToken);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return TokenResponse.parse(r.body);
}

describe('refresh rotation', () => {
  it('returns a new pair for the same session each time', async () => {
    const { user, tokens: t0 } = await signedInUser(server.url);
    clock.advance(60_000);
    const t1 = await rotate(t0.refreshToken);
    expect(t1.refreshToken).not.toBe(t0.refreshToken);
    expect(t1.accessToken).not.toBe(t0.accessToken);
    expect(t1.sessionId).toBe(t0.sessionId);
    expect(t1.user).toEqual(user);
    expect(Date.parse(t1.accessTokenExpiresAt)).toBeGreaterThan(Date.parse(t0.accessTokenExpiresAt));
    clock.advance(60_000);
    const t2 = await rotate(t1.refreshToken);
    expect(t2.sessionId).toBe(t0.sessionId);
    expect((await me(t2.accessToken)).status).toBe(200);
  });

  it('updates lastUsedAt on refresh', async () => {
    const { tokens: t0 } = await signedInUser(server.url);
    clock.advance(120_000);
    const t1 = await rotate(t0.refreshToken);
    const list = await call(server.url, 'GET', '/api/sessions', { token: t1.accessToken });
    const s = list.body.sessions.find((x: { id: string }) => x.id === t1.sessionId);
    expect(Date.parse(s.lastUsedAt)).toBe(clock.now());
    expect(Date.parse(s.createdAt)).toBe(clock.now() - 120_000);
  });

  it('unknown tokens are 401 invalid_grant', async () => {
    expectError(await refresh('A'.repeat(43)), 401, 'invalid_grant');
  });
});

describe('reuse of a rotated token', () => {
  it('inside the grace window: the immediate predecessor gets a valid pair for the same session', async () => {
    const { tokens: t0 } = await signedInUser(server.url);
    const t1 = await rotate(t0.refreshToken); // response "lost"
    clock.advance(9_000);
    const retry = await rotate(t0.refreshToken);
    expect(retry.sessionId).toBe(t0.sessionId);
    expect(retry.refreshToken).not.toBe(t1.refreshToken);
    // a second retry of the same lost request, still inside the window, works too
    clock.advance(500);
    const retry2 = await rotate(t0.refreshToken);
    // the chain continues from the newest token, and the session is alive
    const next = await rotate(retry2.refreshToken);
    expect(next.sessionId).toBe(t0.sessionId);
    expect((await me(next.accessToken)).status).toBe(200);
  });

  it('outside the grace window: 401 invalid_grant and the whole session is revoked', async () => {
    const { tokens: t0 } = await signedInUser(server.url);
    const t1 = await rotate(t0.refreshToken);
    clock.advance(10_001);
    expectError(await refresh(t0.refreshToken), 401, 'invalid_grant');
    // the newest refresh token and the live access token die with the family
    expectError(await refresh(t1.refreshToken), 401, 'invalid_grant');
    expectError(await me(t1.accessToken), 401, 'invalid_token');
  });

  it('an older ancestor, even inside the window: family revoked', async () => {
    const { tokens: t0 } = await signedInUser(server.url);
    const t1 = await rotate(t0.refreshToken);
    clock.advance(1_000);
    const t2 = await rotate(t1.refreshToken);
    clock.advance(1_000);
    expectError(await refresh(t0.refreshToken), 401, 'invalid_grant');
    expectError(await refresh(t2.refreshToken), 401, 'invalid_grant');
    expectError(await me(t2.accessToken), 401, 'invalid_token');
  });

  it('the revocation is per family: other sessions of the user live on', async () => {
    const { email, tokens: a0 } = await signedInUser(server.url);
    const { login } = await import('./api');
    const b0 = await login(server.url, email, 'second device');
    await rotate(a0.refreshToken);
    clock.advance(20_000);
    expectError(await refresh(a0.refreshToken), 401, 'invalid_grant');
    expect((await me(b0.accessToken)).status).toBe(200);
    await rotate(b0.refreshToken);
  });

  it('a concurrent burst with one token yields one family, no revocation', async () => {
    const { tokens: t0 } = await signedInUser(server.url);
    const results = await Promise.all(Array.from({ length: 5 }, () => refresh(t0.refreshToken)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const last = TokenResponse.parse(results[4]!.body);
    expect((await me(last.accessToken)).status).toBe(200);
  });
});

describe('logout', () => {
  it('204, revokes the session, and its access tokens fail at once', async () => {
    const { tokens: t0 } = await signedInUser(server.url);
    expect((await me(t0.accessToken)).status).toBe(200);
    const r = await call(server.url, 'POST', '/api/auth/logout', { json: { refreshToken: t0.refreshToken } });
    expect(r.status).toBe(204);
    expectError(await me(t0.accessToken), 401, 'invalid_token');
    expectError(await refresh(t0.refreshToken), 401, 'invalid_grant');
  });

  it('is idempotent and quiet for unknown tokens', async () => {
    const r = await call(server.url, 'POST', '/api/auth/logout', { json: { refreshToken: 'unknown-token' } });
    expect(r.status).toBe(204);
  });

  it('400 without a refresh token or bearer', async () => {
    expectError(await post(server.url, '/api/auth/logout', {}), 400, 'invalid_request');
  });
});
