/**
 * One error shape for every failure: `{ error, message }` with a code from the shared contract.
 * Client mistakes map to 4xx here so no malformed input can surface as a 5xx.
 */
import type { FastifyError, FastifyInstance } from 'fastify';
import type { ZodType } from 'zod';
import type { ApiErrorCode } from '../../src-shared/http-api';

export class ApiHttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ApiHttpError';
  }
}

/** Parse a request body (or params) with a shared zod schema; failures become 400 invalid_request. */
export function parseInput<T>(schema: ZodType<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : 'body';
    throw new ApiHttpError(400, 'invalid_request', `${where}: ${issue?.message ?? 'invalid input'}`);
  }
  return result.data;
}

function fromFastifyError(err: FastifyError): ApiHttpError {
  const status = err.statusCode ?? 500;
  if (status === 413) return new ApiHttpError(413, 'payload_too_large', 'request body exceeds 64 KiB');
  if (status === 415) {
    return new ApiHttpError(415, 'unsupported_media_type', 'send the body as application/json');
  }
  if (status === 404) return new ApiHttpError(404, 'not_found', 'not found');
  if (status >= 400 && status < 500) {
    // Fastify's parser messages (bad JSON, __proto__ keys, empty body) are safe to echo.
    return new ApiHttpError(400, 'invalid_request', err.message || 'invalid request');
  }
  return new ApiHttpError(500, 'internal_error', 'internal error');
}

export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error, request, reply) => {
    const apiError = error instanceof ApiHttpError ? error : fromFastifyError(error as FastifyError);
    if (apiError.statusCode >= 500) request.log.error({ err: error }, 'unhandled error');
    return reply
      .code(apiError.statusCode)
      .headers(apiError.headers)
      .send({ error: apiError.code, message: apiError.message });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: 'not_found', message: `no route for ${request.method} ${request.url.split('?')[0]}` }),
  );
}
