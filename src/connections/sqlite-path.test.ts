import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSqlitePath } from './sqlite-path.js';

/** A SQLite connection names a file; only files inside the server's SQLite directory may be opened. */

let base: string;
let root: string;

beforeAll(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-sqlite-path-'));
  root = path.join(base, 'sqlite');
  fs.mkdirSync(path.join(root, 'crm'), { recursive: true });
  fs.writeFileSync(path.join(root, 'crm', 'contacts.sqlite'), '');
  fs.writeFileSync(path.join(base, 'secret.sqlite'), 'outside');
  fs.mkdirSync(path.join(base, 'elsewhere'));
  fs.symlinkSync(path.join(base, 'secret.sqlite'), path.join(root, 'escape.sqlite'));
  fs.symlinkSync(path.join(base, 'elsewhere'), path.join(root, 'door'));
  fs.symlinkSync(path.join(root, 'crm', 'contacts.sqlite'), path.join(root, 'alias.sqlite'));
  fs.symlinkSync(path.join(base, 'nothing-yet.sqlite'), path.join(root, 'dangling.sqlite'));
});
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

const resolve = (name: string, mustExist = true) => resolveSqlitePath(name, { root, mustExist });
const refused = (name: string, message: RegExp, mustExist = true) =>
  expect(resolve(name, mustExist)).rejects.toMatchObject({
    code: 'destination_blocked',
    message: expect.stringMatching(message),
  });

describe('resolveSqlitePath', () => {
  it('opens files inside the directory, by a relative path or an absolute one inside it, links within it followed', async () => {
    const file = fs.realpathSync(path.join(root, 'crm', 'contacts.sqlite'));
    expect(await resolve('crm/contacts.sqlite')).toBe(file);
    expect(await resolve('./crm//contacts.sqlite')).toBe(file);
    expect(await resolve(path.join(root, 'crm', 'contacts.sqlite'))).toBe(file);
    expect(await resolve('alias.sqlite')).toBe(file);
  });

  it('is off without a directory', async () => {
    await expect(resolveSqlitePath('crm/contacts.sqlite', { root: undefined, mustExist: true })).rejects.toMatchObject({
      code: 'destination_blocked',
      message: expect.stringContaining('SWITCHYARD_SQLITE_DIR'),
    });
  });

  it('refuses "..", absolute paths outside, URIs, :memory: and empty names', async () => {
    await refused('../secret.sqlite', /"\.\."/);
    await refused('crm/../../secret.sqlite', /"\.\."/);
    await refused('crm\\..\\..\\secret.sqlite', /"\.\."/);
    await refused(path.join(base, 'secret.sqlite'), /inside the SQLite directory/);
    await refused('/etc/passwd', /inside the SQLite directory/);
    await refused('file:crm/contacts.sqlite?mode=ro', /not a URI/);
    await refused(':memory:', /not a URI/);
    await refused('  ', /must name a database file/);
    await refused('crm/contacts.sqlite\u0000.txt', /not valid/);
  });

  it('refuses links that lead out of the directory, to a file or through a directory, and dangling links', async () => {
    await refused('escape.sqlite', /link to a place outside/);
    await refused('door/new.sqlite', /link to a place outside/, false);
    await refused('dangling.sqlite', /link to a file that does not exist/, false);
    expect(fs.existsSync(path.join(base, 'nothing-yet.sqlite'))).toBe(false);
  });

  it('a missing file: an error for a source, a path in the (real) directory for a target; a directory is no file', async () => {
    await expect(resolve('crm/missing.sqlite')).rejects.toMatchObject({ code: 'SQLITE_CANTOPEN' });
    expect(await resolve('crm/new.sqlite', false)).toBe(
      path.join(fs.realpathSync(path.join(root, 'crm')), 'new.sqlite'),
    );
    await refused('crm', /not a file/);
    await refused('nowhere/new.sqlite', /directory of the file does not exist/, false);
  });
});
