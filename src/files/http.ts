import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { ApiError } from '../core/errors.js';
import type { ByteRange } from './blobs.js';

/** What the files routes share: the request fields' schemas, byte ranges, and sending bytes. */
export const nameSchema = z
  .string()
  .min(1)
  .max(255)
  .refine((n) => !/[/\\\0]/.test(n) && n !== '.' && n !== '..', 'a file name, without / \\ or NUL');
export const folderSchema = z.string().max(1024).describe('A folder path such as `/imports/2026`; `/` by default');
export const mediaTypeSchema = z
  .string()
  .max(255)
  .regex(/^[\w.+-]+\/[\w.+-]+$/, 'a media type such as text/csv');
export const ifExistsSchema = z
  .enum(['version', 'rename', 'fail'])
  .describe(
    'When the folder holds a file of that name: add a version of it (default; nothing new for the same bytes), ' +
      'store under "name (2).ext", or answer 409',
  );

/** One `bytes=` range of a file of `size` bytes (suffix and open ranges too); undefined: the whole file. */
export function parseRange(header: string | undefined, size: number): ByteRange | undefined {
  if (!header) return undefined;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  const unsatisfiable = () =>
    new ApiError(
      'range_not_satisfiable',
      `The file has ${size} bytes; ask for one range within them.`,
      {},
      {
        'content-range': `bytes */${size}`,
      },
    );
  if (!match || (match[1] === '' && match[2] === '')) throw unsatisfiable();
  let start: number;
  let end: number;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0) throw unsatisfiable();
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  }
  if (start >= size || end < start) throw unsatisfiable();
  return { start, end };
}

/**
 * A request refused before or while its body is read: the answer closes the connection, so the rest of a large body
 * is not read (nor stored) only to be dropped.
 */
export async function closingOnError<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    throw new ApiError(error.code, error.detail, error.extensions, { ...error.headers, connection: 'close' });
  }
}

export const contentDisposition = (name: string) =>
  `attachment; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;

export const downloadDescription =
  'Answers the bytes with the file’s media type, an `ETag` of its SHA-256 and `Accept-Ranges: bytes`. With ' +
  '`Range: bytes=a-b` (or `a-`, or `-n` for the last n bytes) it answers 206 with that range, so an interrupted ' +
  'download resumes where it stopped; a range outside the file answers 416.';

/** Answer a file's bytes (or the range asked for) with its headers. */
export function sendBytes(
  call: { req: FastifyRequest; reply: FastifyReply; respond: (status: 206) => void },
  bytes: { name: string; size: string; media_type: string; sha256: string },
  read: (range?: ByteRange) => Readable,
): FastifyReply {
  const { req, reply } = call;
  const size = Number(bytes.size);
  const range = parseRange(req.headers.range, size);
  reply
    .header('content-type', bytes.media_type)
    .header('content-disposition', contentDisposition(bytes.name))
    .header('etag', `"${bytes.sha256}"`)
    .header('accept-ranges', 'bytes');
  if (range) {
    call.respond(206);
    reply
      .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
      .header('content-length', String(range.end - range.start + 1));
  } else {
    reply.header('content-length', String(size));
  }
  return reply.send(read(range));
}
