import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionsResponse } from '../../../src-shared/http-api';
import { createServer } from '../../../src-server/app';
import { loadConfig } from '../../../src-server/config';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { call, expectError, login, post, signedInUser } from './api';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

const sessions = (token: string) => call(server.url, 'GET', '/api/sessions', { token });

describe('GET /api/sessions', () => {
  it('lists the user\'s active sessions with the current one marked', async () => {
    const { email, tokens: a } = await signedInUser(server.url, 'laptop');
    const b = await login(server.url, email, 'phone');
    const c = await login(server.url, email);
    const r = await sessions(b.accessToken);
    expect(r.status).toBe(200);
    const list = SessionsResponse.parse(r.body).sessions;
    expect(list.map((s) => s.id).sort()).toEqual([a.sessionId, b.sessionId, c.sessionId].sort());
    expect(list.find((s) => s.current)?.id).toBe(b.sessionId);
    expect(list.filter((s) => s.current)).toHaveLength(1);
    expect(list.find((s) => s.id === a.sessionId)?.deviceName).toBe('laptop');
    expect(list.find((s) => s.id === c.sessionId)?.deviceName).toBeNull();
  });

  it('does not show other users\' sessions', async () => {
    const one = await signedInUser(server.url);
    const two = await signedInUser(server.url);
    const list = SessionsResponse.parse((await sessions(one.tokens.accessToken)).body).sessions;
    expect(list.map((s) => s.id)).toEqual([one.tokens.sessionId]);
    expect(list.map((s) => s.id)).not.toContain(two.tokens.sessionId);
  });

  it('requires a bearer token', async () => {
    expectError(await call(server.url, 'GET', '/api/sessions'), 401, 'invalid_token');
  });
});

describe('DELETE /api/sessions/:id', () => {
  it('revokes one of my sessions (204): its tokens die, mine live', async () => {
    const { email, tokens: mine } = await signedInUser(server.url, 'this');
    const other = await login(server.url, email, 'lost laptop');
    const r = await call(server.url, 'DELETE', `/api/sessions/${other.sessionId}`, { token: mine.accessToken });
    expect(r.status).toBe(204);
    expectError(await call(server.url, 'GET', '/api/me', { token: other.accessToken }), 401, 'invalid_token');
    expectError(await post(server.url, '/api/auth/refresh', { refreshToken: other.refreshToken }), 401, 'invalid_grant');
    expect((await call(server.url, 'GET', '/api/me', { token: mine.accessToken })).status).toBe(200);
    const list = SessionsResponse.parse((await sessions(mine.accessToken)).body).sessions;
    expect(list.map((s) => s.id)).toEqual([mine.sessionId]);
  });

  it('404 for someone else\'s session (and it stays alive) and for unknown ids', async () => {
    const me = await signedInUser(server.url);
    const victim = await signedInUser(server.url);
    expectError(
      await call(server.url, 'DELETE', `/api/sessions/${victim.tokens.sessionId}`, { token: me.tokens.accessToken }),
      404,
      'not_found',
    );
    expect((await call(server.url, 'GET', '/api/me', { token: victim.tokens.accessToken })).status).toBe(200);
    expectError(await call(server.url, 'DELETE', '/api/sessions/nope', { token: me.tokens.accessToken }), 404, 'not_found');
  });

  it('revoking the current session signs this token out too', async () => {
    const { tokens } = await signedInUser(server.url);
    expect((await call(server.url, 'DELETE', `/api/sessions/${tokens.sessionId}`, { token: tokens.accessToken })).status).toBe(204);
    expectError(await call(server.url, 'GET', '/api/me', { token: tokens.accessToken }), 401, 'invalid_token');
  });
});

describe('session revocation events and persistence', () => {
  it('onSessionRevoked fires for logout, device removal and reuse detection; keys survive a restart', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'webinar-events-'));
    const config = loadConfig({ PORT: '0', DATA_DIR: dataDir });
    const s = await createServer(config);
    const { url } = await s.listen();
    const seen: string[] = [];
    const off = s.services.tokens.onSessionRevoked((id) => seen.push(id));
    try {
      const { email, tokens: a } = await signedInUser(url);
      const b = await login(url, email);
      const c = await login(url, email);
      await post(url, '/api/auth/logout', { refreshToken: a.refreshToken });
      await call(url, 'DELETE', `/api/sessions/${b.sessionId}`, { token: c.accessToken });
      const c1 = await post(url, '/api/auth/refresh', { refreshToken: c.refreshToken });
      await post(url, '/api/auth/refresh', { refreshToken: c1.body.refreshToken });
      // c's first token is now an older ancestor: replaying it is reuse and ends the family
      expectError(await post(url, '/api/auth/refresh', { refreshToken: c.refreshToken }), 401, 'invalid_grant');
      expect(seen).toEqual([a.sessionId, b.sessionId, c.sessionId]);
      off();

      // key file is private and reused after a restart: old access tokens still verify
      const keyFile = fs.readdirSync(dataDir).find((f) => f.endsWith('.jwk.json'))!;
      expect(fs.statSync(path.join(dataDir, keyFile)).mode & 0o777).toBe(0o600);
      const d = await login(url, email);
      await s.close();
      const s2 = await createServer(config);
      const { url: url2 } = await s2.listen();
      expect((await call(url2, 'GET', '/api/me', { token: d.accessToken })).status).toBe(200);
      await s2.close();
    } finally {
      await s.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
