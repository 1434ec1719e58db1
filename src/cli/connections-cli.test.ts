import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { cliRunner, json, ok, tableRow } from '../../test/helpers/cli.js';
import { startFakeVendor } from '../../test/helpers/fake-vendor.js';

const runCli = cliRunner(() => ({ url, token: t.adminToken }));

/** The test app (it allows calls to 127.0.0.0/8) listening on loopback, and a fake vendor API beside it. */
let t: TestApp;
let url: string;
let vendor: Awaited<ReturnType<typeof startFakeVendor>>;
const goodVendor = {
  'GET /me': (req: { headers: Record<string, unknown> }) =>
    req.headers['x-api-key'] === 'good-key'
      ? { json: { id: 'acct_42', name: 'Acme' } }
      : { status: 401, json: { message: 'bad key' } },
};

beforeAll(async () => {
  t = await createTestApp();
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  vendor = await startFakeVendor(goodVendor);
});

afterAll(async () => {
  await vendor?.close();
  await t?.close();
});

const genericArgs = (name: string) => [
  'connections',
  'create',
  '--connector',
  'generic_rest',
  '--name',
  name,
  '--auth-method',
  'api_key',
  '--config',
  `base_url=${vendor.url}`,
  '--config',
  'test_path=/me',
  '--config',
  'account_id_path=$.id',
];

describe('switchyard connectors', () => {
  it('list filters the library; show prints the form, auth methods and base URL', async () => {
    const listed = ok(await runCli(['connectors', 'list', '--search', 'generic_rest']));
    const header = listed.stdout.split('\n')[0] ?? '';
    expect(header).toMatch(/^SLUG +NAME +CATEGORY +AUTH METHODS +AVAILABILITY$/);
    const row = tableRow(listed.stdout, 'generic_rest');
    expect(row).toMatch(/^generic_rest +Generic REST API +Generic +api_key, bearer, basic, jwt, .*mtls +active$/);
    expect(row.indexOf('active', 60)).toBe(header.indexOf('AVAILABILITY'));

    const filtered = json<{ slug: string; category: string; auth_methods: string[] }[]>(
      await runCli(['connectors', 'list', '--category', 'Generic', '--auth-method', 'jwt', '--json']),
    );
    expect(filtered.map((c) => c.slug)).toContain('generic_rest');
    expect(filtered.every((c) => c.category === 'Generic' && c.auth_methods.includes('jwt'))).toBe(true);
    expect(ok(await runCli(['connectors', 'list', '--search', 'no such connector at all'])).stdout).toBe(
      'No connectors match.\n',
    );

    const shown = ok(await runCli(['connectors', 'show', 'generic_rest'])).stdout;
    expect(shown).toMatch(/^Generic REST API \(generic_rest\)$/m);
    expect(shown).toMatch(/^Base URL: +set per connection \(config base_url\)$/m);
    expect(shown).toMatch(/^ {2}KEY +TYPE +REQUIRED +SECRET +HELP$/m);
    expect(shown).toMatch(/^ {2}base_url +url +yes +no +The API's root/m);
    expect(shown).toMatch(/^ {2}test_path +string +no +no +A cheap, read-only GET/m);
    expect(shown).toMatch(/^Auth method api_key: API key in a header \(default\)$/m);
    expect(shown).toMatch(/^ {2}api_key +password +yes +yes +API key$/m);
    expect(shown).toMatch(/^Auth method basic: Username and password$/m);
    expect(shown).toMatch(/^ {2}username +string +yes +no +Username$/m);

    const unknown = await runCli(['connectors', 'show', 'no_such_connector']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error not_found: Connector no_such_connector does not exist/m);
  });
});

describe('switchyard connections', () => {
  it('create (credentials from stdin), list, show, test, pause, resume, requests, history and delete', async () => {
    const created = ok(
      await runCli([...genericArgs('Acme API'), '--credentials-stdin'], { input: '{"api_key":"good-key"}\n' }),
    );
    const id = /\((conn_\w+)\)/.exec(created.stdout)?.[1] ?? '';
    expect(created.stdout).toMatch(/^Created connection Acme API \(conn_\w+\) to Generic REST API: active\.$/m);
    expect(created.stdout).toMatch(/^ {2}Outcome: +connected \(the credentials work\)$/m);
    expect(created.stdout).toMatch(/^ {2}Account id: +acct_42$/m);
    expect(created.stdout).not.toContain('good-key');
    expect(vendor.requests.at(-1)?.headers['x-api-key']).toBe('good-key');

    const listed = ok(await runCli(['connections', 'list']));
    const header = listed.stdout.split('\n')[0] ?? '';
    expect(header).toMatch(/^ID +NAME +CONNECTOR +STATE +LAST TEST +LAST TESTED$/);
    const row = tableRow(listed.stdout, id);
    expect(row).toMatch(/ Acme API +generic_rest +active +connected +\d{4}-\d\d-\d\d \d\d:\d\dZ$/);
    expect(row.indexOf('generic_rest')).toBe(header.indexOf('CONNECTOR'));
    expect(ok(await runCli(['connections', 'list', '--state', 'paused'])).stdout).toBe('No connections.\n');
    expect(ok(await runCli(['connections', 'list', '--search', 'acct_42'])).stdout).toContain(id);

    const shown = ok(await runCli(['connections', 'show', id])).stdout;
    expect(shown).toMatch(new RegExp(`^Acme API \\(${id}\\)$`, 'm'));
    expect(shown).toMatch(/^Connector: +Generic REST API \(generic_rest\)$/m);
    expect(shown).toMatch(/^Auth method: +api_key \(tenant credentials\)$/m);
    expect(shown).toMatch(/^Vendor account: +acct_42$/m);
    expect(shown).toMatch(new RegExp(`^ {2}base_url: +${vendor.url.replace(/\./g, '\\.')}$`, 'm'));
    expect(shown).not.toContain('good-key');
    expect(json<{ id: string; state: string }>(await runCli(['connections', 'show', id, '--json']))).toMatchObject({
      id,
      state: 'active',
    });

    const tested = ok(await runCli(['connections', 'test', id]));
    expect(tested.stdout).toMatch(new RegExp(`^Tested connection Acme API \\(${id}\\): active\\.$`, 'm'));
    expect(tested.stdout).toMatch(/^ {2}HTTP status: +200$/m);

    expect(ok(await runCli(['connections', 'pause', id])).stdout).toBe(`Paused connection Acme API (${id}).\n`);
    const paused = json<{ id: string }[]>(await runCli(['connections', 'list', '--state', 'paused', '--json']));
    expect(paused.map((c) => c.id)).toEqual([id]);
    const resumed = ok(await runCli(['connections', 'resume', id]));
    expect(resumed.stdout).toMatch(new RegExp(`^Resumed connection Acme API \\(${id}\\): active\\.$`, 'm'));

    const requests = ok(await runCli(['connections', 'requests', id]));
    expect(requests.stdout.split('\n')[0]).toMatch(
      /^AT +KIND +METHOD +PATH +STATUS +LATENCY +BYTES IN +BYTES OUT +RETRIES +ERROR$/,
    );
    expect(requests.stdout).toMatch(/ test +GET +\/me +200 +\d+ ms /);
    const logged = json<{ kind: string }[]>(await runCli(['connections', 'requests', id, '--json']));
    expect(logged.length).toBeGreaterThanOrEqual(2);
    expect(json<unknown[]>(await runCli(['connections', 'requests', id, '--limit', '1', '--json']))).toHaveLength(1);

    const history = ok(await runCli(['connections', 'history', id]));
    expect(history.stdout.split('\n')[0]).toMatch(/^AT +FROM +TO +BY +REASON$/);
    expect(history.stdout).toMatch(/ active +paused +api_key \S+ +paused by an operator$/m);

    const refused = await runCli(['connections', 'delete', id]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(new RegExp(`^error: Refusing to delete connection ${id} without --yes`, 'm'));
    expect(ok(await runCli(['connections', 'show', id])).stdout).toContain('Acme API');

    const deleted = ok(await runCli(['connections', 'delete', id, '--yes']));
    expect(deleted.stdout).toBe(`Deleted connection ${id} and its credentials.\n`);
    const gone = await runCli(['connections', 'show', id]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(new RegExp(`^error not_found: Connection ${id} does not exist`, 'm'));
  });

  it('secret references, --no-validate, and failed tests printed readably with exit code 1', async () => {
    ok(await runCli(['secrets', 'set', 'ACME_KEY'], { input: 'good-key\n' }));
    const saved = ok(
      await runCli([...genericArgs('By reference'), '--credential', 'api_key={{secrets.ACME_KEY}}', '--no-validate']),
    );
    const id = /\((conn_\w+)\)/.exec(saved.stdout)?.[1] ?? '';
    expect(saved.stdout).toMatch(/^Created connection By reference \(conn_\w+\) to Generic REST API: inactive\.$/m);
    expect(saved.stdout).toContain(`Not tested; run \`switchyard connections test ${id}\`.`);
    expect(ok(await runCli(['connections', 'test', id])).stdout).toMatch(/^ {2}Outcome: +connected /m);
    expect(vendor.requests.at(-1)?.headers['x-api-key']).toBe('good-key');

    try {
      vendor.on('GET /me', {
        status: 403,
        headers: { 'www-authenticate': 'Bearer error="insufficient_scope", scope="read:accounts write:accounts"' },
        json: { message: 'token lacks scopes' },
      });
      const scoped = await runCli(['connections', 'test', id]);
      expect(scoped.code).toBe(1);
      expect(scoped.stdout).toMatch(/^ {2}Outcome: +scope_insufficient \(the credentials lack a permission/m);
      expect(scoped.stdout).toMatch(/^ {2}HTTP status: +403$/m);
      expect(scoped.stdout).toMatch(/^ {2}Missing scopes: +read:accounts, write:accounts$/m);
      expect(scoped.stdout).toMatch(/^ {2}Vendor message: +403: token lacks scopes$/m);
      const shown = ok(await runCli(['connections', 'show', id])).stdout;
      expect(shown).toMatch(/^Last test \(\d{4}-\d\d-\d\d \d\d:\d\dZ\):$/m);
      expect(shown).toMatch(/^ {2}Outcome: +scope_insufficient /m);
    } finally {
      vendor.on('GET /me', goodVendor['GET /me']);
    }

    // A failed test on create stores nothing and explains itself on stderr.
    const rejected = await runCli([...genericArgs('Wrong key'), '--credentials-stdin'], {
      input: '{"api_key":"wrong-key"}',
    });
    expect(rejected.code).toBe(1);
    expect(rejected.stdout).toBe('');
    expect(rejected.stderr).toMatch(/^error connection_test_failed: The Generic REST API test call failed/m);
    expect(rejected.stderr).toMatch(/^ {2}Outcome: +credential_revoked \(the vendor rejected the credentials\)$/m);
    expect(rejected.stderr).toMatch(/^ {2}Vendor message: +401: bad key$/m);
    expect(ok(await runCli(['connections', 'list', '--search', 'Wrong key'])).stdout).toBe('No connections.\n');

    // A secret literal on argv works, with a warning; stdin that is not a JSON object is refused.
    const literal = await runCli([...genericArgs('Literal'), '--credential', 'api_key=good-key', '--json']);
    expect(literal.code).toBe(0);
    expect(literal.stderr).toContain('warning: --credential api_key is a secret given on the command line');
    expect((JSON.parse(literal.stdout) as { state: string }).state).toBe('active');
    const notJson = await runCli([...genericArgs('Bad stdin'), '--credentials-stdin'], { input: 'api_key=x' });
    expect(notJson.code).toBe(1);
    expect(notJson.stderr).toMatch(/^error: The credentials on standard input are not valid JSON/m);
    const none = await runCli([...genericArgs('No stdin'), '--credentials-stdin']);
    expect(none.stderr).toMatch(/^error: --credentials-stdin needs a JSON object on standard input/m);
  });

  it('an unknown connection id is "error not_found: …" with exit code 1 for every command', async () => {
    for (const args of [
      ['show', 'conn_missing'],
      ['test', 'conn_missing'],
      ['pause', 'conn_missing'],
      ['resume', 'conn_missing'],
      ['history', 'conn_missing'],
      ['requests', 'conn_missing'],
      ['delete', 'conn_missing', '--yes'],
    ]) {
      const result = await runCli(['connections', ...args]);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^error not_found: Connection conn_missing does not exist/m);
    }
  });
});
