/**
 * Webinar HTTP API (issue 3): create, list, get, name panelists, and join (which hands out a
 * single-use WebSocket ticket). Every route is Bearer-authenticated; the role checks go through the
 * shared permission matrix so HTTP and WebSocket agree.
 */
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../src-shared/clock';
import { API_PATHS } from '../../src-shared/http-api';
import { AddPanelistRequest, CreateWebinarRequest, type JoinResponse, type WebinarResponse } from '../../src-shared/signaling-protocol';
import { can } from '../../src-shared/webinar/permissions';
import { authOf, requireAuth } from '../auth/authenticate';
import type { TokenService } from '../auth/token-service';
import type { IceConfig } from '../config';
import { ApiHttpError, parseInput } from '../http/errors';
import { normalizeEmail } from '../store/users';
import type { WebinarRow, WebinarStore } from '../store/webinars';
import { iceServersFor } from './ice';
import type { TicketStore } from './ticket-store';
import { roleIn, toWebinarResponse } from './webinar-service';

export interface WebinarRouteDeps {
  tokens: TokenService;
  webinars: WebinarStore;
  tickets: TicketStore;
  ice: IceConfig;
  clock: Clock;
  /** Fallback `host:port` when the request's Host header is absent or unusable. */
  listenHost: () => string;
}

const Params = z.object({ id: z.string().min(1).max(64) });
const HOST_HEADER = /^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$|^\[[0-9A-Fa-f:.]{2,45}\](:\d{1,5})?$/;

const notFound = () => new ApiHttpError(404, 'not_found', 'no such webinar');

export const webinarRoutes: FastifyPluginAsync<WebinarRouteDeps> = async (app, deps) => {
  const { webinars, tickets, clock } = deps;
  app.addHook('preHandler', requireAuth(deps.tokens));

  async function load(request: FastifyRequest): Promise<WebinarRow> {
    const { id } = parseInput(Params, request.params);
    const row = await webinars.find(id);
    if (!row) throw notFound();
    return row;
  }

  app.post(API_PATHS.webinars, async (request, reply) => {
    const auth = authOf(request);
    const body = parseInput(CreateWebinarRequest, request.body);
    const row: WebinarRow = {
      id: crypto.randomUUID(),
      title: body.title,
      host_id: auth.user.id,
      starts_at: body.startsAt === undefined ? null : Date.parse(body.startsAt),
      status: 'scheduled',
      attendee_chat: 0,
      created_at: clock.now(),
      ended_at: null,
    };
    await webinars.create(row);
    return reply.code(201).send(toWebinarResponse(row) satisfies WebinarResponse);
  });

  app.get(API_PATHS.webinars, async (request) => {
    const auth = authOf(request);
    const rows = await webinars.listFor(auth.user.id, auth.user.email);
    const panelistOf = await webinars.panelistWebinarIds(auth.user.email, rows.map((r) => r.id));
    return {
      webinars: rows.map((r) => ({
        ...toWebinarResponse(r),
        role: r.host_id === auth.user.id ? 'host' : panelistOf.has(r.id) ? 'panelist' : 'attendee',
      })),
    };
  });

  app.get(`${API_PATHS.webinars}/:id`, async (request) => {
    const auth = authOf(request);
    const row = await load(request);
    return { ...toWebinarResponse(row), role: await roleIn(webinars, row, auth.user) };
  });

  app.post(`${API_PATHS.webinars}/:id/panelists`, async (request, reply) => {
    const auth = authOf(request);
    const row = await load(request);
    const role = await roleIn(webinars, row, auth.user);
    if (!can(role, 'namePanelists', { attendeeChat: row.attendee_chat === 1 })) {
      throw new ApiHttpError(403, 'forbidden', 'only the host may name panelists');
    }
    const { email } = parseInput(AddPanelistRequest, request.body);
    await webinars.addPanelist(row.id, normalizeEmail(email), clock.now());
    return reply.code(204).send();
  });

  app.post(`${API_PATHS.webinars}/:id/join`, async (request): Promise<JoinResponse> => {
    const auth = authOf(request);
    const row = await load(request);
    if (row.status === 'ended') throw new ApiHttpError(409, 'webinar_ended', 'this webinar has ended');
    if (await webinars.isBanned(row.id, auth.user.id)) throw new ApiHttpError(403, 'forbidden', 'you were removed from this webinar');
    const role = await roleIn(webinars, row, auth.user);
    const { ticket } = tickets.issue({ webinarId: row.id, userId: auth.user.id, role, sessionId: auth.sessionId });
    const host = request.headers.host && HOST_HEADER.test(request.headers.host) ? request.headers.host : deps.listenHost();
    const scheme = request.protocol === 'https' ? 'wss' : 'ws';
    return {
      ticket,
      wsUrl: `${scheme}://${host}${API_PATHS.ws}`,
      role,
      iceServers: iceServersFor(deps.ice, auth.user.id, clock.now()),
    };
  });
};
