/** Public surface of the server for other processes (npm start's embedded server, tests, benches). */
export { createServer, BODY_LIMIT_BYTES, type RunningServer, type ServerServices } from './app';
export { loadConfig, ConfigError, type ServerConfig } from './config';
export { authenticateRequest, bearerToken, requireAuth, authOf } from './auth/authenticate';
export type { Authenticated, TokenService } from './auth/token-service';
