/** /api/auth/*: register, login, refresh, logout, and the public JWKS. */
import type { FastifyPluginAsync } from 'fastify';
import {
  API_PATHS,
  LoginRequest,
  LogoutRequest,
  RefreshRequest,
  RegisterRequest,
  type RegisterResponse,
  type TokenResponse,
} from '../../src-shared/http-api';
import { ApiHttpError, parseInput } from '../http/errors';
import type { Accounts } from './accounts';
import { authenticateRequest, bearerToken } from './authenticate';
import type { SigningKey } from './signing-key';
import type { TokenService } from './token-service';

export interface AuthRoutesOptions {
  accounts: Accounts;
  tokens: TokenService;
  signingKey: SigningKey;
}

export const authRoutes: FastifyPluginAsync<AuthRoutesOptions> = async (app, { accounts, tokens, signingKey }) => {
  app.post(API_PATHS.register, async (request, reply): Promise<RegisterResponse> => {
    const user = await accounts.register(parseInput(RegisterRequest, request.body));
    reply.code(201);
    return { user };
  });

  app.post(API_PATHS.login, async (request): Promise<TokenResponse> => {
    return accounts.login(parseInput(LoginRequest, request.body), request.ip);
  });

  app.post(API_PATHS.refresh, async (request): Promise<TokenResponse> => {
    return tokens.refresh(parseInput(RefreshRequest, request.body).refreshToken);
  });

  // The refresh token names the session to end. Under REFRESH_TOKENS=off there is none, so the
  // access token may name it instead.
  app.post(API_PATHS.logout, async (request, reply) => {
    const parsed = LogoutRequest.safeParse(request.body);
    if (parsed.success) {
      await tokens.logoutWithRefreshToken(parsed.data.refreshToken);
    } else if (bearerToken(request.headers.authorization)) {
      const auth = await authenticateRequest(tokens, request);
      await tokens.revoke(auth.sessionId);
    } else {
      parseInput(LogoutRequest, request.body); // throws the 400 with the schema's message
      throw new ApiHttpError(400, 'invalid_request', 'refreshToken required');
    }
    return reply.code(204).send();
  });

  app.get(API_PATHS.jwks, async (_request, reply) => {
    reply.header('cache-control', 'public, max-age=300');
    return { keys: [signingKey.publicJwk] };
  });
};
