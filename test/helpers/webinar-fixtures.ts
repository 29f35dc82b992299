/**
 * Webinar fixtures over the real HTTP API, for integration tests and benchmarks:
 *
 *   const host = await newUser(url);                         // registered + logged in
 *   const w = await createWebinar(url, host, 'Title');       // { id, ... }
 *   const j = await joinWebinar(url, attendee, w.id);        // { ticket, wsUrl, role, iceServers }
 *   const { client, welcome } = await enter(url, attendee, w.id);   // join + connect + welcome
 *
 * Uses plain fetch, no vitest imports, so benchmarks can use it too. Failures throw with the body.
 */
import { TokenResponse } from '../../src-shared/http-api';
import { JoinResponse, WebinarResponse } from '../../src-shared/signaling-protocol';
import { connectWelcomed, type ConnectOptions } from './signaling-client';

export const FIXTURE_PASSWORD = 'correct horse battery';

export interface TestUser {
  id: string;
  email: string;
  displayName: string;
  accessToken: string;
  refreshToken: string | null;
  sessionId: string;
}

async function api(base: string, method: string, path: string, token?: string, json?: unknown): Promise<{ status: number; body: unknown }> {
  const headers: Record<string, string> = {};
  if (token) headers.authorization = `Bearer ${token}`;
  if (json !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + path, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as unknown) : null };
}

function expectStatus(r: { status: number; body: unknown }, status: number, what: string): void {
  if (r.status !== status) throw new Error(`${what}: expected ${status}, got ${r.status} ${JSON.stringify(r.body)}`);
}

let seq = 0;

/** Register a fresh user and log in. */
export async function newUser(base: string, displayName = 'User'): Promise<TestUser> {
  seq += 1;
  const email = `w-${process.pid}-${Date.now()}-${seq}@example.com`;
  expectStatus(await api(base, 'POST', '/api/auth/register', undefined, { email, password: FIXTURE_PASSWORD, displayName }), 201, 'register');
  return login(base, email);
}

/** A new device session for an existing user (another login). */
export async function login(base: string, email: string): Promise<TestUser> {
  const r = await api(base, 'POST', '/api/auth/login', undefined, { email, password: FIXTURE_PASSWORD });
  expectStatus(r, 200, 'login');
  const t = TokenResponse.parse(r.body);
  return { ...t.user, accessToken: t.accessToken, refreshToken: t.refreshToken, sessionId: t.sessionId };
}

export async function createWebinar(base: string, host: TestUser, title = 'Webinar', startsAt?: string): Promise<WebinarResponse> {
  const r = await api(base, 'POST', '/api/webinars', host.accessToken, { title, ...(startsAt ? { startsAt } : {}) });
  expectStatus(r, 201, 'create webinar');
  return WebinarResponse.parse(r.body);
}

export async function addPanelist(base: string, host: TestUser, webinarId: string, email: string): Promise<void> {
  expectStatus(await api(base, 'POST', `/api/webinars/${webinarId}/panelists`, host.accessToken, { email }), 204, 'add panelist');
}

export async function joinWebinar(base: string, user: TestUser, webinarId: string): Promise<JoinResponse> {
  const r = await api(base, 'POST', `/api/webinars/${webinarId}/join`, user.accessToken);
  expectStatus(r, 200, 'join');
  return JoinResponse.parse(r.body);
}

/** Join over HTTP, connect the WebSocket and wait for `welcome`. */
export async function enter(base: string, user: TestUser, webinarId: string, opts: ConnectOptions = {}) {
  const join = await joinWebinar(base, user, webinarId);
  return { join, ...(await connectWelcomed(join.wsUrl, join.ticket, opts)) };
}

export { api as webinarApi };
