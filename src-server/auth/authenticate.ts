/**
 * Bearer authentication for any route (and, later, the WebSocket upgrade): extracts the token from
 * the Authorization header and asks the TokenService, which also checks that the session is live.
 */
import type { FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { ApiHttpError } from '../http/errors';
import type { Authenticated, TokenService } from './token-service';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the `requireAuth` preHandler. */
    auth: Authenticated | null;
  }
}

export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)$/i.exec(header.trim());
  return m ? m[1]! : null;
}

export async function authenticateRequest(tokens: TokenService, request: FastifyRequest): Promise<Authenticated> {
  const token = bearerToken(request.headers.authorization);
  if (!token) throw new ApiHttpError(401, 'invalid_token', 'missing or malformed Authorization: Bearer header');
  return tokens.authenticate(token);
}

/** A preHandler that rejects unauthenticated requests with 401 invalid_token and sets `request.auth`. */
export function requireAuth(tokens: TokenService): preHandlerAsyncHookHandler {
  return async (request) => {
    request.auth = await authenticateRequest(tokens, request);
  };
}

/** For handlers behind `requireAuth`: the auth context, guaranteed present. */
export function authOf(request: FastifyRequest): Authenticated {
  if (!request.auth) throw new ApiHttpError(401, 'invalid_token', 'not authenticated');
  return request.auth;
}
