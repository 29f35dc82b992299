/** Bearer-protected account routes: who am I, and my device sessions. */
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { API_PATHS, type MeResponse, type SessionsResponse } from '../../src-shared/http-api';
import { ApiHttpError, parseInput } from '../http/errors';
import { authOf, requireAuth } from './authenticate';
import type { TokenService } from './token-service';

const SessionIdParams = z.object({ id: z.string().min(1).max(100) });

export const sessionRoutes: FastifyPluginAsync<{ tokens: TokenService }> = async (app, { tokens }) => {
  app.addHook('preHandler', requireAuth(tokens));

  app.get(API_PATHS.me, async (request): Promise<MeResponse> => {
    const auth = authOf(request);
    return { user: auth.user, sessionId: auth.sessionId };
  });

  app.get(API_PATHS.sessions, async (request): Promise<SessionsResponse> => {
    const auth = authOf(request);
    return { sessions: await tokens.listSessions(auth.user.id, auth.sessionId) };
  });

  app.delete(`${API_PATHS.sessions}/:id`, async (request, reply) => {
    const auth = authOf(request);
    const { id } = parseInput(SessionIdParams, request.params);
    // Someone else's session answers exactly like an unknown one: ids are not an oracle.
    if (!(await tokens.revokeOwnSession(auth.user.id, id))) {
      throw new ApiHttpError(404, 'not_found', 'no such session');
    }
    return reply.code(204).send();
  });
};
