/**
 * The signaling WebSocket client: one connection to `${wsUrl}?ticket=…`, a fresh single-use ticket
 * for every (re)connect attempt, reconnect with exponential backoff and full jitter, and an
 * explicit connection state (connecting, live, reconnecting, ended) driven by the pure machine in
 * connection-state.ts. Everything it touches (tickets, sockets, timers, randomness) is injected,
 * so it runs in unit tests without a browser.
 */
import type { ClientMessage, JoinResponse, ServerMessage, ServerMessageOf } from '../../src-shared/signaling-protocol';
import { ServerMessage as ServerMessageSchema } from '../../src-shared/signaling-protocol';
import type { IpcResult } from '../../src-shared/ipc-contract';
import { backoffDelay, type BackoffPolicy } from '../../src-shared/session/backoff';
import { Emitter } from './emitter';
import { INITIAL_CONNECTION_STATE, nextConnectionState, type ConnectionEvent, type ConnectionState } from './connection-state';

/** The part of the browser WebSocket we use. */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string): void;
  close(code?: number, reason?: string): void;
}

export interface SignalClientDeps {
  /** A new join ticket (webinars.join through the bridge). Called once per connection attempt. */
  getTicket(): Promise<IpcResult<JoinResponse>>;
  createSocket(url: string): SocketLike;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  random(): number;
  backoff?: BackoffPolicy;
  /** Consecutive failed attempts before we give up and end. */
  maxAttempts?: number;
  /** How long to wait for `welcome` after starting an attempt. */
  welcomeTimeoutMs?: number;
}

export const SIGNAL_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 10_000, factor: 2, minMs: 200 };
const OPEN = 1;

export interface SignalClientEvents extends Record<string, unknown> {
  state: ConnectionState;
  message: ServerMessage;
  /** A ticket was issued for an attempt: role and ICE servers for the peers. */
  joined: JoinResponse;
}

export function buildSocketUrl(wsUrl: string, ticket: string): string {
  return `${wsUrl}${wsUrl.includes('?') ? '&' : '?'}ticket=${encodeURIComponent(ticket)}`;
}

export class SignalClient {
  private readonly events = new Emitter<SignalClientEvents>();
  private current: ConnectionState = INITIAL_CONNECTION_STATE;
  private socket: SocketLike | null = null;
  private retryTimer: unknown = null;
  private welcomeTimer: unknown = null;
  /** Bumped on each attempt: late callbacks of an older attempt are ignored. */
  private generation = 0;
  private lastJoin: JoinResponse | null = null;

  constructor(private readonly deps: SignalClientDeps) {}

  get state(): ConnectionState {
    return this.current;
  }
  get join(): JoinResponse | null {
    return this.lastJoin;
  }

  on<K extends keyof SignalClientEvents>(event: K, listener: (payload: SignalClientEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  /** Subscribe to one server message type. */
  onMessage<T extends ServerMessage['type']>(type: T, listener: (message: ServerMessageOf<T>) => void): () => void {
    return this.events.on('message', (m) => {
      if (m.type === type) listener(m as ServerMessageOf<T>);
    });
  }

  start(): void {
    if (this.current.status !== 'idle') return;
    this.transition({ type: 'start' });
    void this.attempt();
  }

  /** Sends when live; returns false (and drops the message) otherwise. */
  send(message: ClientMessage): boolean {
    if (this.current.status !== 'live' || !this.socket || this.socket.readyState !== OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  /** Leave for good: closes the socket, cancels retries. */
  leave(): void {
    this.transition({ type: 'leave' });
  }

  private transition(event: ConnectionEvent): void {
    const before = this.current;
    const after = nextConnectionState(before, event);
    if (after === before) return;
    this.current = after;
    if (after.status === 'ended') this.teardown();
    this.events.emit('state', after);
  }

  private teardown(): void {
    this.generation++;
    this.clearTimers();
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onerror = socket.onclose = null;
      try {
        socket.close(1000, 'leaving');
      } catch {
        /* already closed */
      }
    }
  }

  private clearTimers(): void {
    if (this.retryTimer !== null) this.deps.clearTimeout(this.retryTimer);
    if (this.welcomeTimer !== null) this.deps.clearTimeout(this.welcomeTimer);
    this.retryTimer = this.welcomeTimer = null;
  }

  private async attempt(): Promise<void> {
    const gen = ++this.generation;
    this.clearTimers();
    this.welcomeTimer = this.deps.setTimeout(() => {
      if (gen !== this.generation) return;
      this.dropSocket(gen, { type: 'closed', reason: 'no welcome from the server' });
    }, this.deps.welcomeTimeoutMs ?? 10_000);

    let ticket: IpcResult<JoinResponse>;
    try {
      ticket = await this.deps.getTicket();
    } catch (err) {
      ticket = { ok: false, error: { code: 'unknown', message: err instanceof Error ? err.message : String(err) } };
    }
    if (gen !== this.generation) return;
    if (!ticket.ok) {
      this.failAttempt({ type: 'ticket_failed', code: ticket.error.code, message: ticket.error.message });
      return;
    }
    this.lastJoin = ticket.value;
    this.events.emit('joined', ticket.value);

    let socket: SocketLike;
    try {
      socket = this.deps.createSocket(buildSocketUrl(ticket.value.wsUrl, ticket.value.ticket));
    } catch (err) {
      this.failAttempt({ type: 'closed', reason: err instanceof Error ? err.message : String(err) });
      return;
    }
    this.socket = socket;
    socket.onmessage = (ev) => {
      if (gen !== this.generation) return;
      let parsed: ServerMessage;
      try {
        const result = ServerMessageSchema.safeParse(JSON.parse(String(ev.data)));
        if (!result.success) return;
        parsed = result.data;
      } catch {
        return;
      }
      if (parsed.type === 'welcome') {
        if (this.welcomeTimer !== null) this.deps.clearTimeout(this.welcomeTimer);
        this.welcomeTimer = null;
        this.transition({ type: 'welcome' });
      }
      this.events.emit('message', parsed);
      if (parsed.type === 'webinar.ended') this.transition({ type: 'webinar_ended' });
    };
    socket.onclose = (ev) => {
      if (gen !== this.generation) return;
      this.dropSocket(gen, { type: 'closed', code: ev.code, reason: ev.reason });
    };
    socket.onerror = () => {
      /* a close event follows */
    };
  }

  private dropSocket(gen: number, event: ConnectionEvent): void {
    if (gen !== this.generation) return;
    const socket = this.socket;
    this.socket = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onerror = socket.onclose = null;
      try {
        socket.close();
      } catch {
        /* ignore */
      }
    }
    this.failAttempt(event);
  }

  private failAttempt(event: ConnectionEvent): void {
    this.generation++;
    this.clearTimers();
    this.transition(event);
    if (this.current.status !== 'reconnecting') return;
    if (this.current.attempt >= (this.deps.maxAttempts ?? 30)) {
      this.transition({ type: 'give_up' });
      return;
    }
    const delay = backoffDelay(this.current.attempt, this.deps.random, this.deps.backoff ?? SIGNAL_BACKOFF);
    this.retryTimer = this.deps.setTimeout(() => {
      this.retryTimer = null;
      if (this.current.status === 'reconnecting') void this.attempt();
    }, delay);
  }
}

/** The browser wiring: the bridge for tickets, the real WebSocket and timers. */
export function browserSignalDeps(getTicket: () => Promise<IpcResult<JoinResponse>>): SignalClientDeps {
  return {
    getTicket,
    createSocket: (url) => new WebSocket(url) as unknown as SocketLike,
    setTimeout: (fn, ms) => window.setTimeout(fn, ms),
    clearTimeout: (h) => window.clearTimeout(h as number),
    random: Math.random,
  };
}
