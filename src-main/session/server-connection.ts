/**
 * Which server the session talks to. The AuthClient (and with it the learned server-clock offset)
 * is kept while the origin stays the same: relearning the offset on every sign-in would misjudge
 * expiry on a skewed machine until the first response arrives.
 */
import type { Clock } from '../../src-shared/clock';
import { ServerClockEstimator } from '../../src-shared/session/server-time';
import { AuthClient, type FetchLike } from './auth-client';
import { SessionOperationError } from './session-errors';
import { serverOrigin } from './stored-session';

export interface ServerConnectionOptions {
  fetch: FetchLike;
  clock: Clock;
  requestTimeoutMs: number;
}

export class ServerConnection {
  private currentOrigin: string | null = null;
  private currentClient: AuthClient | null = null;

  constructor(private readonly o: ServerConnectionOptions) {}

  get origin(): string | null {
    return this.currentOrigin;
  }

  get client(): AuthClient | null {
    return this.currentClient;
  }

  /** Switch to `serverUrl`'s origin, keeping the learned clock offset if it is the same server. */
  use(serverUrl: string): AuthClient {
    const origin = originOf(serverUrl);
    if (!this.currentClient || this.currentOrigin !== origin) {
      this.currentOrigin = origin;
      this.currentClient = this.makeClient(origin);
    }
    return this.currentClient;
  }

  /** A client for `serverUrl` that leaves the current server alone (registering elsewhere). */
  peek(serverUrl: string): AuthClient {
    const origin = originOf(serverUrl);
    return this.currentClient && this.currentOrigin === origin ? this.currentClient : this.makeClient(origin);
  }

  require(): AuthClient {
    if (!this.currentClient) throw new SessionOperationError('not_signed_in', 'Not signed in.');
    return this.currentClient;
  }

  private makeClient(origin: string): AuthClient {
    return new AuthClient({
      origin,
      fetch: this.o.fetch,
      clock: this.o.clock,
      serverClock: new ServerClockEstimator(),
      timeoutMs: this.o.requestTimeoutMs,
    });
  }
}

function originOf(serverUrl: string): string {
  const origin = serverOrigin(serverUrl);
  if (!origin) throw new SessionOperationError('invalid_request', 'The server address must be an http(s) URL.');
  return origin;
}
