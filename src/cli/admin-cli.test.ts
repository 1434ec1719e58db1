import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { cliProcess, cliRunner, json, ok, tableRow } from '../../test/helpers/cli.js';

let t: TestApp;
let url: string;
let dir: string;
const target = () => ({ url, token: t.adminToken });
const runCli = cliRunner(target);
const startCli = cliProcess(target);

beforeAll(async () => {
  t = await createTestApp();
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-cli-'));
});

afterAll(async () => {
  await t?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('switchyard roles, users --superuser, connectors registry, audit', () => {
  it('creates, lists, updates and deletes a custom role', async () => {
    const created = json<{ id: string; capabilities: string[] }>(
      await runCli(['roles', 'create', 'Support', '--capability', 'list_connections,view_audit', '--json']),
    );
    expect(created.capabilities.sort()).toEqual(['list_connections', 'view_audit']);
    const listed = ok(await runCli(['roles', 'list']));
    expect(listed.stdout.split('\n')[0]).toMatch(/^ID +NAME +KIND +CAPABILITIES +DESCRIPTION$/);
    expect(tableRow(listed.stdout, created.id)).toMatch(/ Support +custom +2 +-$/);
    const updated = ok(
      await runCli(['roles', 'update', created.id, '--add', 'view_webhooks', '--remove', 'view_audit']),
    );
    expect(updated.stdout).toBe(`Updated role Support (${created.id}): 2 capabilities.\n`);
    expect(ok(await runCli(['roles', 'show', created.id])).stdout).toMatch(/^ {2}view_webhooks$/m);
    expect(ok(await runCli(['roles', 'delete', created.id])).stdout).toBe(`Deleted role ${created.id}.\n`);
  });

  it('users create --superuser makes a superuser who sees the registry', async () => {
    const user = json<{ superuser: boolean; email: string }>(
      await runCli(
        ['users', 'create', '--email', 'root@example.com', '--role', 'administrator', '--superuser', '--json'],
        {
          input: 'correct horse battery staple\n',
        },
      ),
    );
    expect(user).toMatchObject({ superuser: true, email: 'root@example.com' });
    const login = await fetch(`${url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'root@example.com', password: 'correct horse battery staple', return_token: true }),
    });
    expect(login.status).toBe(201);
    const { token } = (await login.json()) as { token: string };
    const me = await fetch(`${url}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await me.json()) as { superuser: boolean }).superuser).toBe(true);
  });

  it('adds a custom connector from a YAML manifest, updates, disables, enables and deletes it', async () => {
    const file = path.join(dir, 'acme.yaml');
    fs.writeFileSync(
      file,
      [
        'schema_version: 1',
        'slug: acme_cli',
        'name: Acme CLI',
        'description: A connector added from the CLI.',
        'category: Generic',
        "logo: { initials: AC, color: '#123456' }",
        'config: [{ key: base_url, label: Base URL, type: url }]',
        'auth: [{ type: bearer, fields: [{ key: token, label: Token, secret: true }] }]',
        "base_url: '{{config.base_url}}'",
        'test: { kind: http, request: { method: GET, path: /me } }',
        '',
      ].join('\n'),
    );
    expect(ok(await runCli(['connectors', 'add', file])).stdout).toBe(
      'Added Acme CLI (acme_cli): active, management tenant_template.\n',
    );
    expect(ok(await runCli(['connectors', 'update', 'acme_cli', '--availability', 'deprecated'])).stdout).toMatch(
      /^Updated Acme CLI \(acme_cli\): deprecated,/,
    );
    ok(await runCli(['connectors', 'disable', 'acme_cli']));
    expect(json<{ retired: boolean }>(await runCli(['connectors', 'show', 'acme_cli', '--json'])).retired).toBe(true);
    ok(await runCli(['connectors', 'enable', 'acme_cli']));
    expect(ok(await runCli(['connectors', 'delete', 'acme_cli'])).stdout).toBe(
      'Deleted connector acme_cli from the registry.\n',
    );

    const viewer = await t.keyWithRole('viewer');
    const denied = await cliRunner(() => ({ url, token: viewer.token }))(['connectors', 'disable', 'generic_rest']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/^error forbidden: /);
  });

  it('under --json, API errors, the CLI’s own and commander’s are one JSON object on stderr', async () => {
    const missing = await runCli(['roles', 'show', 'role_missing', '--json']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(JSON.parse(missing.stderr)).toMatchObject({
      code: 'not_found',
      status: 404,
      request_id: expect.any(String),
    });

    const own = await runCli(['roles', 'update', 'role_x', '--json']);
    expect(JSON.parse(own.stderr)).toEqual({ code: 'cli_error', detail: expect.stringMatching(/^Nothing to change/) });

    const usage = await runCli(['roles', 'create', 'X', '--json']);
    expect(usage.code).toBe(1);
    expect(JSON.parse(usage.stderr)).toEqual({
      code: 'usage_error',
      detail: expect.stringContaining("required option '--capability <names>' not specified"),
    });
    // Without --json, the same failure is a line and the help.
    expect((await runCli(['roles', 'create', 'X'])).stderr).toMatch(/^error: required option/);
  });

  it('audit list shows who did what; --follow prints new entries in the header’s columns', async () => {
    ok(await runCli(['roles', 'create', 'Audited', '--capability', 'view_audit']));
    const listed = ok(await runCli(['audit', 'list', '--action', 'role.create', '--limit', '5']));
    const header = listed.stdout.split('\n')[0] ?? '';
    expect(header).toMatch(/^AT +ACTOR +ACTION +TARGET +OUTCOME +REQUEST$/);
    expect(listed.stdout).toMatch(/ role\.create +role \S+ +success /);

    const follow = startCli(['audit', 'list', '--limit', '1', '--follow', '--interval', '1s']);
    await follow.waitForStdout(/^AT +ACTOR/m);
    ok(await runCli(['roles', 'create', 'A much longer role name than the others', '--capability', 'view_audit']));
    ok(await runCli(['api-keys', 'create', '--name', 'followed', '--role', 'viewer']));
    const out = await follow.waitForStdout(/api_key\.create/);
    await follow.interrupt();
    const lines = out.split('\n').filter(Boolean);
    const head = lines[0] ?? '';
    for (const line of lines.slice(1)) {
      for (const column of ['ACTION', 'TARGET', 'OUTCOME']) {
        // Each row's cell starts where its header does: the character before is a space, the one there is not.
        const at = head.indexOf(column);
        expect(line[at - 1], `${column} in ${line}`).toBe(' ');
        expect(line[at], `${column} in ${line}`).not.toBe(' ');
      }
    }
    expect(lines.some((l) => l.includes('role.create'))).toBe(true);
  });
});
