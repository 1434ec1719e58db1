import type { ConsoleFallback } from './console.js';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { SqlState, sqlState } from '../db/port.js';
import { ApiError, problem, type ErrorCode, type FieldError } from '../errors.js';

/**
 * Turn every failure into RFC 9457 problem details with a stable code. Expected failures arrive as ApiError;
 * Fastify's own request errors (bad JSON, too large, wrong content type, schema validation) are mapped to the
 * catalogue; anything else is a 500 `internal_error` whose message is logged, never sent.
 */
export function installErrorHandling(
  app: FastifyInstance,
  allowedMethods: (url: string) => string[],
  consolePage?: ConsoleFallback,
): void {
  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (error instanceof ApiError) {
      for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
      return sendProblem(req, reply, error.code, error.detail, error.extensions);
    }
    if (hasZodFastifySchemaValidationErrors(error)) {
      const where = error.validationContext ?? 'body';
      const errors: FieldError[] = error.validation.map((v) => ({
        path: `${where}${v.instancePath === '/' ? '' : v.instancePath.replaceAll('/', '.')}`,
        message: v.message ?? 'is invalid',
      }));
      const first = errors[0];
      const detail =
        errors.length === 1 && first ? `${first.path}: ${first.message}` : `${errors.length} fields are invalid`;
      return sendProblem(req, reply, 'validation_failed', detail, { errors });
    }
    // Input text PostgreSQL cannot store (a NUL character, in a body field, a path or a query value) is the
    // client's mistake, not ours; the transaction it reached has rolled back.
    if (sqlState(error) === SqlState.characterNotInRepertoire) {
      return sendProblem(req, reply, 'validation_failed', 'Text values must not contain the NUL character (U+0000).');
    }
    const mapped = mapFastifyError(error);
    if (mapped) return sendProblem(req, reply, mapped.code, mapped.detail);
    if (isResponseSerializationError(error as never)) {
      req.log.error({ err: error, cause: (error as Error).cause }, 'response did not match its declared schema');
    } else {
      req.log.error({ err: error }, 'unhandled error');
    }
    return sendProblem(req, reply, 'internal_error', unexpectedErrorDetail(req.id));
  });

  app.setNotFoundHandler((req, reply) => {
    if (consolePage?.(req, reply)) return reply;
    const path = req.url.split('?')[0] ?? '/';
    const allow = allowedMethods(path);
    if (allow.length > 0) {
      reply.header('allow', allow.join(', '));
      return sendProblem(
        req,
        reply,
        'method_not_allowed',
        `${req.method} is not supported on ${path}; use ${allow.join(', ')}.`,
      );
    }
    return sendProblem(req, reply, 'route_not_found', `No endpoint at ${req.method} ${path}. See /docs for the API.`);
  });
}

/**
 * Errors Fastify raises before routing (a path that does not decode, a path parameter over the length limit). It
 * would answer them in its own JSON shape without our headers; `frameworkErrors` sends them here instead.
 */
export function answerFrameworkError(error: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  reply.header('x-request-id', req.id);
  reply.header('x-content-type-options', 'nosniff');
  const detail =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? 'A path segment is longer than any identifier this API issues.'
      : error.code === 'FST_ERR_BAD_URL'
        ? 'The path is not valid URL encoding.'
        : undefined;
  if (detail) return sendProblem(req, reply, 'validation_failed', detail);
  req.log.error({ err: error }, 'routing failed');
  return sendProblem(req, reply, 'internal_error', unexpectedErrorDetail(req.id));
}

function mapFastifyError(error: FastifyError): { code: ErrorCode; detail: string } | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { code: 'body_too_large', detail: 'The request body is larger than this endpoint accepts.' };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { code: 'unsupported_media_type', detail: 'Send the body as application/json.' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { code: 'malformed_json', detail: 'The body is empty but Content-Type says application/json.' };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { code: 'malformed_json', detail: `The body is not valid JSON: ${error.message}` };
    case 'FST_ERR_CTP_INVALID_TYPE':
      return { code: 'unsupported_media_type', detail: 'The Content-Type header is not valid.' };
  }
  // Fastify's JSON parser raises a SyntaxError with status 400 for malformed bodies.
  if (error instanceof SyntaxError && error.statusCode === 400) {
    return { code: 'malformed_json', detail: `The body is not valid JSON: ${error.message}` };
  }
  if (error.statusCode === 413) return { code: 'body_too_large', detail: error.message };
  if (error.statusCode === 415) return { code: 'unsupported_media_type', detail: error.message };
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return { code: 'validation_failed', detail: error.message };
  }
  return undefined;
}

/** What a 500 says: nothing of the error itself (it is logged), only the request id to quote. */
export function unexpectedErrorDetail(requestId: string): string {
  return `An unexpected error occurred. Quote request id ${requestId} when reporting it.`;
}

export function sendProblem(
  req: FastifyRequest,
  reply: FastifyReply,
  code: ErrorCode,
  detail: string,
  extensions: Record<string, unknown> = {},
) {
  req.errorCode = code;
  const body = problem(code, detail, { ...extensions, instance: req.url.split('?')[0], request_id: req.id });
  return reply.code(body.status).type('application/problem+json').send(body);
}
