import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { expectProblem } from '../../test/helpers/fixtures.js';
import type { Clock } from '../core/clock.js';

let t: TestApp;
const start = new Date(Math.floor(Date.now() / 1000) * 1000);
let now = start;
const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
const clock: Clock = { now: () => now } as Clock;

beforeAll(async () => {
  t = await createTestApp({ clock });
});

afterAll(() => t.close());

describe('expiring shared links', () => {
  it('serves a version without credentials until it expires, then 410; a tampered link is 404', async () => {
    const up = await t.request({
      method: 'POST',
      url: '/v1/files?name=report%20%C3%A9t%C3%A9.txt',
      headers: { 'content-type': 'text/plain' },
      body: 'first version',
    });
    const id = up.data.id as string;
    const made = await t.request({ method: 'POST', url: `/v1/files/${id}/links`, body: { expires_in_seconds: 600 } });
    expect(made.statusCode, made.body).toBe(201);
    const url = made.data.url as string;
    expect(url).toMatch(new RegExp(`^/files/shared/${id}\\.1\\.[0-9a-z]+\\.[\\w-]{22}$`));
    expect(made.data.expires_at).toBe(at(600).toISOString());

    // A later version does not change what the link serves.
    await t.request({
      method: 'POST',
      url: '/v1/files?name=report%20%C3%A9t%C3%A9.txt',
      headers: { 'content-type': 'text/plain' },
      body: 'second',
    });
    const got = await t.request({ url, token: null });
    expect(got.statusCode, got.body).toBe(200);
    expect(got.body).toBe('first version');
    expect(got.headers.etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect(got.headers['content-disposition']).toContain("filename*=UTF-8''report%20%C3%A9t%C3%A9.txt");
    const part = await t.request({ url, headers: { range: 'bytes=0-4' }, token: null });
    expect(part.statusCode).toBe(206);
    expect(part.body).toBe('first');

    // Tampered: another version or expiry under the same signature, or another signature.
    const [fileId, version, expiry, signature] = url.slice('/files/shared/'.length).split('.') as [
      string,
      string,
      string,
      string,
    ];
    expect(version).toBe('1');
    const later = (parseInt(expiry, 36) + 3600).toString(36);
    for (const forged of [
      `${fileId}.2.${expiry}.${signature}`,
      `${fileId}.1.${later}.${signature}`,
      `${fileId}.1.${expiry}.${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`,
      'nonsense',
    ]) {
      expectProblem(await t.request({ url: `/files/shared/${forged}`, token: null }), 404, 'not_found');
    }
    // The token never reaches the logs.
    expect(t.logs.join('\n')).not.toContain(signature);

    now = at(601);
    expectProblem(await t.request({ url, token: null }), 410, 'link_expired');
    now = start;

    // A named version; bounds on the lifetime; unknown files and versions.
    const v2 = await t.request({ method: 'POST', url: `/v1/files/${id}/links`, body: { version: 2 } });
    expect(v2.data.expires_at).toBe(at(3600).toISOString());
    expect((await t.request({ url: v2.data.url as string, token: null })).body).toBe('second');
    expectProblem(
      await t.request({ method: 'POST', url: `/v1/files/${id}/links`, body: { expires_in_seconds: 8 * 86400 } }),
      400,
      'validation_failed',
    );
    expectProblem(
      await t.request({ method: 'POST', url: `/v1/files/${id}/links`, body: { version: 7 } }),
      404,
      'not_found',
    );
    expectProblem(await t.request({ method: 'POST', url: '/v1/files/file_nope/links', body: {} }), 404, 'not_found');

    // Deleting the file ends its links.
    await t.request({ method: 'DELETE', url: `/v1/files/${id}` });
    expectProblem(await t.request({ url, token: null }), 404, 'not_found');

    const audit = await t.request({ url: '/v1/audit?action=file.link' });
    expect(audit.statusCode, audit.body).toBe(200);
    expect(JSON.stringify(audit.data)).toContain(id);
  });
});
