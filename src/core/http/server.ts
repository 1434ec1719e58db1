import http, { type IncomingMessage } from 'node:http';
import fastifyCookie from '@fastify/cookie';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifySchemaCompiler,
} from 'fastify';
import { createJsonSchemaTransform, jsonSchemaTransformObject, validatorCompiler } from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { z } from 'zod';
import { newId } from '../ids.js';
import { accessLogger, lazyChildLogger } from '../logger.js';
import { allowedMethodsFor } from './allowed-methods.js';
import { serveConsole } from './console.js';
import { fastRoutes } from './fast-route.js';
import { answerFrameworkError, installErrorHandling } from './error-handler.js';
import { responseSerializerCompiler } from './serializer.js';
import { refusingUnstorableText } from './well-formed.js';
import type { HttpMetrics } from './metrics.js';
import { addTenantHeader, pruneUnusedSchemas } from './openapi-schemas.js';
import type { RouteDef } from './route.js';

export type HttpServerOptions = {
  log: Logger;
  bodyLimit: number;
  trustProxy: boolean;
  version: string;
  metrics: HttpMetrics;
  routes: RouteDef[];
  /** Check every response against its zod schema (the test suite); production uses compiled serialisers. */
  validateResponses?: boolean;
  /** Which requests get an info-level access-log line (SWITCHYARD_ACCESS_LOG). */
  accessLog?: 'all' | 'changes' | 'off';
  /** Where the built web console is (console/dist); served at `/` when given. */
  consoleDir?: string;
  /** True once graceful shutdown began. */
  isShuttingDown: () => boolean;
};

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * A Fastify instance with the cross-cutting behaviour every endpoint shares: zod validation and serialisation,
 * OpenAPI 3.1 and `/docs`, request ids, one access-log line and one metrics sample per request, problem-details
 * errors and 405 for known paths with the wrong method. Routes themselves (with authentication and the rate
 * limit) are registered by the caller (`registerRoutes`).
 */
export async function createHttpServer(options: HttpServerOptions): Promise<{ app: FastifyInstance }> {
  const access = accessLogger(options.log, options.accessLog ?? 'all');
  const requestId = (req: IncomingMessage) => {
    const incoming = req.headers['x-request-id'];
    return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : newId('req');
  };
  const fast = fastRoutes({
    routes: options.routes,
    trustProxy: options.trustProxy,
    metrics: options.metrics,
    access,
    log: options.log,
    newRequestId: requestId,
    isShuttingDown: options.isShuttingDown,
  });
  const app = Fastify({
    // Routes with a fast handler answer their common case before Fastify (fast-route.ts).
    serverFactory: (handler, fastifyOptions) => {
      const settings = fastifyOptions as {
        keepAliveTimeout?: number;
        requestTimeout?: number;
        connectionTimeout?: number;
        maxRequestsPerSocket?: number;
      };
      const server = http.createServer((req, res) => fast(req, res, () => handler(req, res)));
      // What Fastify does to the server it makes itself (lib/server.js), which a factory's server must do too: without
      // it an idle keep-alive connection closed after Node's 5 s instead of Fastify's 72 s.
      server.keepAliveTimeout = settings.keepAliveTimeout ?? 72_000;
      server.requestTimeout = settings.requestTimeout ?? 0;
      server.setTimeout(settings.connectionTimeout ?? 0);
      if ((settings.maxRequestsPerSocket ?? 0) > 0) server.maxRequestsPerSocket = settings.maxRequestsPerSocket ?? 0;
      return server;
    },
    loggerInstance: options.log as FastifyBaseLogger,
    // One access-log line per request comes from our onResponse hook (with the route and principal), not Fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    childLoggerFactory: (logger, bindings) => lazyChildLogger(logger as never, bindings) as FastifyBaseLogger,
    bodyLimit: options.bodyLimit,
    trustProxy: options.trustProxy,
    genReqId: requestId,
    routerOptions: { ignoreTrailingSlash: true },
    return503OnClosing: true,
    frameworkErrors: answerFrameworkError,
  });
  // The API speaks JSON only. Fastify also parses text/plain by default, which turned a wrong content type into a
  // confusing 400 ("expected object, received string") instead of 415; routes that need raw bodies (inbound
  // webhooks) register their own parser in their own scope.
  app.removeContentTypeParser('text/plain');
  acceptEmptyJsonWithoutBody(app);
  app.setValidatorCompiler(refusingUnstorableText(validatorCompiler as FastifySchemaCompiler<unknown>));
  app.setSerializerCompiler(responseSerializerCompiler({ validate: options.validateResponses ?? false }));

  // Callback-style hooks: these two run on every request, and skipping the promise machinery is measurable.
  app.addHook('onSend', (req, reply, payload, done) => {
    reply.header('x-request-id', req.id);
    reply.header('x-content-type-options', 'nosniff');
    if (req.url.startsWith('/v1/')) reply.header('cache-control', 'no-store');
    // During shutdown, requests still in flight are answered with `Connection: close`: otherwise their keep-alive
    // socket stays open and the server's close waits on it until the shutdown timeout.
    if (options.isShuttingDown()) reply.header('connection', 'close');
    done(null, payload);
  });
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url ?? 'unmatched';
    options.metrics.observe(req.method, route, reply.statusCode, reply.elapsedTime / 1000);
    access({
      requestId: req.id,
      method: req.method,
      url: req.url,
      route,
      routine: req.routeOptions.config.routineAccessLog === true,
      status: reply.statusCode,
      ms: reply.elapsedTime,
      principal: req.principal?.id,
      tenant: req.principal?.tenantId,
      code: req.errorCode,
    });
    done();
  });

  // Parsing is done by authentication when a request has no bearer token; the plugin only writes Set-Cookie.
  await app.register(fastifyCookie, { hook: false });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Switchyard API',
        version: options.version,
        description:
          'The Switchyard integrations platform. Authenticate with `Authorization: Bearer <API key>`. ' +
          'Errors are RFC 9457 problem details with a stable `code` (see /docs/errors).',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description:
              'An API key (syk_…) or a session token (sys_…). `Authorization: token <key>`, the scheme GitHub’s ' +
              'clients send, is accepted as well.',
          },
          session: { type: 'apiKey', in: 'cookie', name: 'switchyard_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: createJsonSchemaTransform({ skipList: [] }),
    transformObject: (document) => addTenantHeader(pruneUnusedSchemas(jsonSchemaTransformObject(document)) as never),
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/docs',
    uiConfig: { docExpansion: 'list', deepLinking: true },
    // Swagger UI needs inline scripts and styles on its own page; the rest of the API sends JSON only.
    staticCSP: true,
  });

  const consolePage = options.consoleDir ? await serveConsole(app, options.consoleDir) : undefined;
  installErrorHandling(app, allowedMethodsFor(options.routes), consolePage);
  return { app };
}

/**
 * Many clients send `Content-Type: application/json` on every request, bodiless ones included. An empty body is
 * accepted on routes that take none or whose body is optional; where a body is required, empty is still
 * `malformed_json`.
 */
function acceptEmptyJsonWithoutBody(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if (body === '' && bodyIsOptional(req.routeOptions.schema?.body)) return done(null, undefined);
    parseJson(req, body as string, done);
  });
}

function bodyIsOptional(schema: unknown): boolean {
  return schema === undefined || (schema instanceof z.ZodType && schema.safeParse(undefined).success);
}
