import fs from 'node:fs/promises';
import path from 'node:path';
import { DatabaseTargetError } from '../core/net/database-target.js';

/**
 * Where a SQLite connection's database file is. A tenant names a file; this server opens it. So the name may only
 * reach files inside one directory the operator chose for them (`SWITCHYARD_SQLITE_DIR`; unset, SQLite connections
 * are off), never any other file of this machine:
 * - the path is relative to that directory (an absolute path only when it lies inside it), without `..` segments,
 *   without NUL, not a URI (`file:`) or `:memory:`;
 * - the file, or for a file still to be created its directory, is resolved with every symbolic link followed, and
 *   that real path must lie inside the directory's real path: a link pointing out of it is refused;
 * - the real path is what the driver opens, so no link is followed again between the check and the open.
 * A refusal is a DatabaseTargetError (code destination_blocked), as for a network destination the guard refuses.
 *
 * The one place a SQLite file name is resolved. `files:<file id>` names a file of the tenant's files store instead
 * (an upload, say): it is opened read-only, as a source or for a test call, wherever SWITCHYARD_SQLITE_DIR points (or
 * when it is unset), since it is the tenant's own bytes; a sync cannot write into it (its bytes name it).
 */

export type SqlitePathOptions = {
  /** The directory SQLite files may be in (config.sqliteDir); undefined: the feature is off. */
  root: string | undefined;
  /** A source or a test call: the file must exist. A target may create it (its directory must exist). */
  mustExist: boolean;
  /** Where the bytes of the tenant's stored file with this id are (undefined: no such file); unset: not offered. */
  storedFile?: ((fileId: string) => Promise<string | undefined>) | undefined;
};

const STORED = /^files:(file_[0-9a-z]{10,40})$/;

export async function resolveSqlitePath(input: string, options: SqlitePathOptions): Promise<string> {
  const stored = STORED.exec(input.trim());
  if (stored) return storedFile(stored[1] as string, options);
  if (!options.root)
    throw new DatabaseTargetError(
      'SQLite connections are off on this server: its operator has not set SWITCHYARD_SQLITE_DIR.',
    );
  const name = input.trim();
  if (name === '') throw new DatabaseTargetError('The SQLite connection must name a database file.');
  if (name.includes('\u0000') || name.length > 4096) throw new DatabaseTargetError('The file name is not valid.');
  if (/^file:/i.test(name) || name.startsWith(':'))
    throw new DatabaseTargetError('Name a database file (a path inside the SQLite directory), not a URI.');
  if (name.split(/[/\\]/).includes('..')) throw new DatabaseTargetError('The file name may not contain ".." segments.');

  const root = path.resolve(options.root);
  let realRoot: string;
  try {
    realRoot = await fs.realpath(root);
  } catch {
    throw new DatabaseTargetError('The SQLite directory of this server does not exist.');
  }
  const candidate = path.isAbsolute(name) ? path.normalize(name) : path.join(realRoot, name);
  if (!inside(root, candidate) && !inside(realRoot, candidate))
    throw new DatabaseTargetError('The file must be inside the SQLite directory of this server.');

  const real = await realFile(candidate, options.mustExist);
  if (!inside(realRoot, real))
    throw new DatabaseTargetError('The file is a link to a place outside the SQLite directory of this server.');
  return real;
}

/** The real path of the file, or of its directory joined with its name when it does not exist yet. */
async function realFile(candidate: string, mustExist: boolean): Promise<string> {
  try {
    const real = await fs.realpath(candidate);
    const stat = await fs.stat(real);
    if (!stat.isFile()) throw new DatabaseTargetError('The name is not a file.');
    return real;
  } catch (error) {
    if (error instanceof DatabaseTargetError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  // A dangling link is refused: creating "the file" would create the link's target, wherever it points.
  const link = await fs.lstat(candidate).catch(() => undefined);
  if (link) throw new DatabaseTargetError('The file is a link to a file that does not exist.');
  if (mustExist)
    throw Object.assign(new Error(`There is no database file "${path.basename(candidate)}".`), {
      code: 'SQLITE_CANTOPEN',
    });
  let directory: string;
  try {
    directory = await fs.realpath(path.dirname(candidate));
  } catch {
    throw new DatabaseTargetError('The directory of the file does not exist.');
  }
  return path.join(directory, path.basename(candidate));
}

function inside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative);
}

async function storedFile(fileId: string, options: SqlitePathOptions): Promise<string> {
  if (!options.storedFile) throw new DatabaseTargetError('Files of the files store cannot be opened here.');
  if (!options.mustExist)
    throw new DatabaseTargetError(
      `${fileId} is a file of the files store, read only: name a path in the SQLite directory to write to.`,
    );
  const at = await options.storedFile(fileId);
  if (!at)
    throw Object.assign(new Error(`There is no file ${fileId} in the files store.`), { code: 'SQLITE_CANTOPEN' });
  return at;
}
