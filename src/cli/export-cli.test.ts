import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { createApiKeyConnection } from '../../test/helpers/catalog.js';
import { cliRunner } from '../../test/helpers/cli.js';
import { createRecordStoreTarget } from '../sync/records/target.js';

let t: TestApp;
let url: string;
let dir: string;
let connection: string;
const runCli = cliRunner(() => ({ url, token: t.adminToken }));

beforeAll(async () => {
  t = await createTestApp();
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-export-'));
  connection = await createApiKeyConnection(t);
  const writer = await createRecordStoreTarget({ db: t.db, tenantId: t.tenantId, connectionId: connection }).open({
    name: 'contacts',
    primaryKey: ['id'],
    fields: [],
    fullRefresh: false,
    deletion: { mode: 'soft', maxDeleteShare: 0.5 },
    signal: new AbortController().signal,
    log: () => {},
    executionId: 'ex_export',
  });
  await writer.write(Array.from({ length: 2500 }, (_, i) => ({ id: i + 1, name: i === 7 ? '@SUM(A1)' : `n${i + 1}` })));
  await writer.finish();
});
afterAll(async () => {
  await t?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('switchyard export', () => {
  it('streams a model to a file or stdout in the format asked for, with progress on stderr', async () => {
    const file = path.join(dir, 'contacts.csv');
    // Progress goes to stderr: the run succeeds with it there.
    const written = await runCli(['export', '--connection', connection, '--model', 'contacts', '--output', file]);
    expect(written.code, written.stderr).toBe(0);
    const lines = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/);
    expect(lines).toHaveLength(2501);
    expect(lines[0]).toBe('id,name');
    expect(lines[8]).toBe("8,'@SUM(A1)");
    expect(written.stderr).toMatch(/contacts: [\d.]+ MB, ~2,500 of 2,500 records/);
    expect(written.stderr).toContain(`Wrote ${file}.`);

    const ndjson = await runCli(['export', '--connection', connection, '--model', 'contacts', '--format', 'ndjson']);
    expect(ndjson.code).toBe(0);
    const rows = ndjson.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: number });
    expect(rows).toHaveLength(2500);
    expect(rows[2499]?.id).toBe(2500);

    const unknown = await runCli(['export', '--connection', 'conn_nope', '--model', 'contacts']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/not_found|does not exist/);
    const bad = await runCli(['export', '--connection', connection, '--model', 'contacts', '--format', 'yaml']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--format must be one of/);
  });
});
