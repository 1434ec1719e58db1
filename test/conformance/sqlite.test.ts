import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../helpers/app.js';

// SQLite's shipped manifest (a driver test on a file) with the SQLite library better-sqlite3 builds: the file must be
// inside the server's SQLite directory (SWITCHYARD_SQLITE_DIR); SQLite's own result codes name what is wrong with it
// (https://sqlite.org/rescode.html).
describe('sqlite conformance', () => {
  let t: TestApp;
  let off: TestApp;
  let dir: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-sqlite-conf-'));
    const file = new Database(path.join(dir, 'crm.sqlite'));
    file.exec('create table contacts (id integer primary key, name text)');
    file.close();
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a database, just text long enough to have a header '.repeat(4));
    t = await createTestApp({ config: { sqliteDir: dir } });
    off = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
    await off?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const connect = (app: TestApp, filePath: string) =>
    app.request({ method: 'POST', url: '/v1/connections', body: { connector: 'sqlite', config: { path: filePath } } });

  it('test: a database file in the directory runs its query; connected, the account is the file name', async () => {
    const res = await connect(t, 'crm.sqlite');
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({ state: 'active', vendor_account_id: 'crm.sqlite' });
  });

  it('test: a missing file (SQLITE_CANTOPEN) and a file that is no database (SQLITE_NOTADB) are vendor errors', async () => {
    const missing = await connect(t, 'nope.sqlite');
    expect([missing.statusCode, missing.data.outcome]).toEqual([
      422,
      expect.objectContaining({ outcome: 'vendor_error', vendor_code: 'SQLITE_CANTOPEN' }),
    ]);
    const text = await connect(t, 'notes.txt');
    expect([text.statusCode, text.data.outcome]).toEqual([
      422,
      expect.objectContaining({ outcome: 'vendor_error', vendor_code: 'SQLITE_NOTADB' }),
    ]);
  });

  it('test: a path out of the directory, and any path when SQLite is off, are destination_blocked', async () => {
    for (const escape of ['../crm.sqlite', path.join(os.tmpdir(), 'x.sqlite'), 'file:crm.sqlite']) {
      const res = await connect(t, escape);
      expect([res.statusCode, res.data.code], escape).toEqual([422, 'destination_blocked']);
    }
    const res = await connect(off, 'crm.sqlite');
    expect([res.statusCode, res.data.code]).toEqual([422, 'destination_blocked']);
    expect(res.data.detail).toContain('SWITCHYARD_SQLITE_DIR');
  });
});
