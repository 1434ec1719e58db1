import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { accessLogger, censorSecrets, loggerOptions, redactUrl } from './logger.js';

function capture() {
  const lines: string[] = [];
  const log = pino(loggerOptions('info'), { write: (line: string) => void lines.push(line) });
  return { log, lines: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('logger', () => {
  it('censors secret-named fields at any depth, in any case, and leaves errors intact', () => {
    const { log, lines } = capture();
    log.error(
      {
        password: 'p1',
        a: { b: { c: { d: { client_secret: 's1' } } } },
        headers: { Authorization: 'Bearer t1', 'X-Api-Key': 'k1', accept: 'json' },
        list: [{ value: 'v1' }],
        err: new Error('boom'),
      },
      'failed',
    );
    const text = JSON.stringify(lines());
    for (const secret of ['p1', 's1', 't1', 'k1', 'v1']) expect(text).not.toContain(`"${secret}"`);
    expect(text).toContain('"accept":"json"');
    expect(lines()[0]?.err).toMatchObject({ message: 'boom' });
  });

  it('does not copy objects without secrets', () => {
    const value = { a: { b: 1 }, list: [1, 2] };
    expect(censorSecrets(value)).toBe(value);
  });

  it('writes the access line as valid JSON with the URL redacted and escaped', () => {
    const { log, lines } = capture();
    accessLogger(log)({
      requestId: 'req_1',
      method: 'GET',
      url: '/hooks/abc?"x"=1',
      route: '/hooks/:token',
      status: 202,
      ms: 1.23456,
      principal: undefined,
      tenant: undefined,
      code: undefined,
    });
    expect(lines()[0]).toMatchObject({
      level: 'info',
      service: 'switchyard',
      request_id: 'req_1',
      url: '/hooks/[redacted]?%22x%22=1',
      status: 202,
      ms: 1.23,
      msg: 'request completed',
    });
  });

  it('hides secret-looking query parameters', () => {
    expect(redactUrl('/v1/oauth/callback?code=abc&state=def&x=1')).toBe(
      '/v1/oauth/callback?code=%5Bredacted%5D&state=%5Bredacted%5D&x=1',
    );
  });
});
