import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../../src-shared/http-api';
import { JoinResponse, WebinarListResponse, WebinarResponse } from '../../../src-shared/signaling-protocol';
import { startTestServer, type TestServer } from '../../helpers/test-server';
import { addPanelist, createWebinar, newUser, webinarApi as api, type TestUser } from '../../helpers/webinar-fixtures';

let server: TestServer;
let host: TestUser;
let other: TestUser;
beforeAll(async () => {
  server = await startTestServer({
    env: { ICE_SERVERS: '[{"urls":"stun:stun.example.org:3478"}]', TURN_URLS: 'turn:turn.example.org:3478', TURN_SECRET: 's3cret', TURN_TTL_S: '600' },
  });
  [host, other] = await Promise.all([newUser(server.url, 'Host'), newUser(server.url, 'Other')]);
});
afterAll(() => server.close());

function expectError(r: { status: number; body: unknown }, status: number, code: string) {
  expect(r.status, JSON.stringify(r.body)).toBe(status);
  expect(ApiError.parse(r.body).error).toBe(code);
}

describe('webinar HTTP API', () => {
  it('creates (201) with the contract shape and the creator as host', async () => {
    const startsAt = new Date(Date.now() + 3_600_000).toISOString();
    const r = await api(server.url, 'POST', '/api/webinars', host.accessToken, { title: ' Launch ', startsAt });
    expect(r.status).toBe(201);
    const w = WebinarResponse.parse(r.body);
    expect(w).toMatchObject({ title: 'Launch', hostId: host.id, startsAt, status: 'scheduled' });
    const untimed = await createWebinar(server.url, host, 'No time');
    expect(untimed.startsAt).toBeNull();
  });

  it('lists mine and upcoming with my role; gets one; 404 for unknown', async () => {
    const w = await createWebinar(server.url, host, 'Listed');
    const mine = WebinarListResponse.parse((await api(server.url, 'GET', '/api/webinars', host.accessToken)).body);
    expect(mine.webinars.find((x) => x.id === w.id)?.role).toBe('host');
    const theirs = WebinarListResponse.parse((await api(server.url, 'GET', '/api/webinars', other.accessToken)).body);
    expect(theirs.webinars.find((x) => x.id === w.id)?.role).toBe('attendee');
    const got = await api(server.url, 'GET', `/api/webinars/${w.id}`, other.accessToken);
    expect(got.status).toBe(200);
    expect(WebinarResponse.parse(got.body).id).toBe(w.id);
    expectError(await api(server.url, 'GET', '/api/webinars/nope', other.accessToken), 404, 'not_found');
    expectError(await api(server.url, 'POST', '/api/webinars/nope/join', other.accessToken), 404, 'not_found');
    expectError(await api(server.url, 'POST', '/api/webinars/nope/panelists', host.accessToken, { email: 'a@b.co' }), 404, 'not_found');
  });

  it('panelists: host only (204), others 403 forbidden; a named panelist joins as panelist', async () => {
    const w = await createWebinar(server.url, host);
    const third = await newUser(server.url, 'Third');
    expectError(await api(server.url, 'POST', `/api/webinars/${w.id}/panelists`, other.accessToken, { email: third.email }), 403, 'forbidden');
    await addPanelist(server.url, host, w.id, other.email.toUpperCase());
    const j = JoinResponse.parse((await api(server.url, 'POST', `/api/webinars/${w.id}/join`, other.accessToken)).body);
    expect(j.role).toBe('panelist');
    // Promoted/demoted panelists can no longer name others either.
    expectError(await api(server.url, 'POST', `/api/webinars/${w.id}/panelists`, other.accessToken, { email: third.email }), 403, 'forbidden');
    const list = WebinarListResponse.parse((await api(server.url, 'GET', '/api/webinars', other.accessToken)).body);
    expect(list.webinars.find((x) => x.id === w.id)?.role).toBe('panelist');
  });

  it('join returns a ticket, wsUrl, role and ICE servers with TURN REST credentials', async () => {
    const w = await createWebinar(server.url, host);
    const hj = JoinResponse.parse((await api(server.url, 'POST', `/api/webinars/${w.id}/join`, host.accessToken)).body);
    expect(hj.role).toBe('host');
    const r = await api(server.url, 'POST', `/api/webinars/${w.id}/join`, other.accessToken);
    expect(r.status).toBe(200);
    const j = JoinResponse.parse(r.body);
    expect(j.role).toBe('attendee');
    expect(j.ticket).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(j.wsUrl).toBe(`${server.url.replace('http', 'ws')}/ws`);
    expect(j.iceServers[0]).toEqual({ urls: 'stun:stun.example.org:3478' });
    const turn = j.iceServers[1]!;
    expect(turn.urls).toEqual(['turn:turn.example.org:3478']);
    const [expiry, userId] = turn.username!.split(':');
    expect(userId).toBe(other.id);
    expect(Number(expiry) - Date.now() / 1000).toBeGreaterThan(590);
    expect(Number(expiry) - Date.now() / 1000).toBeLessThan(610);
    expect(turn.credential).toBe(createHmac('sha1', 's3cret').update(turn.username!).digest('base64'));
  });

  it.each([
    ['missing title', {}],
    ['empty title', { title: '  ' }],
    ['long title', { title: 'x'.repeat(201) }],
    ['bad startsAt', { title: 'x', startsAt: 'tomorrow' }],
    ['wrong types', { title: 5 }],
    ['extra field', { title: 'x', hostId: 'me' }],
    ['array', []],
    ['null', null],
  ])('create 400 invalid_request: %s', async (_n, body) => {
    expectError(await api(server.url, 'POST', '/api/webinars', host.accessToken, body), 400, 'invalid_request');
  });

  it('panelists 400 for a bad email; 401 without a token on every route', async () => {
    const w = await createWebinar(server.url, host);
    expectError(await api(server.url, 'POST', `/api/webinars/${w.id}/panelists`, host.accessToken, { email: 'nope' }), 400, 'invalid_request');
    expectError(await api(server.url, 'POST', `/api/webinars/${w.id}/panelists`, host.accessToken, {}), 400, 'invalid_request');
    for (const [m, p] of [
      ['POST', '/api/webinars'],
      ['GET', '/api/webinars'],
      ['GET', `/api/webinars/${w.id}`],
      ['POST', `/api/webinars/${w.id}/panelists`],
      ['POST', `/api/webinars/${w.id}/join`],
    ] as const) {
      expectError(await api(server.url, m, p, undefined, m === 'POST' ? {} : undefined), 401, 'invalid_token');
    }
  });

  it('odd ids are 404 or 400, never 5xx', async () => {
    for (const id of ['%00', 'x'.repeat(65), '..%2F..', '%F0%9F%98%80', 'constructor', '__proto__']) {
      const r = await api(server.url, 'GET', `/api/webinars/${id}`, host.accessToken);
      expect([400, 404]).toContain(r.status);
      const j = await api(server.url, 'POST', `/api/webinars/${id}/join`, host.accessToken);
      expect([400, 404]).toContain(j.status);
    }
  });
});
