import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_PATHS, ApiError } from '../../../src-shared/http-api';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { call, expectError, PASSWORD, post, registerUser } from './api';

let server: TestServer;
let email: string;
beforeAll(async () => {
  // High limits: the property test sends many logins from one address.
  server = await startTestServer({ env: { LOGIN_RATE_ACCOUNT_MAX: '100000', LOGIN_RATE_ADDRESS_MAX: '100000' } });
  email = (await registerUser(server.url)).email;
});
afterAll(() => server.close());

const POSTS = [API_PATHS.register, API_PATHS.login, API_PATHS.refresh, API_PATHS.logout];
const raw = (path: string, body: string | Buffer, contentType = 'application/json') =>
  call(server.url, 'POST', path, { raw: body, contentType });

function expectClientError(r: { status: number; body: unknown }) {
  expect(r.status, JSON.stringify(r.body)).toBeGreaterThanOrEqual(400);
  expect(r.status).toBeLessThan(500);
  expect(ApiError.safeParse(r.body).success, JSON.stringify(r.body)).toBe(true);
}

describe('bad inputs are 4xx with the error shape', () => {
  it.each(POSTS)('%s: wrong types', async (p) => {
    for (const body of [
      { email: 1, password: true, displayName: [], refreshToken: 5 },
      { email: { $ne: null }, password: { $gt: '' }, refreshToken: { a: 1 } },
      [],
      'string',
      123,
      null,
    ]) {
      expectError(await post(server.url, p, body), 400, 'invalid_request');
    }
  });

  it.each(POSTS)('%s: a body over 64 KiB is 413 payload_too_large', async (p) => {
    const big = JSON.stringify({ email, password: 'x'.repeat(70 * 1024) });
    expectError(await raw(p, big), 413, 'payload_too_large');
  });

  it('a body just under 64 KiB is parsed normally', async () => {
    const body = JSON.stringify({ email, password: PASSWORD, pad: 'x'.repeat(60 * 1024) });
    expect((await raw(API_PATHS.login, body)).status).toBe(200);
  });

  it.each(POSTS)('%s: malformed JSON is 400 invalid_request', async (p) => {
    for (const body of ['{', '{"email":', "{'a':1}", '{"a":1}}', 'nul', '\u0000', '{"a":"\\ud800"']) {
      expectError(await raw(p, body), 400, 'invalid_request');
    }
  });

  it('an empty body with a JSON content type is 400', async () => {
    expectError(await raw(API_PATHS.login, ''), 400, 'invalid_request');
  });

  it('a missing or foreign content type is 4xx, never 5xx', async () => {
    expectClientError(await raw(API_PATHS.login, 'email=a&password=b', 'application/x-www-form-urlencoded'));
    expectClientError(await raw(API_PATHS.login, '<xml/>', 'application/xml'));
    expectClientError(await raw(API_PATHS.login, JSON.stringify({ email, password: PASSWORD }), 'text/plain'));
    const r = await fetch(server.url + API_PATHS.login, { method: 'POST', body: Buffer.from('{"a":1}') });
    expectClientError({ status: r.status, body: await r.json() });
  });

  it('deeply nested JSON is 4xx', async () => {
    const depth = 30_000;
    expectClientError(await raw(API_PATHS.login, '['.repeat(depth) + ']'.repeat(depth)));
    expectClientError(await raw(API_PATHS.register, '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)));
  });

  it('prototype-pollution keys are refused and pollute nothing', async () => {
    for (const body of [
      '{"__proto__":{"polluted":true},"email":"a@b.co","password":"x"}',
      '{"constructor":{"prototype":{"polluted":true}},"refreshToken":"x"}',
      `{"email":"${email}","password":"${PASSWORD}","__proto__":{"isAdmin":true}}`,
    ]) {
      for (const p of POSTS) expectClientError(await raw(p, body));
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('odd but valid JSON values are 400', async () => {
    for (const body of ['1e400', '"\\u0000"', '{"email":"a@b.co","password":"' + '\\u0000'.repeat(20) + '"}', '{"email":null}']) {
      for (const p of POSTS) expectClientError(await raw(p, body));
    }
  });

  it('odd methods and paths are 4xx', async () => {
    expectClientError(await call(server.url, 'PUT', API_PATHS.login, { json: {} }));
    expectClientError(await call(server.url, 'GET', API_PATHS.login));
    expectClientError(await call(server.url, 'GET', '/api/sessions/%E0%A4%A'));
    expectClientError(await call(server.url, 'DELETE', `/api/sessions/${'x'.repeat(300)}`, { token: 'bad' }));
  });
});

describe('property: random bodies never produce a 5xx', () => {
  const anyBody = fc.oneof(
    fc.json(),
    fc.string({ maxLength: 300 }),
    fc.record(
      {
        email: fc.oneof(fc.emailAddress(), fc.string(), fc.integer(), fc.constant(null)),
        password: fc.oneof(fc.string({ maxLength: 200 }), fc.integer(), fc.array(fc.string())),
        displayName: fc.oneof(fc.string({ maxLength: 100 }), fc.constant(undefined)),
        deviceName: fc.oneof(fc.string({ maxLength: 120 }), fc.boolean()),
        refreshToken: fc.oneof(fc.string({ maxLength: 600 }), fc.base64String(), fc.constant('')),
      },
      { requiredKeys: [] },
    ).map((o) => JSON.stringify(o)),
  );

  it('on every POST route: status < 500 and errors have the error shape', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...POSTS), anyBody, async (p, body) => {
        const r = await raw(p, body);
        expect(r.status, `${p} ${body} -> ${JSON.stringify(r.body)}`).toBeLessThan(500);
        if (r.status >= 400) expect(ApiError.safeParse(r.body).success).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
