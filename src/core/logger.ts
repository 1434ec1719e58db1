import pino, { type Logger, type LoggerOptions } from 'pino';

/**
 * Structured JSON logs. Secrets never reach a log line: credential headers and secret-bearing fields are
 * censored by path, and URLs are logged through `redactUrl`, which hides inbound-hook tokens and secret-looking
 * query parameters.
 */
const SECRET_KEYS = [
  'password',
  'token',
  'secret',
  'api_key',
  'apiKey',
  'access_token',
  'refresh_token',
  'client_secret',
  'authorization',
  'cookie',
  'credentials',
  'value',
  'private_key',
  'master_key',
];

export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
];

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    base: { service: 'switchyard' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactPaths, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
  };
}

/**
 * The server's logger: JSON lines on stdout, written asynchronously (sonic-boom coalesces lines written while a
 * write is in flight, instead of one write syscall per line). `flush()` on shutdown; a kill -9 can lose the last
 * lines in the buffer, never a committed change.
 */
export function createLogger(level: string): Logger {
  return pino(loggerOptions(level), pino.destination({ dest: 1, sync: false }));
}

/**
 * The per-request access log. Its fields are chosen by us and never hold a secret (the URL goes through
 * `redactUrl`), so it skips the wildcard redaction every other line pays for: on the hottest log line that
 * redaction cost more than the rest of the line.
 */
export function accessLogger(log: Logger): Logger {
  return log.child({}, { redact: { paths: [] } });
}

const LOG_METHODS = new Set(['info', 'error', 'debug', 'fatal', 'warn', 'trace', 'silent', 'child']);

/**
 * Fastify makes a child logger for every request; with redaction configured that costs more than most handlers.
 * Few requests ever log through `req.log` (errors, warnings), so the child is built on first use. Logging methods
 * are answered with forwarding functions, because Fastify checks that they exist on every request.
 */
export function lazyChildLogger(parent: Logger, bindings: Record<string, unknown>): Logger {
  let child: Logger | undefined;
  const real = () => (child ??= parent.child(bindings));
  const methods = new Map<string, (...args: unknown[]) => unknown>();
  return new Proxy({} as Logger, {
    get(_target, property) {
      if (typeof property === 'string' && LOG_METHODS.has(property)) {
        let method = methods.get(property);
        if (!method) {
          method = (...args: unknown[]) => (real()[property as 'info'] as (...a: unknown[]) => unknown)(...args);
          methods.set(property, method);
        }
        return method;
      }
      const target = real();
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
    set(_target, property, value) {
      return Reflect.set(real(), property, value);
    },
  });
}

const SECRET_QUERY =
  /^(code|state|token|access_token|refresh_token|id_token|api_key|apikey|key|secret|client_secret|password|signature|sig)$/i;

/** A URL safe to log: `/hooks/<token>` loses its token, secret-looking query values are replaced. */
export function redactUrl(url: string): string {
  const [path = '', query] = url.split('?', 2);
  const safePath = path.replace(/^\/hooks\/[^/]+/, '/hooks/[redacted]');
  if (!query) return safePath;
  const params = new URLSearchParams(query);
  for (const key of [...params.keys()]) if (SECRET_QUERY.test(key)) params.set(key, '[redacted]');
  return `${safePath}?${params.toString()}`;
}
