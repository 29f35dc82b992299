/**
 * The webinar HTTP API as main calls it: every request goes through the session's
 * authorizedFetch (access token attached, one shared refresh on 401), and every response is
 * validated against the shared schemas.
 */
import type { z } from 'zod';
import { ApiError } from '../../src-shared/http-api';
import { JoinResponse, WebinarListResponse, WebinarResponse } from '../../src-shared/signaling-protocol';

export interface AuthorizedFetch {
  authorizedFetch(path: string, init?: RequestInit): Promise<Response>;
}

/** A failure the renderer can show: the server's code mapped to an IPC error code. */
export class WebinarApiError extends Error {
  constructor(
    readonly code: 'forbidden' | 'not_found' | 'invalid_request' | 'server_error' | 'rate_limited',
    message: string,
  ) {
    super(message);
    this.name = 'WebinarApiError';
  }
}

const JSON_HEADERS = { 'content-type': 'application/json' };

export class WebinarClient {
  constructor(private readonly session: AuthorizedFetch) {}

  async list() {
    return (await this.call('/api/webinars', {}, WebinarListResponse)).webinars;
  }

  create(body: { title: string; startsAt?: string }) {
    return this.call('/api/webinars', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(body) }, WebinarResponse);
  }

  get(id: string) {
    return this.call(`/api/webinars/${encodeURIComponent(id)}`, {}, WebinarResponse);
  }

  async addPanelist(webinarId: string, email: string): Promise<null> {
    await this.call(`/api/webinars/${encodeURIComponent(webinarId)}/panelists`, { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ email }) }, null);
    return null;
  }

  join(id: string) {
    return this.call(`/api/webinars/${encodeURIComponent(id)}/join`, { method: 'POST', headers: JSON_HEADERS, body: '{}' }, JoinResponse);
  }

  private async call<S extends z.ZodType>(path: string, init: RequestInit, schema: S): Promise<z.infer<S>>;
  private async call(path: string, init: RequestInit, schema: null): Promise<null>;
  private async call(path: string, init: RequestInit, schema: z.ZodType | null): Promise<unknown> {
    const res = await this.session.authorizedFetch(path, init);
    const body: unknown = res.status === 204 ? null : await res.json().catch(() => null);
    if (!res.ok) {
      const parsed = ApiError.safeParse(body);
      const message = parsed.success ? parsed.data.message : `The server answered ${res.status}.`;
      const code = res.status === 403 ? 'forbidden' : res.status === 404 ? 'not_found' : res.status === 429 ? 'rate_limited' : res.status >= 500 ? 'server_error' : 'invalid_request';
      throw new WebinarApiError(code, message);
    }
    if (!schema) return null;
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new WebinarApiError('server_error', 'The server sent an unexpected response.');
    return parsed.data;
  }
}
