import pino, { type LoggerOptions } from 'pino';

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
