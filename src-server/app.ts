/**
 * Composition root of the HTTP server: builds the store, keys and services, and registers each
 * feature as a fastify plugin (auth now; webinars and WebSocket signaling plug in the same way).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { systemClock, type Clock } from '../src-shared/clock';
import { SERVER_TIME_HEADER } from '../src-shared/http-api';
import { AccessTokens } from './auth/access-tokens';
import { Accounts } from './auth/accounts';
import { authRoutes } from './auth/auth-routes';
import { LoginThrottle } from './auth/login-throttle';
import { dummyPasswordHash } from './auth/passwords';
import { sessionRoutes } from './auth/session-routes';
import { loadOrCreateSigningKey, type SigningKey } from './auth/signing-key';
import { TokenService } from './auth/token-service';
import type { ServerConfig } from './config';
import { installErrorHandling } from './http/errors';
import { RoomRegistry } from './signaling/room-registry';
import { installSignaling } from './signaling/ws-route';
import { openDatabase, type Db } from './store/db';
import { RoomHistoryStore } from './store/room-history';
import { SessionStore } from './store/sessions';
import { UserStore } from './store/users';
import { WebinarStore } from './store/webinars';
import { TicketStore } from './webinars/ticket-store';
import { createPreciseClock } from './signaling/precise-clock';
import { webinarRoutes } from './webinars/webinar-routes';

export const BODY_LIMIT_BYTES = 64 * 1024;

export interface ServerDeps {
  clock?: Clock;
  logger?: boolean;
}

/** What feature plugins receive, so later issues can add routes without re-wiring the root. */
export interface ServerServices {
  config: ServerConfig;
  clock: Clock;
  db: Db;
  users: UserStore;
  tokens: TokenService;
  signingKey: SigningKey;
  webinars: WebinarStore;
  tickets: TicketStore;
  rooms: RoomRegistry;
}

export interface RunningServer {
  app: FastifyInstance;
  services: ServerServices;
  listen(): Promise<{ url: string }>;
  close(): Promise<void>;
}

export async function createServer(config: ServerConfig, deps: ServerDeps = {}): Promise<RunningServer> {
  const clock = deps.clock ?? systemClock;
  const db = openDatabase(config.dataDir);
  const signingKey = await loadOrCreateSigningKey(config.dataDir);
  const users = new UserStore(db);
  const sessions = new SessionStore(db);
  const access = new AccessTokens(signingKey, { issuer: config.issuer, audience: config.audience, ttlS: config.accessTokenTtlS }, clock);
  const tokens = new TokenService(sessions, users, access, config, clock);
  const accounts = new Accounts(users, tokens, new LoginThrottle(config.loginRateLimit), clock);
  // Computed up front so the first unknown-email login costs the same as any other.
  await dummyPasswordHash();

  const app = Fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    // Never log credentials: headers and bodies are kept out of the log lines entirely.
    logger: deps.logger ? { redact: ['req.headers.authorization', 'req.headers.cookie', 'req.body'] } : false,
    // The default is 'error' for __proto__ and constructor.prototype in JSON: keep it explicit.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
  });
  app.decorateRequest('auth', null);
  installErrorHandling(app);
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header(SERVER_TIME_HEADER, String(clock.now()));
    return payload;
  });

  const webinars = new WebinarStore(db);
  const tickets = new TicketStore(clock);
  const rooms = new RoomRegistry({
    history: new RoomHistoryStore(db),
    webinars,
    clock,
    log: (err, what) => app.log.error({ err }, what),
  });
  const services: ServerServices = { config, clock, db, users, tokens, signingKey, webinars, tickets, rooms };
  await app.register(authRoutes, { accounts, tokens, signingKey });
  await app.register(sessionRoutes, { tokens });
  const listenHost = () => {
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    return `${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
  };
  await app.register(webinarRoutes, { tokens, webinars, tickets, ice: config.ice, clock, listenHost });
  // clock.pong wants sub-millisecond time: the precise clock unless a test injected its own.
  const pongClock = deps.clock ?? createPreciseClock();
  installSignaling(app, { config: config.signaling, tickets, tokens, webinars, users, rooms, clock: pongClock });

  let closed = false;
  return {
    app,
    services,
    async listen() {
      await app.listen({ host: config.host, port: config.port });
      const addr = app.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.port;
      const host = config.host.includes(':') ? `[${config.host}]` : config.host;
      return { url: `http://${host}:${port}` };
    },
    async close() {
      if (closed) return;
      closed = true;
      await app.close();
      await db.destroy();
    },
  };
}
