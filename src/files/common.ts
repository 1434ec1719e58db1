import type { Queryable } from '../core/db/port.js';
import { ApiError } from '../core/errors.js';
import type { FileRow, FileSource, IfExists } from './sql.js';

/** What the files store's parts share: names and folders as stored, its limits' errors, its write contract. */
export type FileMeta = {
  name: string;
  folder?: string;
  mediaType?: string;
  source: FileSource;
  createdBy: string | null;
};

/** What to do when the folder already holds a file of that name (default `version`). */
export type WriteOptions = { ifExists?: IfExists; replace?: string };

export type StoreOutcome = { file: FileRow; created: boolean; newVersion: boolean };

export const DEFAULT_MEDIA_TYPE = 'application/octet-stream';

/** A folder path as stored: `/`, or `/a/b` (no trailing slash, no empty, `.` or `..` segments). */
export function normaliseFolder(folder: string | undefined): string {
  if (folder === undefined || folder === '' || folder === '/') return '/';
  const parts = folder.split('/').filter((p) => p !== '');
  if (parts.some((p) => p === '.' || p === '..' || p.includes('\\') || p.includes('\0'))) {
    throw new ApiError('validation_failed', 'A folder may not contain ".", ".." segments, \\ or NUL.', {
      errors: [{ path: 'folder', message: 'no . or .. segments, \\ or NUL' }],
    });
  }
  return `/${parts.join('/')}`;
}

/** A file name: no `/`, `\` or NUL, not `.` or `..`, at most 255 characters. */
export function checkName(name: string): string {
  if (name === '' || name.length > 255 || /[/\\\0]/.test(name) || name === '.' || name === '..') {
    throw new ApiError('validation_failed', 'A file name may not be empty, "." or "..", nor hold / \\ or NUL.', {
      errors: [{ path: 'name', message: 'a file name, without / \\ or NUL' }],
    });
  }
  return name;
}

export function tooLarge(maxBytes: number): ApiError {
  return new ApiError('body_too_large', `Files may hold at most ${maxBytes} bytes (SWITCHYARD_MAX_FILE_SIZE).`, {
    limit: maxBytes,
  });
}

export type FileStoreCore = {
  maxBytes: number;
  record: (
    tenantId: string,
    local: string,
    content: { sha256: string; size: number },
    meta: FileMeta & WriteOptions,
    inTx?: (tx: Queryable, outcome: StoreOutcome) => Promise<void>,
  ) => Promise<StoreOutcome>;
  writeLimited: (
    input: AsyncIterable<Uint8Array>,
    file: string,
    position: number,
    limit: { bytes: number; error: () => ApiError },
  ) => Promise<number>;
  ensureRoom: (tenantId: string, bytes: number) => Promise<void>;
};
