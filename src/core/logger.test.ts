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
    accessLogger(
      log,
      'all',
    )({
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

  it('with the "changes" policy logs successful fast reads at debug and everything else at info', () => {
    const lines: string[] = [];
    const log = pino(loggerOptions('info'), { write: (line: string) => void lines.push(line) });
    const access = accessLogger(log, 'changes');
    const entry = { requestId: 'r', route: '/v1/me', principal: undefined, tenant: undefined, code: undefined };
    access({ ...entry, method: 'GET', url: '/v1/me', status: 200, ms: 1 });
    access({ ...entry, method: 'GET', url: '/v1/me', status: 404, ms: 1, code: 'not_found' });
    access({ ...entry, method: 'GET', url: '/v1/me', status: 200, ms: 1500 });
    access({ ...entry, method: 'POST', url: '/v1/secrets', status: 201, ms: 1 });
    // Writes a route declares routine (inbound ingest: its event log has them) are debug; their failures are not.
    const hook = { ...entry, route: '/hooks/:token', routine: true, method: 'POST', url: '/hooks/hook_x', ms: 1 };
    access({ ...hook, status: 202 });
    access({ ...hook, status: 401, code: 'signature_invalid' });
    expect(lines.map((l) => (JSON.parse(l) as { status: number }).status)).toEqual([404, 200, 201, 401]);
    expect(lines.join('\n')).not.toContain('hook_x');
    log.level = 'debug';
    access({ ...entry, method: 'GET', url: '/v1/me', status: 200, ms: 1 });
    expect(JSON.parse(lines.at(-1) as string)).toMatchObject({ level: 'debug', status: 200 });
  });

  it('hides secret-looking query parameters', () => {
    expect(redactUrl('/v1/oauth/callback?code=abc&state=def&x=1')).toBe(
      '/v1/oauth/callback?code=%5Bredacted%5D&state=%5Bredacted%5D&x=1',
    );
    // A connect session's link: the token is the end user's only credential.
    expect(redactUrl('/connect?session=cs_abc&origin=https%3A%2F%2Fapp.example')).toBe(
      '/connect?session=%5Bredacted%5D&origin=https%3A%2F%2Fapp.example',
    );
  });
});
