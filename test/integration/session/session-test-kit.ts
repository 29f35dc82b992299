/**
 * Shared setup for the SessionManager acceptance tests: the real server (startTestServer), the real
 * keychain (KeytarSecretStore on a per-file service name), a fetch that counts requests, and a
 * loopback TCP proxy that can be taken down and brought back on the same port ("network loss").
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { KeytarSecretStore } from '../../../src-main/session/keytar-secret-store';
import { SessionManager, type SessionManagerOptions } from '../../../src-main/session/session-manager';
import type { FetchLike } from '../../../src-main/session/auth-client';
import { systemClock } from '../../../src-shared/clock';
import type { SessionState, SessionStatus } from '../../../src-shared/session/session-state';

export const realTimers = {
  setTimeout: (fn: () => void, ms: number): unknown => setTimeout(fn, ms),
  clearTimeout: (h: unknown): void => clearTimeout(h as NodeJS.Timeout),
};

/** Timers that never fire: for tests that must not see a proactive refresh. */
export const frozenTimers = { setTimeout: (): unknown => 0, clearTimeout: (): void => {} };

export function uniqueAppId(tag: string): string {
  return `webinar-test-${tag}-${randomBytes(4).toString('hex')}`;
}

/** fetch that records every request's method and path. */
export function countingFetch(): { fetch: FetchLike; calls: string[]; count(pathEnd: string): number } {
  const calls: string[] = [];
  const fetchImpl: FetchLike = (input, init) => {
    calls.push(`${init?.method ?? 'GET'} ${new URL(input).pathname}`);
    return globalThis.fetch(input, init);
  };
  return { fetch: fetchImpl, calls, count: (p) => calls.filter((c) => c.endsWith(p)).length };
}

export function makeManager(
  appId: string,
  over: Partial<SessionManagerOptions> = {},
): { manager: SessionManager; store: KeytarSecretStore; states: SessionState[] } {
  const store = new KeytarSecretStore({ service: appId });
  const manager = new SessionManager({
    secretStore: store,
    fetch: globalThis.fetch,
    clock: systemClock,
    timers: realTimers,
    appId,
    deviceName: 'integration test',
    ...over,
  });
  const states: SessionState[] = [];
  manager.subscribe((s) => states.push(s));
  return { manager, store, states };
}

let userSeq = 0;
export async function registerUser(url: string): Promise<{ email: string; password: string; displayName: string }> {
  const creds = {
    email: `user${++userSeq}-${randomBytes(3).toString('hex')}@example.test`,
    password: 'correct horse battery',
    displayName: `User ${userSeq}`,
  };
  const res = await fetch(`${url}/api/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(creds),
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${await res.text()}`);
  return creds;
}

/** A raw login outside any SessionManager: "another device". */
export async function rawLogin(url: string, email: string, password: string): Promise<{ accessToken: string; refreshToken: string | null; sessionId: string }> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, deviceName: 'other device' }),
  });
  if (!res.ok) throw new Error(`login failed: ${res.status}`);
  return (await res.json()) as { accessToken: string; refreshToken: string | null; sessionId: string };
}

/** Deletes every keychain entry of the service (test clean-up). */
export async function wipeKeychain(store: KeytarSecretStore): Promise<void> {
  for (const e of await store.list().catch(() => [])) await store.delete(e.account).catch(() => false);
}

export async function waitForStatus(manager: SessionManager, status: SessionStatus, timeoutMs = 10_000): Promise<SessionState> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (manager.getState().status === status) return manager.getState();
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${status}; state is ${JSON.stringify(manager.getState())}`);
}

/** A loopback TCP proxy to `target` whose listening port survives stop/start: a network we can cut. */
export class CuttableProxy {
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  port = 0;
  /** 'forward' normally; 'blackhole' accepts connections and never answers (a timeout). */
  mode: 'forward' | 'blackhole' = 'forward';

  constructor(private readonly target: { host: string; port: number }) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const server = net.createServer((client) => {
      this.sockets.add(client);
      client.on('close', () => this.sockets.delete(client));
      client.on('error', () => {});
      if (this.mode === 'blackhole') return;
      const upstream = net.connect(this.target.port, this.target.host);
      this.sockets.add(upstream);
      upstream.on('close', () => this.sockets.delete(upstream));
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and cuts every open connection (keep-alive sockets included). */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    for (const sock of this.sockets) sock.destroy();
    this.sockets.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}
