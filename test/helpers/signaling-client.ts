/**
 * A Node `ws` client for the signaling protocol, for integration tests and benchmarks.
 *
 *   const c = await connect(join.wsUrl, join.ticket);      // resolves once open (rejects on refusal)
 *   c.send({ type: 'chat.send', text: 'hi' });
 *   const m = await c.next('chat.message', (m) => m.text === 'hi');
 *   c.received                                              // every message so far, parsed
 *   c.close(); const code = await c.closed;                 // close code the socket ended with
 *
 * `next` looks at messages received after the previous `next` match too (nothing is missed between
 * a send and the call), consuming what it returns. `expectRefused` checks an upgrade answered with an
 * HTTP status instead of a socket.
 */
import WebSocket from 'ws';
import { ServerMessage, type ClientMessage, type ServerMessageOf } from '../../src-shared/signaling-protocol';

export interface ConnectOptions {
  origin?: string;
  /** Extra query parameters, e.g. `{ webinar: id }`. */
  query?: Record<string, string>;
  /** false: never answer pings (a dead peer, for heartbeat tests). */
  autoPong?: boolean;
}

type Type = ServerMessage['type'];

export class SignalingClient {
  readonly received: ServerMessage[] = [];
  /** Index into `received` of messages not yet returned by `next`. */
  private unread: ServerMessage[] = [];
  private waiters: Array<() => void> = [];
  readonly closed: Promise<number>;
  closeCode: number | null = null;

  constructor(readonly ws: WebSocket) {
    this.closed = new Promise((resolve) => {
      ws.on('close', (code) => {
        this.closeCode = code;
        resolve(code);
        this.wake();
      });
    });
    ws.on('message', (data) => {
      // Fails loudly if the server ever sends something outside the contract.
      const msg = ServerMessage.parse(JSON.parse(String(data)));
      this.received.push(msg);
      this.unread.push(msg);
      this.wake();
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  send(msg: ClientMessage | Record<string, unknown>): void {
    this.ws.send(JSON.stringify(msg));
  }

  sendRaw(data: string | Buffer): void {
    this.ws.send(data);
  }

  /** The next unread message of `type` (matching `predicate`); rejects after `timeoutMs`. */
  async next<T extends Type>(type: T, predicate: (m: ServerMessageOf<T>) => boolean = () => true, timeoutMs = 3000): Promise<ServerMessageOf<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const i = this.unread.findIndex((m) => m.type === type && predicate(m as ServerMessageOf<T>));
      if (i >= 0) return this.unread.splice(i, 1)[0] as ServerMessageOf<T>;
      const left = deadline - Date.now();
      if (left <= 0 || this.closeCode !== null) {
        throw new Error(`no ${type} within ${timeoutMs} ms${this.closeCode !== null ? ` (closed ${this.closeCode})` : ''}; unread: ${JSON.stringify(this.unread.map((m) => m.type))}`);
      }
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  /** Resolves true if no unread message of `type` (matching) arrives within `ms`. */
  async none<T extends Type>(type: T, predicate: (m: ServerMessageOf<T>) => boolean = () => true, ms = 300): Promise<boolean> {
    try {
      await this.next(type, predicate, ms);
      return false;
    } catch {
      return true;
    }
  }

  /** Forget unread messages (e.g. after setup). */
  drain(): void {
    this.unread = [];
  }

  close(code = 1000): Promise<number> {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code);
    return this.closed;
  }
}

function urlFor(wsUrl: string, ticket: string, query: Record<string, string> = {}): string {
  const u = new URL(wsUrl);
  u.searchParams.set('ticket', ticket);
  for (const [k, v] of Object.entries(query)) u.searchParams.set(k, v);
  return u.toString();
}

export function connect(wsUrl: string, ticket: string, opts: ConnectOptions = {}): Promise<SignalingClient> {
  const ws = new WebSocket(urlFor(wsUrl, ticket, opts.query), {
    ...(opts.origin ? { origin: opts.origin } : {}),
    autoPong: opts.autoPong ?? true,
    perMessageDeflate: false,
  });
  const client = new SignalingClient(ws);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => reject(new RefusedError(res.statusCode ?? 0)));
    ws.once('error', reject);
  });
}

export class RefusedError extends Error {
  constructor(readonly status: number) {
    super(`upgrade refused with HTTP ${status}`);
  }
}

/** Connect and return the HTTP status the upgrade was refused with (fails if a socket opened). */
export async function expectRefused(wsUrl: string, ticket: string, opts: ConnectOptions = {}): Promise<number> {
  try {
    const c = await connect(wsUrl, ticket, opts);
    await c.close();
  } catch (err) {
    if (err instanceof RefusedError) return err.status;
    throw err;
  }
  throw new Error('the upgrade was accepted');
}

/** Connect and wait for `welcome`. */
export async function connectWelcomed(wsUrl: string, ticket: string, opts: ConnectOptions = {}) {
  const client = await connect(wsUrl, ticket, opts);
  const welcome = await client.next('welcome');
  return { client, welcome };
}
