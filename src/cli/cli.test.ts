import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliMainFile } from '../../test/helpers/cli.js';
import { createTestDb, type TestDb } from '../../test/helpers/db.js';
import { initialisedDataDir } from '../../test/helpers/serve-process.js';
import { bootstrap } from '../access/bootstrap.js';
import { loadConfig } from '../core/config.js';
import { openDatabase } from '../core/db/open.js';
import { randomToken } from '../core/ids.js';
import { buildApp, type App } from '../server/app.js';
import { serve } from '../server/serve.js';
import { keyringFromText, loadKeyring, masterKeyFile } from '../vault/keyring.js';
import { resolveSecretReferences } from '../vault/secrets/references.js';
import { createVault } from '../vault/vault.js';

type CliResult = { code: number; stdout: string; stderr: string };

/** Run the real CLI in a child process, with only the environment given (nothing leaks in from the test run). */
function runCli(args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<CliResult> {
  const inherited = Object.entries(process.env).filter(
    ([k]) => !k.startsWith('SWITCHYARD_') && !['DATABASE_URL', 'PORT', 'HOST'].includes(k),
  );
  const child = spawn(process.execPath, [cliMainFile(), ...args], {
    env: { ...Object.fromEntries(inherited), ...options.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // Always close stdin: an open pipe is "piped input" that never ends.
  child.stdin.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** A listening server on the test database, with a key file in a temp dir as `switchyard serve` would have. */
let testDb: TestDb;
let built: App;
let dataDir: string;
let url: string;
let admin: string;
let tenantId: string;

const api = (args: string[], options: { token?: string; input?: string; env?: Record<string, string> } = {}) =>
  runCli(args, {
    env: { SWITCHYARD_URL: url, SWITCHYARD_TOKEN: options.token ?? admin, ...options.env },
    ...(options.input !== undefined ? { input: options.input } : {}),
  });
const json = <T>(result: CliResult): T => {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
};
const tableRow = (stdout: string, first: string) => stdout.split('\n').find((l) => l.startsWith(`${first} `)) ?? '';

beforeAll(async () => {
  testDb = await createTestDb();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-cli-'));
  const keyring = loadKeyring({ masterKey: undefined, dataDir });
  built = await buildApp({
    config: loadConfig({}),
    db: testDb.db,
    log: pino({ level: 'silent' }),
    keyring,
    processMetrics: false,
  });
  admin = randomToken('syk_');
  const boot = await bootstrap(testDb.db, built.vault, admin);
  if (!boot.created) throw new Error('bootstrap did not run');
  tenantId = boot.tenantId;
  url = await built.app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await built?.close();
  await testDb?.drop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('switchyard CLI against a running server', () => {
  it('api-keys create, list and revoke, as JSON and as tables', async () => {
    const created = json<{ api_key: { id: string; status: string }; token: string }>(
      await api(['api-keys', 'create', '--name', 'ci-deploy', '--role', 'viewer', '--json', '--rate-limit', '600']),
    );
    expect(created.token).toMatch(/^syk_/);
    const me = await fetch(`${url}/v1/me`, { headers: { authorization: `Bearer ${created.token}` } });
    expect(((await me.json()) as { role: string }).role).toBe('viewer');

    const table = await api(['api-keys', 'create', '--name', 'nightly', '--role', 'editor', '--expires-in-days', '7']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('store it now');
    expect(table.stdout).toMatch(/^ {2}syk_[0-9a-z]{48}$/m);

    const listed = await api(['api-keys', 'list']);
    const header = listed.stdout.split('\n')[0] ?? '';
    expect(header).toMatch(/^ID +NAME +PREFIX +ROLE +STATUS +EXPIRES +LAST USED$/);
    const row = tableRow(listed.stdout, created.api_key.id);
    // Aligned: each value starts under its header.
    expect(row.indexOf('ci-deploy')).toBe(header.indexOf('NAME'));
    expect(row.indexOf('viewer')).toBe(header.indexOf('ROLE'));

    const revoked = json<{ status: string }>(await api(['api-keys', 'revoke', created.api_key.id, '--json']));
    expect(revoked.status).toBe('revoked');
    const active = json<{ id: string }[]>(await api(['api-keys', 'list', '--json']));
    expect(active.map((k) => k.id)).not.toContain(created.api_key.id);
    const all = json<{ id: string; status: string }[]>(await api(['api-keys', 'list', '--all', '--json']));
    expect(all.find((k) => k.id === created.api_key.id)?.status).toBe('revoked');
    expect((await fetch(`${url}/v1/me`, { headers: { authorization: `Bearer ${created.token}` } })).status).toBe(401);
  });

  it('users create takes the password from stdin or SWITCHYARD_NEW_PASSWORD and never prompts', async () => {
    const piped = await api(['users', 'create', '--email', 'ann@example.com', '--role', 'editor', '--name', 'Ann'], {
      input: 'correct horse battery\n',
    });
    expect(piped.stderr).toBe('');
    expect(piped.stdout).toMatch(/^Created user ann@example\.com \(usr_\w+\) with role editor\.$/m);
    const signIn = await fetch(`${url}/v1/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ann@example.com', password: 'correct horse battery' }),
    });
    expect(signIn.status).toBe(201);

    const fromEnv = json<{ id: string; email: string; role: string }>(
      await api(['users', 'create', '--email', 'bob@example.com', '--role', 'viewer', '--json'], {
        env: { SWITCHYARD_NEW_PASSWORD: 'another long password' },
      }),
    );
    expect(fromEnv).toMatchObject({ email: 'bob@example.com', role: 'viewer' });

    const none = await api(['users', 'create', '--email', 'cy@example.com', '--role', 'viewer']);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain('--password, SWITCHYARD_NEW_PASSWORD or on standard input');
    const listed = await api(['users', 'list']);
    expect(listed.stdout).toContain('ann@example.com');
    expect(listed.stdout).not.toContain('cy@example.com');

    const deleted = await api(['users', 'delete', fromEnv.id]);
    expect(deleted.stdout).toContain(`Deleted user ${fromEnv.id}`);
    expect((await api(['users', 'list'])).stdout).not.toContain('bob@example.com');
  });

  it('tenants create, list, disable and enable; --tenant acts inside one', async () => {
    const created = await api(['tenants', 'create', 'Acme Corp', '--slug', 'acme']);
    expect(created.stdout).toMatch(/^Created tenant acme \(ten_\w+\)\.$/m);
    const listed = await api(['tenants', 'list']);
    expect(listed.stdout).toMatch(/^ten_\w+ +acme +Acme Corp +active +- /m);

    expect(json<{ disabled: boolean }>(await api(['tenants', 'disable', 'acme', '--json'])).disabled).toBe(true);
    expect((await api(['tenants', 'list'])).stdout).toMatch(/ acme +Acme Corp +disabled /);
    expect((await api(['tenants', 'enable', 'acme'])).stdout).toMatch(/^Enabled tenant acme/m);
    expect((await api(['tenants', 'features', 'acme'])).stdout).toMatch(/^acme: no features$/m);
    expect((await api(['tenants', 'features', 'acme', '--add', 'financial_data'])).stdout).toMatch(
      /^acme: financial_data$/m,
    );
    expect((await api(['tenants', 'list'])).stdout).toMatch(/ acme +Acme Corp +active +financial_data /);
    const wrong = await api(['tenants', 'features', 'acme', '--add', 'time_travel']);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/validation_failed|features/);
    expect((await api(['tenants', 'features', 'acme', '--remove', 'financial_data'])).stdout).toMatch(
      /^acme: no features$/m,
    );

    const inAcme = await api(['secrets', 'set', 'ACME_TOKEN', '--tenant', 'acme', '--value', 'acme-only']);
    expect(inAcme.code).toBe(0);
    expect((await api(['secrets', 'list', '--tenant', 'acme'])).stdout).toContain('ACME_TOKEN');
    expect((await api(['secrets', 'list'])).stdout).not.toContain('ACME_TOKEN');
  });

  it('secrets set from stdin or --value, list shows versions but never values', async () => {
    const first = await api(['secrets', 'set', 'STRIPE_KEY', '--description', 'live key'], { input: 'sk_live_1\n' });
    expect(first.stdout).toContain('Created secret STRIPE_KEY (version 1); use it as {{secrets.STRIPE_KEY}}.');
    const second = await api(['secrets', 'set', 'STRIPE_KEY', '--value', 'sk_live_2']);
    expect(second.stdout).toContain('Stored secret STRIPE_KEY as version 2.');

    const listed = await api(['secrets', 'list']);
    expect(listed.stdout.split('\n')[0]).toMatch(/^NAME +VERSION +UPDATED +REFERENCE +DESCRIPTION$/);
    expect(listed.stdout).toMatch(/^STRIPE_KEY +2 +.+live key$/m);
    expect(listed.stdout).not.toContain('sk_live');
    const text = '{{secrets.STRIPE_KEY@1}} {{secrets.STRIPE_KEY}}';
    expect(await resolveSecretReferences(testDb.db, built.vault, tenantId, text)).toBe('sk_live_1 sk_live_2');

    expect((await api(['secrets', 'delete', 'STRIPE_KEY'])).stdout).toContain('Deleted secret STRIPE_KEY.');
    expect((await api(['secrets', 'list'])).stdout).not.toContain('STRIPE_KEY');

    const empty = await api(['secrets', 'set', 'EMPTY']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('Give the value with --value or on standard input');
  });

  it('keys rotate --url re-wraps online; secrets open with the new key file alone', async () => {
    await api(['secrets', 'set', 'ROTATE_ME', '--value', 'before-rotation']);
    const oldKey = fs.readFileSync(masterKeyFile(dataDir), 'utf8').trim();
    const oldId = keyringFromText(oldKey, 'environment', 'old').active.id;

    const rotated = await api(['keys', 'rotate', '--json']);
    expect(rotated.code).toBe(0);
    expect(rotated.stderr).toContain(`Rotating the master key on ${url}`);
    const report = JSON.parse(rotated.stdout) as { mode: string; from: string; to: string; rewrapped: number };
    expect(report).toMatchObject({ mode: 'server', from: oldId });
    expect(report.to).not.toBe(oldId);
    expect(report.rewrapped).toBeGreaterThanOrEqual(1);

    const fileKeys = fs.readFileSync(masterKeyFile(dataDir), 'utf8').trim().split('\n');
    expect(fileKeys).toHaveLength(1);
    expect(fileKeys[0]).not.toBe(oldKey);
    // The running server still opens it, and so does a fresh vault holding only the new key file.
    expect(await resolveSecretReferences(testDb.db, built.vault, tenantId, '{{secrets.ROTATE_ME}}')).toBe(
      'before-rotation',
    );
    const fresh = createVault({ db: testDb.db, keyring: loadKeyring({ masterKey: undefined, dataDir }) });
    await fresh.verifyMasterKey();
    expect(await resolveSecretReferences(testDb.db, fresh, tenantId, '{{secrets.ROTATE_ME}}')).toBe('before-rotation');
    const stale = createVault({ db: testDb.db, keyring: keyringFromText(oldKey, 'environment', 'old') });
    await expect(stale.verifyMasterKey()).rejects.toThrow(/does not match this database/);

    const status = await api(['keys', 'status']);
    expect(status.stdout).toContain(`Active master key: ${report.to} (from the key file)`);
    expect(status.stdout).toMatch(new RegExp(`^${oldId} +retired +0 `, 'm'));
  });

  it('reports API errors as "error <code>: <detail>" on stderr with exit code 1', async () => {
    const bad = await api(['api-keys', 'list'], { token: 'syk_not_a_real_token_at_all_000000' });
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/^error invalid_credentials: The API key is not valid\.$/m);

    const none = await runCli(['tenants', 'list'], { env: { SWITCHYARD_URL: url } });
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^error unauthenticated: /m);
    expect(none.stderr).toContain('hint: pass --token or set SWITCHYARD_TOKEN');

    const missing = await api(['users', 'delete', 'usr_missing']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error not_found: User usr_missing does not exist/m);
  });
});

describe('switchyard start-up', () => {
  // Every CLI command is a process of its own (the tests start hundreds): the server's dependencies (zod for the
  // configuration, undici for the SSRF guard, the YAML parser) load only in the commands that use them.
  it('loads no package beyond commander and openapi-fetch to parse a command line', async () => {
    const hook = `export async function resolve(specifier, context, next) {
      const resolved = await next(specifier, context);
      const inPackage = /\\/node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(resolved.url);
      if (inPackage) process._rawDebug('package ' + inPackage[1]);
      return resolved;
    }`;
    const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
    const child = spawn(process.execPath, [
      '--import',
      `data:text/javascript,${encodeURIComponent(register)}`,
      cliMainFile(),
      '--help',
    ]);
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(0);
    const packages = new Set([...stderr.matchAll(/^package (\S+)$/gm)].map((m) => m[1]));
    expect(packages.has('commander'), 'the hook saw the CLI load its packages').toBe(true);
    expect([...packages].sort()).toEqual(['commander', 'openapi-fetch']);
  });
});

describe('switchyard keys without a server', () => {
  it('keys generate prints a fresh 32-byte base64 master key', async () => {
    const [a, b] = await Promise.all([runCli(['keys', 'generate']), runCli(['keys', 'generate', '--json'])]);
    const key = a.stdout.trim();
    expect(Buffer.from(key, 'base64')).toHaveLength(32);
    expect(Buffer.from(key, 'base64').toString('base64')).toBe(key);
    expect(() => keyringFromText(key, 'environment', 'generated')).not.toThrow();
    expect((JSON.parse(b.stdout) as { key: string }).key).not.toBe(key);
  });

  it('keys rotate on a stopped embedded data dir re-wraps offline and refuses while a server holds it', async () => {
    const dir = initialisedDataDir('switchyard-rotate-');
    const token = randomToken('syk_');
    const env = { SWITCHYARD_DATA_DIR: dir, SWITCHYARD_ADMIN_TOKEN: token, PORT: '0', SWITCHYARD_LOG_LEVEL: 'silent' };
    const direct = { env: { SWITCHYARD_DATA_DIR: dir } };
    try {
      let server = await serve(loadConfig(env));
      const created = await runCli(['secrets', 'set', 'OFFLINE', '--value', 'kept'], {
        env: { SWITCHYARD_URL: server.url, SWITCHYARD_TOKEN: token },
      });
      expect(created.code).toBe(0);
      const busy = await runCli(['keys', 'rotate'], direct);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toContain('is in use by another Switchyard process');
      expect(busy.stderr).toContain('switchyard keys rotate --url');
      await server.stop();

      const oldKey = fs.readFileSync(masterKeyFile(dir), 'utf8').trim();
      const oldId = keyringFromText(oldKey, 'environment', 'old').active.id;
      const rotated = await runCli(['keys', 'rotate'], direct);
      expect(rotated.code).toBe(0);
      expect(rotated.stdout).toMatch(new RegExp(`^Rotated the master key: ${oldId} → mk_\\w+\\.$`, 'm'));
      expect(rotated.stdout).toMatch(/^Re-wrapped 1 data key\(s\); dropped 1 wrap\(s\) under the old key\.$/m);
      expect(rotated.stderr).toContain('re-wrapped 1 of 1 data keys');
      const newKeys = fs.readFileSync(masterKeyFile(dir), 'utf8').trim().split('\n');
      expect(newKeys).toHaveLength(1);
      expect(newKeys[0]).not.toBe(oldKey);

      // The server starts again on the new key file (it checks the key opens every data key first).
      server = await serve(loadConfig(env));
      const res = await fetch(`${server.url}/v1/secrets/OFFLINE`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      await server.stop();
      await expectSecretOpens(dir, oldKey);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Open the secret with the key file alone, and show the old key no longer opens the database. */
async function expectSecretOpens(dir: string, oldKey: string) {
  const db = await openDatabase(loadConfig({ SWITCHYARD_DATA_DIR: dir }));
  try {
    const { rows } = await db.query<{ id: string }>("select id from tenants where slug = 'default'");
    const vault = createVault({ db, keyring: loadKeyring({ masterKey: undefined, dataDir: dir }) });
    expect(await resolveSecretReferences(db, vault, rows[0]?.id ?? '', '{{secrets.OFFLINE}}')).toBe('kept');
    const stale = createVault({ db, keyring: keyringFromText(oldKey, 'environment', 'old') });
    await expect(stale.verifyMasterKey()).rejects.toThrow(/does not match this database/);
  } finally {
    await db.close();
  }
}
