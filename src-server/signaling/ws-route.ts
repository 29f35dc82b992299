/**
 * The signaling WebSocket at /ws?ticket=…, on the raw `upgrade` event so every refusal is a plain
 * HTTP status with no socket ever opened: wrong path 404, bad Origin 403, missing/forged/expired/
 * used ticket 401, ticket for another webinar or a removed user 403, ended webinar 409, over the
 * per-user cap 429. After the upgrade: size limit (1009), rate limit, parse, then the room queue.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { API_PATHS } from '../../src-shared/http-api';
import { ClientMessage, CloseCode, MAX_MESSAGE_BYTES, type ErrorCode } from '../../src-shared/signaling-protocol';
import type { Clock } from '../../src-shared/clock';
import type { TokenService } from '../auth/token-service';
import type { SignalingConfig } from '../config';
import type { UserStore } from '../store/users';
import type { WebinarStore } from '../store/webinars';
import type { TicketStore } from '../webinars/ticket-store';
import { roleIn } from '../webinars/webinar-service';
import { ConnectionIndex, closeConn, sendRaw, type Conn } from './connection';
import { startHeartbeat } from './heartbeat';
import { originAllowed } from './origin';
import type { RoomRegistry } from './room-registry';
import { MessageLimiter } from './token-bucket';

export interface SignalingDeps {
  config: SignalingConfig;
  tickets: TicketStore;
  tokens: TokenService;
  webinars: WebinarStore;
  users: UserStore;
  rooms: RoomRegistry;
  /** Read for clock.pong's serverTime (sub-millisecond when it can be; see precise-clock.ts). */
  clock: Clock;
}

const STATUS_TEXT: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 429: 'Too Many Requests', 503: 'Service Unavailable' };

function refuse(socket: Duplex, status: number, error: string, message: string): void {
  const body = JSON.stringify({ error, message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

const errorMsg = (code: ErrorCode, message: string) => JSON.stringify({ type: 'error', code, message });

export function installSignaling(app: FastifyInstance, deps: SignalingDeps): { connections: ConnectionIndex } {
  const { config, tickets, webinars, users, rooms } = deps;
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES, perMessageDeflate: false, clientTracking: false });
  const connections = new ConnectionIndex();
  let closing = false;

  /** Connections that a new one for `webinarId` would count against the per-user cap (a same-webinar one is replaced). */
  const overCap = (userId: string, webinarId: string) =>
    connections.forUser(userId).filter((c) => c.webinarId !== webinarId).length >= config.maxConnectionsPerUser;

  async function onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    if (closing) return refuse(socket, 503, 'unavailable', 'server is shutting down');
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== API_PATHS.ws) return refuse(socket, 404, 'not_found', 'no WebSocket endpoint here');
    const presented = url.searchParams.get('ticket');
    // Consumed before any other check: a ticket presented once is spent, whatever the outcome.
    const ticket = presented ? tickets.consume(presented) : null;
    if (!originAllowed(req.headers.origin, config.allowedOrigins)) return refuse(socket, 403, 'forbidden', 'origin not allowed');
    if (!presented) return refuse(socket, 401, 'invalid_ticket', 'missing ticket');
    if (!ticket) return refuse(socket, 401, 'invalid_ticket', 'ticket is invalid, expired or already used');
    const wanted = url.searchParams.get('webinar');
    if (wanted !== null && wanted !== ticket.webinarId) return refuse(socket, 403, 'forbidden', 'ticket is for another webinar');
    if (overCap(ticket.userId, ticket.webinarId)) return refuse(socket, 429, 'rate_limited', 'too many connections for this user');

    const [row, user, banned] = await Promise.all([
      webinars.find(ticket.webinarId),
      users.findById(ticket.userId),
      webinars.isBanned(ticket.webinarId, ticket.userId),
    ]);
    if (!row || !user) return refuse(socket, 403, 'forbidden', 'no such webinar or user');
    if (banned) return refuse(socket, 403, 'forbidden', 'you were removed from this webinar');
    if (row.status === 'ended') return refuse(socket, 409, 'webinar_ended', 'this webinar has ended');
    // The store is the authority: a demotion between join and connect must not be undone by the ticket.
    const role = await roleIn(webinars, row, user);
    if (socket.destroyed || closing) return;
    if (overCap(ticket.userId, ticket.webinarId)) return refuse(socket, 429, 'rate_limited', 'too many connections for this user');

    const room = rooms.acquire(row.id);
    let upgraded = false;
    try {
      wss.handleUpgrade(req, socket, head, (ws) => {
        upgraded = true;
        const conn: Conn = {
          socket: ws,
          userId: user.id,
          sessionId: ticket.sessionId,
          webinarId: row.id,
          limiter: new MessageLimiter(config.ratePerS, config.rateBurst, Date.now()),
          alive: true,
        };
        connections.add(conn);
        wire(conn, room);
        void room.join(conn, { displayName: user.display_name, email: user.email, role });
      });
    } finally {
      // handleUpgrade refuses bad handshakes (wrong version, no key) itself without calling back.
      if (!upgraded) setImmediate(() => !upgraded && room.release());
    }
  }

  function wire(conn: Conn, room: ReturnType<RoomRegistry['acquire']>): void {
    const ws: WebSocket = conn.socket;
    ws.on('pong', () => (conn.alive = true));
    ws.on('error', () => ws.terminate());
    ws.on('close', (code) => {
      connections.remove(conn);
      void room.leave(conn, code === 1000 || code === 1001 ? 'left' : 'disconnected');
    });
    ws.on('message', (data: RawData, isBinary: boolean) => {
      conn.alive = true;
      // Real time, not the injected clock: the limit is about this process's load, not server time.
      const verdict = conn.limiter.check(Date.now());
      if (verdict === 'abuse') return closeConn(conn, CloseCode.rateLimited, 'message rate exceeded');
      if (verdict === 'limited') return sendRaw(conn, errorMsg('rate_limited', 'slow down'));
      if (isBinary) return sendRaw(conn, errorMsg('invalid_message', 'messages are JSON text frames'));
      let json: unknown;
      try {
        json = JSON.parse(Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString('utf8'));
      } catch {
        return sendRaw(conn, errorMsg('invalid_message', 'not JSON'));
      }
      const parsed = ClientMessage.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
        return sendRaw(conn, errorMsg('invalid_message', `${where}${issue?.message ?? 'invalid message'}`.slice(0, 200)));
      }
      const msg = parsed.data;
      if (msg.type === 'clock.ping') {
        // Answered here, not through the room queue: time spent queued behind a SQLite write would
        // only widen the round trip (and the room may still be loading). Every role may ping; the
        // rate limit above applies as to any message.
        return sendRaw(conn, JSON.stringify({ type: 'clock.pong', id: msg.id, t0: msg.t0, serverTime: deps.clock.now() }));
      }
      void room.message(conn, msg);
    });
  }

  app.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    onUpgrade(req, socket, head).catch((err: unknown) => {
      app.log.error({ err }, 'websocket upgrade failed');
      if (!socket.destroyed) refuse(socket, 503, 'unavailable', 'try again');
    });
  });

  const stopHeartbeat = startHeartbeat(connections, config.heartbeatMs);
  const unsubscribe = deps.tokens.onSessionRevoked((sessionId) => {
    tickets.revokeSession(sessionId);
    for (const c of connections.forSession(sessionId)) closeConn(c, CloseCode.sessionRevoked, 'session revoked');
  });

  // Upgraded sockets keep the HTTP server from closing: end them before fastify waits on it.
  app.addHook('preClose', async () => {
    closing = true;
    stopHeartbeat();
    unsubscribe();
    for (const c of connections.list()) closeConn(c, 1001, 'server shutting down');
    const deadline = Date.now() + 2000;
    while (connections.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    for (const c of connections.list()) c.socket.terminate();
    await Promise.all(rooms.list().map((r) => r.idle()));
  });

  return { connections };
}
