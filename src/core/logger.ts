import pino, { type Logger, type LoggerOptions } from 'pino';

/**
 * Structured JSON logs. Secrets never reach a log line: every line passes through `censorSecrets`, which replaces
 * the value of any secret-named field at any depth, and URLs are logged through `redactUrl`, which hides
 * inbound-hook tokens and secret-looking query parameters.
 *
 * Not pino's `redact` option: its wildcard paths (`*.password`, `*.*.password`, …) cost 25-55 µs per line here,
 * ten times the rest of the line, and still only reached two levels deep. One walk over the (small) logged object
 * reaches every level for about a microsecond.
 */
const SECRET_KEYS = new Set(
  [
    'password',
    'token',
    'secret',
    'api_key',
    'apikey',
    'access_token',
    'refresh_token',
    'id_token',
    'client_secret',
    'authorization',
    'proxy-authorization',
    'cookie',
    'set-cookie',
    'x-api-key',
    'x-csrf-token',
    'switchyard-connect-session',
    'credentials',
    'value',
    'private_key',
    'master_key',
  ].map((k) => k.toLowerCase()),
);

const CENSOR = '[redacted]';
const MAX_DEPTH = 8;

/** A copy of `value` with every secret-named field censored. Errors and other class instances pass as they are. */
export function censorSecrets(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    const items = value.map((item) => censorSecrets(item, depth + 1));
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (proto !== Object.prototype && proto !== null) return value;
  let copy: Record<string, unknown> | undefined;
  for (const [key, field] of Object.entries(value)) {
    const next = SECRET_KEYS.has(key.toLowerCase()) && field !== undefined ? CENSOR : censorSecrets(field, depth + 1);
    if (next !== field) copy ??= { ...(value as Record<string, unknown>) };
    if (copy) copy[key] = next;
  }
  return copy ?? value;
}

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
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => censorSecrets(object) as Record<string, unknown>,
    },
  };
}

/**
 * The server's logger: JSON lines on stdout, written asynchronously in batches of about 8 KiB, and at least every
 * 200 ms so a quiet server's lines are not held back: one write syscall per batch instead of one per line.
 * `flush()` on shutdown; a kill -9 loses at most the last batch, never a committed change.
 */
export function createLogger(level: string): Logger {
  const destination = pino.destination({ dest: 1, sync: false, minLength: 8192 });
  const timer = setInterval(() => destination.flush(), 200);
  timer.unref();
  const log = pino(loggerOptions(level), destination);
  process.once('exit', () => {
    clearInterval(timer);
    try {
      destination.flushSync();
    } catch {
      // stdout already gone
    }
  });
  return log;
}

export type AccessEntry = {
  requestId: string;
  method: string;
  url: string;
  route: string;
  /** The route declared its successful requests routine (`routineAccessLog`). */
  routine?: boolean;
  status: number;
  ms: number;
  principal: string | undefined;
  tenant: string | undefined;
  code: string | undefined;
};

/**
 * The per-request access log: one JSON line per request (see `SWITCHYARD_ACCESS_LOG` for which are at info), the
 * same shape as every other line. Built by hand and
 * written to the logger's own destination, because it is the hottest line there is: through pino's line builder
 * it cost about 15% of authenticated read throughput (bench/api), by hand a template string. Every field is ours:
 * ids and the route come from the server, the status and timing are numbers, and the URL is JSON-escaped after
 * `redactUrl` hid anything secret in it.
 */
export function accessLogger(log: Logger, policy: 'all' | 'changes' | 'off'): (entry: AccessEntry) => void {
  const stream = (log as unknown as Record<symbol, { write(line: string): void }>)[pino.symbols.streamSym];
  const base = `"service":"switchyard"`;
  if (!stream || policy === 'off') return () => {};
  return (e) => {
    // `changes`: a successful, fast read is routine (and counted in /metrics); it is logged at debug. So are the
    // successes of routes that declare it (inbound ingest, whose event log records every request).
    const routine =
      policy === 'changes' &&
      (e.method === 'GET' || e.method === 'HEAD' || e.routine === true) &&
      e.status < 400 &&
      e.ms < 1000;
    const level = routine ? 'debug' : 'info';
    if (!log.isLevelEnabled(level)) return;
    stream.write(
      `{"level":"${level}"${isoTimeCachedPerMillisecond()},${base},"request_id":${JSON.stringify(e.requestId)},` +
        `"method":"${e.method}","url":${JSON.stringify(redactUrl(e.url))},"route":${JSON.stringify(e.route)},` +
        `"status":${e.status},"ms":${Math.round(e.ms * 100) / 100}` +
        (e.principal ? `,"principal":${JSON.stringify(e.principal)}` : '') +
        (e.tenant ? `,"tenant":${JSON.stringify(e.tenant)}` : '') +
        (e.code ? `,"code":"${e.code}"` : '') +
        `,"msg":"request completed"}\n`,
    );
  };
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
  /^(code|state|token|session|access_token|refresh_token|id_token|api_key|apikey|key|secret|client_secret|password|signature|sig)$/i;

/**
 * A URL safe to log: `/hooks/<token>` and `/files/shared/<token>` lose their token, secret-looking query values are
 * replaced.
 */
export function redactUrl(url: string): string {
  if (!url.includes('?') && !url.startsWith('/hooks/') && !url.startsWith('/files/shared/')) return url;
  const [path = '', query] = url.split('?', 2);
  const safePath = path
    .replace(/^\/hooks\/[^/]+/, '/hooks/[redacted]')
    .replace(/^\/files\/shared\/[^/]+/, '/files/shared/[redacted]');
  if (!query) return safePath;
  const params = new URLSearchParams(query);
  for (const key of [...params.keys()]) if (SECRET_QUERY.test(key)) params.set(key, '[redacted]');
  return `${safePath}?${params.toString()}`;
}
