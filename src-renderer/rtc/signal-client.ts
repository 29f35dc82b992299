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
  /**
   * Liveness while live: after this long without any message from the server we send a probe
   * (`clock.ping`, which the server answers at once). A browser WebSocket never notices a dead
   * network by itself (no pings from the page, and a half-open TCP connection looks open forever).
   */
  livenessIntervalMs?: number;
  /** No message at all within this long after a probe: the connection is dead, reconnect. */
  livenessTimeoutMs?: number;
  /** Subscribe to "the network came back / the machine woke up": probe at once. Returns unsubscribe. */
  onWake?(fn: () => void): () => void;
}

export const SIGNAL_BACKOFF: BackoffPolicy = { baseMs: 500, maxMs: 10_000, factor: 2, minMs: 200 };
export const LIVENESS_INTERVAL_MS = 5_000;
export const LIVENESS_TIMEOUT_MS = 4_000;
/**
 * Liveness probes use clock.ping ids from here up, so they never collide with the session clock's
 * own ping ids (a small counter from 0): whoever reads clock.pong must ignore ids it did not send.
 */
export const PROBE_ID_BASE = 2 ** 40;
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
  private livenessTimer: unknown = null;
  /** Any message arrived since the last liveness check. */
  private heard = false;
  private probes = 0;
  private unsubscribeWake: (() => void) | null = null;
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
    this.unsubscribeWake = this.deps.onWake?.(() => this.probeNow()) ?? null;
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
    if (after.status === 'live' && before.status !== 'live') this.armLiveness(this.generation);
    this.events.emit('state', after);
  }

  private teardown(): void {
    this.generation++;
    this.clearTimers();
    this.unsubscribeWake?.();
    this.unsubscribeWake = null;
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
    if (this.livenessTimer !== null) this.deps.clearTimeout(this.livenessTimer);
    this.retryTimer = this.welcomeTimer = this.livenessTimer = null;
  }

  /** While live: every interval, if nothing was heard, probe; if the probe gets nothing back, drop. */
  private armLiveness(gen: number): void {
    if (this.livenessTimer !== null) this.deps.clearTimeout(this.livenessTimer);
    this.heard = false;
    this.livenessTimer = this.deps.setTimeout(() => {
      this.livenessTimer = null;
      if (gen !== this.generation || this.current.status !== 'live') return;
      if (this.heard) this.armLiveness(gen);
      else this.probe(gen);
    }, this.deps.livenessIntervalMs ?? LIVENESS_INTERVAL_MS);
  }

  private probe(gen: number): void {
    if (this.livenessTimer !== null) this.deps.clearTimeout(this.livenessTimer);
    this.heard = false;
    const socket = this.socket;
    try {
      socket?.send(JSON.stringify({ type: 'clock.ping', id: PROBE_ID_BASE + this.probes++, t0: 0 } satisfies ClientMessage));
    } catch {
      /* a dead socket: the deadline below decides */
    }
    this.livenessTimer = this.deps.setTimeout(() => {
      this.livenessTimer = null;
      if (gen !== this.generation || this.current.status !== 'live') return;
      if (this.heard) this.armLiveness(gen);
      else this.dropSocket(gen, { type: 'closed', reason: 'the server stopped answering' });
    }, this.deps.livenessTimeoutMs ?? LIVENESS_TIMEOUT_MS);
  }

  /** The network came back or the machine woke up: check the connection now rather than later. */
  private probeNow(): void {
    if (this.current.status === 'live') this.probe(this.generation);
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
      this.heard = true;
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

/**
 * The browser globals the wiring below uses, typed here so this module also type-checks without the
 * DOM lib (Node-side tests run SignalClient itself over `ws`).
 */
interface BrowserGlobals {
  WebSocket: new (url: string) => SocketLike;
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(handle: number): void;
  addEventListener(type: 'online', fn: () => void): void;
  removeEventListener(type: 'online', fn: () => void): void;
  document: {
    readonly visibilityState: string;
    addEventListener(type: 'visibilitychange', fn: () => void): void;
    removeEventListener(type: 'visibilitychange', fn: () => void): void;
  };
}

/** The browser wiring: the bridge for tickets, the real WebSocket and timers. */
export function browserSignalDeps(getTicket: () => Promise<IpcResult<JoinResponse>>): SignalClientDeps {
  const w = globalThis as unknown as BrowserGlobals;
  return {
    getTicket,
    createSocket: (url) => new w.WebSocket(url),
    setTimeout: (fn, ms) => w.setTimeout(fn, ms),
    clearTimeout: (h) => w.clearTimeout(h as number),
    random: Math.random,
    onWake: (fn) => {
      // 'online': the OS reports connectivity back. Visible again after hidden: often a resume.
      const onVisible = () => {
        if (w.document.visibilityState === 'visible') fn();
      };
      w.addEventListener('online', fn);
      w.document.addEventListener('visibilitychange', onVisible);
      return () => {
        w.removeEventListener('online', fn);
        w.document.removeEventListener('visibilitychange', onVisible);
      };
    },
  };
}
