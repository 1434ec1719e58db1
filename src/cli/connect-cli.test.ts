import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { cliRunner, json, ok } from '../../test/helpers/cli.js';
import { startFakeVendor } from '../../test/helpers/fake-vendor.js';

let t: TestApp;
let url: string;
let vendor: Awaited<ReturnType<typeof startFakeVendor>>;
const runCli = cliRunner(() => ({ url, token: t.adminToken }));

beforeAll(async () => {
  t = await createTestApp();
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  vendor = await startFakeVendor({ 'GET /me': { json: { id: 'acct_1' } } });
});
afterAll(async () => {
  await t?.close();
  await vendor?.close();
});

describe('switchyard connect-sessions, and connections by end user and tags', () => {
  it('creates a session with its link, shows it used by the connection it made, ends another', async () => {
    const created = ok(
      await runCli([
        'connect-sessions',
        'create',
        'u-42',
        '--name',
        'Ada',
        '--origin',
        'http://127.0.0.1:5173',
        '--connector',
        'generic_rest',
        '--tag',
        'trial,beta',
        '--expires-in',
        '10m',
      ]),
    );
    const link = /^ {2}(http\S+\/connect\?session=(cs_\w+))$/m.exec(created.stdout);
    expect(link, created.stdout).toBeTruthy();
    const id = /^Connect session (cs_\w+) for u-42, until /m.exec(created.stdout)?.[1] as string;

    // The end user connects with the token alone.
    const made = await t.request({
      method: 'POST',
      url: '/v1/connect/connections',
      token: null,
      headers: { 'switchyard-connect-session': link?.[2] as string },
      body: {
        connector: 'generic_rest',
        auth_method: 'api_key',
        config: { base_url: vendor.url, test_path: '/me' },
        credentials: { api_key: 'k' },
      },
    });
    expect(made.statusCode, made.body).toBe(201);
    const shown = ok(await runCli(['connect-sessions', 'show', id])).stdout;
    expect(shown).toMatch(/^Status: +used$/m);
    expect(shown).toMatch(new RegExp(`^Connection: +${made.data.id as string}$`, 'm'));

    const listed = json<{ id: string }[]>(
      await runCli(['connections', 'list', '--end-user', 'u-42', '--tag', 'beta', '--json']),
    );
    expect(listed.map((c) => c.id)).toEqual([made.data.id]);
    expect(json<unknown[]>(await runCli(['connections', 'list', '--end-user', 'u-7', '--json']))).toEqual([]);
    const detail = ok(await runCli(['connections', 'show', made.data.id as string])).stdout;
    expect(detail).toMatch(/^End user: +Ada \(u-42\)$/m);
    expect(detail).toMatch(/^Tags: +beta, trial$/m);

    const other = json<{ id: string }>(
      await runCli(['connect-sessions', 'create', 'u-43', '--origin', 'http://127.0.0.1:5173', '--json']),
    );
    ok(await runCli(['connect-sessions', 'end', other.id]));
    expect(ok(await runCli(['connect-sessions', 'show', other.id])).stdout).toMatch(/^Status: +expired$/m);
    const bad = await runCli(['connect-sessions', 'create', 'u-44', '--origin', 'not-an-origin']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/allowed_origins/);
  });
});
