/** One signaling WebSocket and the server-wide index of them (per user, per auth session). */
import { WebSocket } from 'ws';
import type { MessageLimiter } from './token-bucket';

export interface Conn {
  socket: WebSocket;
  userId: string;
  sessionId: string;
  webinarId: string;
  limiter: MessageLimiter;
  /** Cleared at each heartbeat ping, set by the pong (or any message). */
  alive: boolean;
}

/** A slow reader whose send buffer grows past this is cut off rather than grow server memory. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** How long a close handshake may take before the socket is destroyed. */
const CLOSE_GRACE_MS = 1000;

export function sendRaw(conn: Conn, data: string): void {
  const s = conn.socket;
  if (s.readyState !== WebSocket.OPEN) return;
  if (s.bufferedAmount > MAX_BUFFERED_BYTES) {
    s.terminate();
    return;
  }
  s.send(data);
}

/** Close with an application code, and make sure the socket is gone even if the peer never answers. */
export function closeConn(conn: Conn, code: number, reason: string): void {
  const s = conn.socket;
  if (s.readyState === WebSocket.CLOSED) return;
  if (s.readyState === WebSocket.OPEN) s.close(code, reason);
  setTimeout(() => s.terminate(), CLOSE_GRACE_MS).unref();
}

/** Indexed by user and by auth session: the per-user cap and revocation must not scan every socket. */
export class ConnectionIndex {
  private readonly byUser = new Map<string, Set<Conn>>();
  private readonly bySession = new Map<string, Set<Conn>>();
  private readonly all = new Set<Conn>();

  add(conn: Conn): void {
    this.all.add(conn);
    addTo(this.byUser, conn.userId, conn);
    addTo(this.bySession, conn.sessionId, conn);
  }

  remove(conn: Conn): void {
    this.all.delete(conn);
    removeFrom(this.byUser, conn.userId, conn);
    removeFrom(this.bySession, conn.sessionId, conn);
  }

  forUser(userId: string): Conn[] {
    return [...(this.byUser.get(userId) ?? [])];
  }

  forSession(sessionId: string): Conn[] {
    return [...(this.bySession.get(sessionId) ?? [])];
  }

  list(): Conn[] {
    return [...this.all];
  }

  get size(): number {
    return this.all.size;
  }
}

function addTo(map: Map<string, Set<Conn>>, key: string, conn: Conn): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(conn);
}

function removeFrom(map: Map<string, Set<Conn>>, key: string, conn: Conn): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(conn);
  if (set.size === 0) map.delete(key);
}
