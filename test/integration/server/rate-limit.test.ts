import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { expectError, login, post, registerUser, uniqueEmail } from './api';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { LOGIN_RATE_ACCOUNT_MAX: '3', LOGIN_RATE_ADDRESS_MAX: '8', LOGIN_RATE_WINDOW_S: '900' } });
});
afterAll(() => server.close());

const attempt = (email: string, password: string) => post(server.url, '/api/auth/login', { email, password });

describe('login rate limiting', () => {
  it('per account: after the limit, 429 rate_limited with Retry-After, even with the right password', async () => {
    const { email } = await registerUser(server.url);
    for (let i = 0; i < 3; i++) expectError(await attempt(email, 'wrong password'), 401, 'invalid_credentials');
    const blocked = await attempt(email, 'wrong password');
    expectError(blocked, 429, 'rate_limited');
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(800);
    expect(retryAfter).toBeLessThanOrEqual(900);
    const { PASSWORD } = await import('./api');
    expectError(await attempt(email, PASSWORD), 429, 'rate_limited');
  });

  it('unknown emails are limited the same way (no enumeration through 429s)', async () => {
    const ghost = uniqueEmail('ghost');
    for (let i = 0; i < 3; i++) expectError(await attempt(ghost, 'whatever1'), 401, 'invalid_credentials');
    expectError(await attempt(ghost, 'whatever1'), 429, 'rate_limited');
  });

  it('per address: many accounts from one address are limited too', async () => {
    // 6 failures so far from this address in the tests above (3 + 3, blocked attempts not counted)
    const { email } = await registerUser(server.url);
    expectError(await attempt(uniqueEmail(), 'x'), 401, 'invalid_credentials');
    expectError(await attempt(uniqueEmail(), 'x'), 401, 'invalid_credentials');
    const r = await attempt(email, 'anything');
    expectError(r, 429, 'rate_limited');
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('a parallel burst', () => {
  let s3: TestServer;
  beforeAll(async () => {
    s3 = await startTestServer({ env: { LOGIN_RATE_ACCOUNT_MAX: '3' } });
  });
  afterAll(() => s3.close());
  it('cannot slip more guesses than the limit past the check', async () => {
    const { email } = await registerUser(s3.url);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => post(s3.url, '/api/auth/login', { email, password: 'wrong guess' })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(3);
    expect(statuses.filter((s) => s === 429)).toHaveLength(17);
  });
});

describe('a success clears the account count', () => {
  let s2: TestServer;
  beforeAll(async () => {
    s2 = await startTestServer({ env: { LOGIN_RATE_ACCOUNT_MAX: '2' } });
  });
  afterAll(() => s2.close());
  it('fail, succeed, fail, fail is still allowed one more', async () => {
    const { email } = await registerUser(s2.url);
    expectError(await post(s2.url, '/api/auth/login', { email, password: 'bad-one' }), 401, 'invalid_credentials');
    await login(s2.url, email);
    expectError(await post(s2.url, '/api/auth/login', { email, password: 'bad-one' }), 401, 'invalid_credentials');
    expectError(await post(s2.url, '/api/auth/login', { email, password: 'bad-one' }), 401, 'invalid_credentials');
    expectError(await post(s2.url, '/api/auth/login', { email, password: 'bad-one' }), 429, 'rate_limited');
  });
});
