/** Tiny fetch helpers for the server integration tests. */
import { expect } from 'vitest';
import { ApiError, TokenResponse } from '../../../src-shared/http-api';

export interface Res<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

// Tests read response bodies loosely and validate with the shared zod schemas where it matters.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function call<T = any>(
  base: string,
  method: string,
  path: string,
  opts: { json?: unknown; raw?: string | Buffer; contentType?: string; token?: string } = {},
): Promise<Res<T>> {
  const headers: Record<string, string> = {};
  let body: string | Buffer | undefined;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  if (opts.raw !== undefined) body = opts.raw;
  if (opts.contentType) headers['content-type'] = opts.contentType;
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T, headers: res.headers };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const post = <T = any>(base: string, path: string, json: unknown) => call<T>(base, 'POST', path, { json });

let seq = 0;
export function uniqueEmail(tag = 'user'): string {
  seq += 1;
  return `${tag}-${process.pid}-${Date.now()}-${seq}@example.com`;
}

export const PASSWORD = 'correct horse battery';

export async function registerUser(base: string, email = uniqueEmail()) {
  const r = await post(base, '/api/auth/register', { email, password: PASSWORD, displayName: 'Test User' });
  expect(r.status).toBe(201);
  return { email, user: r.body.user as { id: string; email: string; displayName: string } };
}

export async function login(base: string, email: string, deviceName?: string): Promise<TokenResponse> {
  const r = await post(base, '/api/auth/login', { email, password: PASSWORD, ...(deviceName ? { deviceName } : {}) });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return TokenResponse.parse(r.body);
}

export async function signedInUser(base: string, deviceName?: string) {
  const { email, user } = await registerUser(base);
  return { email, user, tokens: await login(base, email, deviceName) };
}

export function expectError(res: Res, status: number, code: string): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(ApiError.parse(res.body).error).toBe(code);
}
