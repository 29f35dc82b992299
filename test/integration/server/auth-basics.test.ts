import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MeResponse, RegisterResponse, SERVER_TIME_HEADER } from '../../../src-shared/http-api';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { call, expectError, login, PASSWORD, post, registerUser, signedInUser, uniqueEmail } from './api';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('register', () => {
  it('creates a user (201) and normalizes the email', async () => {
    const email = uniqueEmail('Mixed').toUpperCase();
    const r = await post(server.url, '/api/auth/register', { email, password: PASSWORD, displayName: ' Ada ' });
    expect(r.status).toBe(201);
    const { user } = RegisterResponse.parse(r.body);
    expect(user.email).toBe(email.toLowerCase());
    expect(user.displayName).toBe('Ada');
    expect(r.body.user).not.toHaveProperty('password');
  });

  it('409 email_taken for a duplicate, case-insensitively', async () => {
    const { email } = await registerUser(server.url);
    const r = await post(server.url, '/api/auth/register', { email: email.toUpperCase(), password: PASSWORD, displayName: 'X' });
    expectError(r, 409, 'email_taken');
  });

  it.each([
    ['short password', { email: 'a@b.co', password: 'short', displayName: 'x' }],
    ['long password', { email: 'a@b.co', password: 'x'.repeat(129), displayName: 'x' }],
    ['bad email', { email: 'not-an-email', password: PASSWORD, displayName: 'x' }],
    ['empty name', { email: 'a@b.co', password: PASSWORD, displayName: '   ' }],
    ['long name', { email: 'a@b.co', password: PASSWORD, displayName: 'x'.repeat(65) }],
    ['missing field', { email: 'a@b.co', password: PASSWORD }],
  ])('400 invalid_request: %s', async (_name, body) => {
    expectError(await post(server.url, '/api/auth/register', body), 400, 'invalid_request');
  });

  it('accepts the length boundaries (8 and 128 chars, name 64)', async () => {
    const a = await post(server.url, '/api/auth/register', { email: uniqueEmail(), password: 'x'.repeat(8), displayName: 'n'.repeat(64) });
    const b = await post(server.url, '/api/auth/register', { email: uniqueEmail(), password: 'x'.repeat(128), displayName: 'n' });
    expect([a.status, b.status]).toEqual([201, 201]);
  });
});

describe('login', () => {
  it('returns the token response and a working access token', async () => {
    const { user, tokens } = await signedInUser(server.url, 'laptop');
    expect(tokens.user).toEqual(user);
    expect(tokens.refreshToken).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(Date.parse(tokens.accessTokenExpiresAt) - Date.now()).toBeGreaterThan(590_000);
    const me = await call(server.url, 'GET', '/api/me', { token: tokens.accessToken });
    expect(me.status).toBe(200);
    expect(MeResponse.parse(me.body)).toEqual({ user, sessionId: tokens.sessionId });
  });

  it('401 invalid_credentials for a wrong password and an unknown email alike', async () => {
    const { email } = await registerUser(server.url);
    const wrong = await post(server.url, '/api/auth/login', { email, password: 'wrong password' });
    const unknown = await post(server.url, '/api/auth/login', { email: uniqueEmail('ghost'), password: PASSWORD });
    expectError(wrong, 401, 'invalid_credentials');
    expectError(unknown, 401, 'invalid_credentials');
    expect(unknown.body.message).toBe(wrong.body.message);
  });

  it('is case-insensitive on the email', async () => {
    const { email } = await registerUser(server.url);
    await login(server.url, email.toUpperCase());
  });
});

describe('every response', () => {
  it('carries x-server-time, errors and 404s included', async () => {
    for (const r of [
      await call(server.url, 'GET', '/.well-known/jwks.json'),
      await call(server.url, 'GET', '/no/such/route'),
      await call(server.url, 'GET', '/api/me'),
      await call(server.url, 'POST', '/api/auth/login', { raw: JSON.stringify({ pad: 'x'.repeat(70_000) }), contentType: 'application/json' }),
      await call(server.url, 'POST', '/api/auth/login', { raw: '{', contentType: 'application/json' }),
    ]) {
      const t = Number(r.headers.get(SERVER_TIME_HEADER));
      expect(Math.abs(t - Date.now())).toBeLessThan(5000);
    }
  });

  it('unknown routes are 404 not_found with the error shape', async () => {
    expectError(await call(server.url, 'GET', '/api/nothing'), 404, 'not_found');
    expectError(await call(server.url, 'POST', '/api/nothing', { json: {} }), 404, 'not_found');
  });

  it('GET /api/me without or with a garbage token is 401 invalid_token', async () => {
    expectError(await call(server.url, 'GET', '/api/me'), 401, 'invalid_token');
    expectError(await call(server.url, 'GET', '/api/me', { token: 'garbage' }), 401, 'invalid_token');
  });

  it('publishes the verification key as a JWKS', async () => {
    const r = await call(server.url, 'GET', '/.well-known/jwks.json');
    expect(r.status).toBe(200);
    expect(r.body.keys).toHaveLength(1);
    expect(r.body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(r.body.keys[0]).not.toHaveProperty('d');
  });
});
