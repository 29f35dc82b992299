/**
 * 10 000 generated HTTP requests against the real server (its own process): random methods, paths
 * under /api (real routes, real and unknown ids, traversal, encoded and unicode segments, long paths),
 * headers (content types, broken Authorization, content-encoding), and bodies (wrong types, deep JSON,
 * strings up to and over the 64 KiB limit, truncated JSON, `__proto__`/`constructor`/`prototype` keys,
 * random bytes). Proves: never a 5xx, never a crash or an internal error in the log, the `{error,
 * message}` shape on every 4xx that has a body, no state change except what accepted (2xx) requests
 * account for, and bounded RSS. Login throttling stays at its defaults: it is part of what is tested.
 */
import http from 'node:http';
import fs from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src-shared/http-api';
import { createWebinar, login, newUser, webinarApi, type TestUser } from '../../helpers/webinar-fixtures';
import { openDbReadOnly, startChildServer, tableCounts, type ChildServer } from './child-server';

const TOTAL = 10_000;
const CONCURRENCY = 16;
const RSS_BOUND = 150 * 1024 * 1024;

let server: ChildServer;
let user: TestUser;
/** A second session of the same user: the only one a generated request may legitimately end. */
let victim: TestUser;
let webinarId: string;
beforeAll(async () => {
  server = await startChildServer();
  user = await newUser(server.url, 'Owner');
  victim = await login(server.url, user.email);
  webinarId = (await createWebinar(server.url, user, 'Target')).id;
});
afterAll(async () => {
  await server?.stop();
  if (server) fs.rmSync(server.dataDir, { recursive: true, force: true });
});

interface Req {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | null;
}

const POLLUTION = ['__proto__', 'constructor', 'prototype'];
const safeHeader = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 });
const segment = fc.oneof(
  fc.constantFrom('..', '%2e%2e', '.', '%00', '%2F', '%ff', '%', '~', 'me', 'sessions', 'webinars', 'join', 'panelists', 'auth', 'login', ...POLLUTION),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  fc.string({ unit: 'grapheme', maxLength: 10 }).map(encodeURIComponent),
  fc.uuid(),
);
const path = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('/api/auth/register', '/api/auth/login', '/api/auth/refresh', '/api/auth/logout', '/api/me', '/api/sessions', '/api/webinars') },
  { weight: 4, arbitrary: fc.tuple(fc.oneof(fc.constant('REAL'), segment), fc.constantFrom('', '/join', '/panelists', '/x')).map(([id, tail]) => ({ id, tail })) },
  { weight: 2, arbitrary: fc.oneof(segment, fc.constant('VICTIM')).map((s) => `/api/sessions/${s}`) },
  { weight: 3, arbitrary: fc.array(segment, { minLength: 1, maxLength: 6 }).map((s) => `/api/${s.join('/')}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('/api/me', '/api/webinars', '/api/auth/login'), fc.string({ maxLength: 60 })).map(([p, q]) => `${p}?${encodeURIComponent(q)}&a[__proto__][x]=1&constructor[prototype][y]=2`) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 20_000 }).map((n) => `/api/${'a'.repeat(n)}`) },
);

const jsonish: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.record(
    { email: fc.oneof(fc.emailAddress(), fc.jsonValue({ maxDepth: 1 })), password: fc.oneof(fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 1 })), displayName: fc.jsonValue({ maxDepth: 1 }), refreshToken: fc.oneof(fc.string({ maxLength: 600 }), fc.jsonValue({ maxDepth: 1 })), title: fc.oneof(fc.string({ maxLength: 250 }), fc.jsonValue({ maxDepth: 1 })), startsAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string()) },
    { requiredKeys: [] },
  ),
);
const body: fc.Arbitrary<{ bytes: Buffer | null; kind: string }> = fc.oneof(
  { weight: 2, arbitrary: fc.constant({ bytes: null, kind: 'none' }) },
  { weight: 6, arbitrary: jsonish.map((v) => ({ bytes: Buffer.from(JSON.stringify(v) ?? 'null'), kind: 'json' })) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom(...POLLUTION, 'toString', 'hasOwnProperty'), jsonish).map(([k, v]) => ({ bytes: Buffer.from(`{"email":"a@b.co","title":"t","${k}":${k === 'constructor' ? '{"prototype":{"polluted":true}}' : '{"polluted":true}'},"x":${JSON.stringify(v) ?? 1}}`), kind: 'pollution' })) },
  { weight: 2, arbitrary: fc.tuple(jsonish, fc.nat()).map(([v, i]) => { const s = JSON.stringify({ v, title: 'x' }); return { bytes: Buffer.from(s.slice(0, i % s.length)), kind: 'truncated' }; }) },
  { weight: 1, arbitrary: fc.integer({ min: 10, max: 12_000 }).map((d) => ({ bytes: Buffer.from('{"title":' + '['.repeat(d) + ']'.repeat(d) + '}'), kind: 'deep' })) },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1_000, max: 96 * 1024 }), fc.constantFrom('x', 'é', '💥')).map(([n, ch]) => ({ bytes: Buffer.from(JSON.stringify({ title: ch.repeat(Math.ceil(n / Buffer.byteLength(ch))), email: 'x' })), kind: 'huge' })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 2000 }).map((a) => ({ bytes: Buffer.from(a), kind: 'bytes' })) },
  // Well-formed bodies, so some requests are valid and the state accounting below means something.
  { weight: 1, arbitrary: fc.constantFrom({ title: 'A webinar' }, { email: 'named@example.com' }, { title: 'Later', startsAt: '2030-01-01T10:00:00Z' }).map((v) => ({ bytes: Buffer.from(JSON.stringify(v)), kind: 'valid' })) },
);
const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  { weight: 3, arbitrary: fc.constantFrom(null, 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/json; charset=latin1', 'APPLICATION/JSON', 'application/vnd.api+json', 'application/json, text/plain', '*/*', '') },
  { weight: 1, arbitrary: safeHeader },
);
const request: fc.Arbitrary<Req & { kind: string }> = fc
  .record({
    method: fc.oneof({ weight: 8, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE') }, { weight: 2, arbitrary: fc.constantFrom('HEAD', 'OPTIONS', 'PROPFIND', 'SEARCH', 'PURGE', 'LOCK') }),
    path,
    auth: fc.constantFrom('valid', 'none', 'garbage', 'bearer-garbage', 'basic', 'long'),
    garbage: safeHeader,
    contentType,
    encoding: fc.constantFrom(null, null, null, 'gzip', 'deflate', 'br', 'identity', 'x-unknown'),
    extra: fc.dictionary(fc.constantFrom('x-forwarded-for', 'x-forwarded-host', 'origin', 'accept', 'x-http-method-override', 'cookie', 'range'), safeHeader, { maxKeys: 3 }),
    body,
  })
  .map((r) => {
    const headers: Record<string, string> = { ...r.extra };
    if (r.contentType !== null) headers['content-type'] = r.contentType;
    if (r.encoding) headers['content-encoding'] = r.encoding;
    if (r.auth === 'valid') headers.authorization = 'Bearer VALID';
    else if (r.auth === 'garbage') headers.authorization = r.garbage;
    else if (r.auth === 'bearer-garbage') headers.authorization = `Bearer ${r.garbage}`;
    else if (r.auth === 'basic') headers.authorization = 'Basic dXNlcjpwYXNz';
    else if (r.auth === 'long') headers.authorization = `Bearer ${'A'.repeat(8000)}`;
    const p = typeof r.path === 'string' ? r.path : `/api/webinars/${r.path.id}${r.path.tail}`;
    return { method: r.method, path: p, headers, body: r.body.bytes, kind: r.body.kind };
  });

/** Node's limits: bodies over 64 KiB get 413, a request head over 16 KiB gets 431, both before being read. */
function oversized(req: Req): boolean {
  const head = req.path.length + Object.entries(req.headers).reduce((a, [k, v]) => a + k.length + v.length + 4, 0);
  return (req.body?.length ?? 0) > 64 * 1024 || head > 8 * 1024;
}

function send(agent: http.Agent, base: URL, req: Req): Promise<{ status: number; text: string } | { error: string }> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { ...req.headers };
    if (req.body) headers['content-length'] = req.body.length;
    const r = http.request({ agent, host: base.hostname, port: base.port, method: req.method, path: req.path, headers, timeout: 15_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => resolve({ error: String(e) }));
    });
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', (e) => resolve({ error: (e as NodeJS.ErrnoException).code ?? String(e) }));
    r.end(req.body ?? undefined);
  });
}

describe('10 000 generated HTTP requests', () => {
  it('never 5xx, never crash, {error, message} on every 4xx, no unaccounted state change', async () => {
    const inputs = fc.sample(request, { numRuns: TOTAL, seed: 7 }).map((r) => {
      if (r.headers.authorization === 'Bearer VALID') r.headers.authorization = `Bearer ${user.accessToken}`;
      r.path = r.path.replace('/api/webinars/REAL', `/api/webinars/${webinarId}`).replace('/api/sessions/VICTIM', `/api/sessions/${victim.sessionId}`);
      // Logout with a valid bearer (and no refresh token in the body) is a real logout: aim it at the victim.
      if (r.path.startsWith('/api/auth/logout') && r.headers.authorization === `Bearer ${user.accessToken}`) r.headers.authorization = `Bearer ${victim.accessToken}`;
      return r;
    });
    const countsBefore = tableCounts(server.dataDir);
    const revokedBefore = revokedSessions();
    const rssBefore = server.rssBytes();
    let rssPeak = rssBefore;
    // No keep-alive: a request the server closes on must not take the next one on that socket down.
    const agent = new http.Agent({ keepAlive: false, maxSockets: CONCURRENCY });
    const base = new URL(server.url);
    const statuses: Record<number, number> = {};
    const transport: Record<string, number> = {};
    const badShape: string[] = [];
    const fiveXx: string[] = [];
    const accepted = { register: 0, login: 0, webinar: 0, panelist: 0, sessionEnded: 0 };
    let retried = 0;
    const t0 = Date.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < inputs.length && Date.now() - t0 < 120_000) {
          const req = inputs[next++]!;
          let res = await send(agent, base, req);
          // A reset under load (the server answered early and closed with the body unread, so the
          // kernel sent RST before our read) says nothing about the server: try once more, alone.
          for (let attempt = 0; 'error' in res && !oversized(req) && attempt < 3; attempt++) {
            retried++;
            res = await send(agent, base, req);
          }
          if (next % 500 === 0) rssPeak = Math.max(rssPeak, server.rssBytes());
          if ('error' in res) {
            // The server may answer 413/431 and close before reading an oversized request.
            const key = `${oversized(req) ? 'oversized' : req.kind}:${res.error}`;
            transport[key] = (transport[key] ?? 0) + 1;
            continue;
          }
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          const what = `${req.method} ${req.path.slice(0, 120)} [${req.kind}] → ${res.status} ${res.text.slice(0, 200)}`;
          if (res.status >= 500) fiveXx.push(what);
          if (res.status >= 400 && req.method !== 'HEAD') {
            let ok = false;
            try {
              ok = ApiError.safeParse(JSON.parse(res.text)).success;
            } catch {
              ok = false;
            }
            if (!ok) badShape.push(what);
          }
          if (res.status >= 200 && res.status < 300 && req.method === 'POST') {
            if (req.path === '/api/auth/register') accepted.register++;
            else if (req.path === '/api/auth/login') accepted.login++;
            else if (req.path === '/api/webinars') accepted.webinar++;
            else if (req.path.endsWith('/panelists')) accepted.panelist++;
          }
          if (res.status === 204 && (req.path.startsWith('/api/auth/logout') || req.path.startsWith('/api/sessions/'))) accepted.sessionEnded++;
        }
      }),
    );
    agent.destroy();
    const ms = Date.now() - t0;
    const rssAfter = server.rssBytes();
    rssPeak = Math.max(rssPeak, rssAfter);
    const sent = Object.values(statuses).reduce((a, b) => a + b, 0) + Object.values(transport).reduce((a, b) => a + b, 0);
    console.log('http bad input', JSON.stringify({ requests: sent, ms, statuses, transport, retried, accepted, rssBeforeMB: +(rssBefore / 2 ** 20).toFixed(1), rssPeakMB: +(rssPeak / 2 ** 20).toFixed(1), rssAfterMB: +(rssAfter / 2 ** 20).toFixed(1) }));

    expect(sent).toBe(TOTAL);
    expect(server.exit, 'the server process died').toBe(null);
    expect(fiveXx).toEqual([]);
    expect(badShape.slice(0, 20)).toEqual([]);
    expect(server.errors, 'the server logged internal errors').toEqual([]);
    // Only oversized requests (body over 64 KiB, head over 16 KiB: answered 413/431 and closed
    // before being read) may end without a readable answer.
    expect(Object.keys(transport).filter((k) => !k.startsWith('oversized:'))).toEqual([]);

    const countsAfter = tableCounts(server.dataDir);
    expect(countsAfter.users - countsBefore.users).toBe(accepted.register);
    expect(countsAfter.sessions - countsBefore.sessions).toBe(accepted.login);
    expect(countsAfter.refresh_tokens - countsBefore.refresh_tokens).toBe(accepted.login);
    expect(countsAfter.webinars - countsBefore.webinars).toBe(accepted.webinar);
    expect(countsAfter.webinar_panelists - countsBefore.webinar_panelists).toBeLessThanOrEqual(accepted.panelist);
    for (const t of ['webinar_bans', 'chat_messages', 'questions'] as const) expect(countsAfter[t]).toBe(countsBefore[t]);
    // Only the victim session can have been ended, and only by an accepted logout / session delete.
    expect(revokedSessions() - revokedBefore).toBe(Math.min(1, accepted.sessionEnded));
    expect(Object.prototype).not.toHaveProperty('polluted');
    // The owner's session and the server still answer normally.
    expect((await webinarApi(server.url, 'GET', '/api/me', user.accessToken)).status).toBe(200);
    expect(rssAfter - rssBefore).toBeLessThan(RSS_BOUND);
  }, 150_000);
});

function revokedSessions(): number {
  const db = openDbReadOnly(server.dataDir);
  try {
    return (db.prepare('SELECT count(*) AS n FROM sessions WHERE revoked_at IS NOT NULL').get() as { n: number }).n;
  } finally {
    db.close();
  }
}
