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
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((k) => `*.${k}`),
  ...SECRET_KEYS.map((k) => `*.*.${k}`),
];

// Formatting a date took a visible share of every access-log line; under load many lines share a millisecond.
let lastMillisecond = 0;
let lastTime = '';
function isoTimeCachedPerMillisecond(): string {
  const now = Date.now();
  if (now !== lastMillisecond) {
    lastMillisecond = now;
    lastTime = `,"time":"${new Date(now).toISOString()}"`;
  }
  return lastTime;
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    base: { service: 'switchyard' },
    timestamp: isoTimeCachedPerMillisecond,
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

type LogFn = (...args: unknown[]) => void;

/**
 * Fastify makes a child logger for every request; with redaction configured, building one costs more than most
 * handlers, and few requests ever log through `req.log` (errors, warnings). This stand-in is one small object per
 * request; the real child (carrying the request id) is built on first use.
 */
class LazyRequestLogger {
  #child: Logger | undefined;
  constructor(
    private readonly parent: Logger,
    private readonly childBindings: Record<string, unknown>,
  ) {}
  get #real(): Logger {
    return (this.#child ??= this.parent.child(this.childBindings));
  }
  info(...args: Parameters<LogFn>): void {
    (this.#real.info as LogFn).apply(this.#real, args);
  }
  error(...args: Parameters<LogFn>): void {
    (this.#real.error as LogFn).apply(this.#real, args);
  }
  warn(...args: Parameters<LogFn>): void {
    (this.#real.warn as LogFn).apply(this.#real, args);
  }
  debug(...args: Parameters<LogFn>): void {
    (this.#real.debug as LogFn).apply(this.#real, args);
  }
  trace(...args: Parameters<LogFn>): void {
    (this.#real.trace as LogFn).apply(this.#real, args);
  }
  fatal(...args: Parameters<LogFn>): void {
    (this.#real.fatal as LogFn).apply(this.#real, args);
  }
  silent(): void {}
  child(bindings: Record<string, unknown>, options?: object): Logger {
    return this.#real.child(bindings, options);
  }
  get level(): string {
    return this.parent.level;
  }
  set level(level: string) {
    this.#real.level = level;
  }
  isLevelEnabled(level: string): boolean {
    return this.parent.isLevelEnabled(level);
  }
}

export function lazyChildLogger(parent: Logger, bindings: Record<string, unknown>): Logger {
  return new LazyRequestLogger(parent, bindings) as unknown as Logger;
}

const SECRET_QUERY =
  /^(code|state|token|access_token|refresh_token|id_token|api_key|apikey|key|secret|client_secret|password|signature|sig)$/i;

/** A URL safe to log: `/hooks/<token>` loses its token, secret-looking query values are replaced. */
export function redactUrl(url: string): string {
  if (!url.includes('?') && !url.startsWith('/hooks/')) return url;
  const [path = '', query] = url.split('?', 2);
  const safePath = path.replace(/^\/hooks\/[^/]+/, '/hooks/[redacted]');
  if (!query) return safePath;
  const params = new URLSearchParams(query);
  for (const key of [...params.keys()]) if (SECRET_QUERY.test(key)) params.set(key, '[redacted]');
  return `${safePath}?${params.toString()}`;
}
