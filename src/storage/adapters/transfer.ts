import type { Readable } from 'node:stream';
import { ApiError } from '../../core/errors.js';
import { header, safeName, vendorFailure, type Download } from '../adapter.js';

/**
 * What the drive adapters (Graph, Drive, Dropbox, Box) share: a ranged read checked against the answer, upload
 * bodies read whole or cut into chunks, and their own cursors kept opaque.
 */

type Answer = { status: number; headers: Record<string, string | string[] | undefined> };

/** The Range header of a read resumed at `from` (none from the first byte). */
export const rangeFrom = (from: number | undefined): Record<string, string> =>
  from && from > 0 ? { range: `bytes=${from}-` } : {};

/**
 * A 2xx file body as a Download. A 206 must start where it was asked to; a 200 to a ranged ask is the whole file
 * (the vendor ignored the range) and starts at 0, so that the caller starts over.
 */
export function downloadOf(answer: Answer & { body: Readable }, from: number, version?: string): Download {
  let start = 0;
  if (answer.status === 206) {
    const match = /^bytes (\d+)-/.exec(header(answer, 'content-range') ?? '');
    start = match ? Number(match[1]) : Number.NaN;
    if (start !== from) {
      answer.body.destroy();
      throw new ApiError(
        'storage_vendor_error',
        `The vendor answered a read from byte ${from} with bytes from ${match?.[1] ?? 'an unknown place'}.`,
      );
    }
  }
  const length = header(answer, 'content-length');
  return {
    body: answer.body,
    start,
    ...(length !== undefined && /^\d+$/.test(length) ? { length: Number(length) } : {}),
    ...(version !== undefined ? { version } : {}),
  };
}

/** The error for a streamed answer that is not a success (its body read, up to 64 KiB, for the vendor's message). */
export async function streamFailure(answer: Answer & { body: Readable }, what: string): Promise<ApiError> {
  return vendorFailure({ ...answer, body: await bodyOf(answer) }, what);
}

/** A streamed answer's body read whole, up to 64 KiB (an error's body, a small JSON answer). */
export async function bodyOf(answer: { body: Readable }, limit = 65_536): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of answer.body) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size > limit) {
      answer.body.destroy();
      break;
    }
  }
  return Buffer.concat(chunks);
}

/** An upload body read whole: a simple upload, at most `limit` bytes. */
export async function readAll(body: AsyncIterable<Uint8Array>, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) throw new ApiError('validation_failed', `The upload is larger than its announced size.`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/** An upload body cut into pieces of `size` bytes (the last one shorter): an upload session's chunks. */
export async function* chunksOf(body: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let held = 0;
  for await (const chunk of body) {
    pending.push(Buffer.from(chunk));
    held += chunk.length;
    while (held >= size) {
      const whole = Buffer.concat(pending);
      yield whole.subarray(0, size);
      pending = [whole.subarray(size)];
      held -= size;
    }
  }
  if (held > 0) yield Buffer.concat(pending);
}

/** An adapter's own cursor (a folder walk's state), opaque to the caller. */
export const encodeCursor = (state: unknown): string => Buffer.from(JSON.stringify(state)).toString('base64url');

export function decodeCursor<T>(cursor: string, check: (value: unknown) => value is T): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!check(value)) throw new ApiError('validation_failed', 'The cursor is not one this storage handed out.');
  return value;
}

/**
 * A vendor path (`/a/b`, or `a/b` without its leading slash) with each segment (percent-decoded where the vendor
 * encodes them) made safe; `''` for the top.
 */
export function safePath(vendorPath: string, decode: (segment: string) => string = (s) => s): string {
  return vendorPath
    .split('/')
    .filter((s) => s !== '')
    .map((s) => `/${safeName(decode(s))}`)
    .join('');
}
