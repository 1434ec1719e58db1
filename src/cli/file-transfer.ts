import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { unwrap, type components, type SwitchyardClient } from '../../sdk/index.js';
import { CliError } from './errors.js';
import { progressBar, progressLine } from './progress.js';

/**
 * Moving a file's bytes to and from the files store, with a progress bar on stderr: a resumable upload in chunks
 * (`switchyard import`, `switchyard files upload`) and a ranged download that resumes a partial file
 * (`switchyard files download`).
 */
type FileView = components['schemas']['File'];
type IfExists = 'version' | 'rename' | 'fail';

/** Resumable upload chunk: large enough to keep the line busy, small enough that a retry resends little. */
const CHUNK_BYTES = 8 * 2 ** 20;

const bar = (verb: string, name: string, done: number, size: number) =>
  `${verb} ${name} ${progressBar(done, size)} ${(done / 2 ** 20).toFixed(1)} of ${(size / 2 ** 20).toFixed(1)} MB`;

/** Upload in chunks through a resumable upload, resuming from the server's offset when a chunk fails once. */
export async function uploadFile(
  client: SwitchyardClient,
  file: string,
  options: { folder: string; name?: string; ifExists?: IfExists },
): Promise<FileView> {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new CliError(`${file} is not a file.`);
  const size = fs.statSync(file).size;
  if (size === 0) throw new CliError(`${file} is empty.`);
  const name = options.name ?? path.basename(file);
  const upload = await unwrap(
    client.POST('/v1/files/uploads', {
      body: { name, folder: options.folder, size, ...(options.ifExists ? { if_exists: options.ifExists } : {}) },
    }),
  );
  const line = progressLine({ everyMs: 2000 });
  let offset = 0;
  let retried = false;
  for (;;) {
    const end = Math.min(size, offset + CHUNK_BYTES);
    const chunk = await readRange(file, offset, end);
    const res = await client.PATCH('/v1/files/uploads/{id}', {
      params: { path: { id: upload.id } },
      headers: { 'content-type': 'application/offset+octet-stream', 'upload-offset': String(offset) },
      body: chunk as never,
      bodySerializer: (body: unknown) => body as never,
    });
    if (res.error) {
      if (retried) return unwrap(Promise.resolve(res)) as never;
      // Once: ask where the server is and go on from there (a dropped connection, an answer lost).
      retried = true;
      const at = await unwrap(client.GET('/v1/files/uploads/{id}', { params: { path: { id: upload.id } } }));
      offset = at.offset;
      continue;
    }
    retried = false;
    offset = res.data.offset;
    line.update(bar('Uploading', name, offset, size));
    if (res.data.file) {
      line.done(bar('Uploading', name, size, size));
      return res.data.file;
    }
  }
}

async function readRange(file: string, start: number, end: number): Promise<Buffer> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const buffer = Buffer.alloc(end - start);
    await handle.read(buffer, 0, buffer.length, start);
    return buffer;
  } finally {
    await handle.close();
  }
}

async function hashFile(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Download one version of a file to `to`, streamed. When `to` already holds the first bytes (an interrupted
 * download), only the rest is asked for (`Range`) and appended; the whole is then checked against the SHA-256.
 * Answers whether it resumed, and from which byte.
 */
export async function downloadFile(
  client: SwitchyardClient,
  file: FileView,
  version: number,
  sha256: string,
  size: number,
  to: string,
): Promise<{ resumedFrom: number }> {
  const have = fs.existsSync(to) ? fs.statSync(to).size : 0;
  // More than the file holds: not a part of this version; start again.
  const from = have > 0 && have <= size ? have : 0;
  const line = progressLine({ everyMs: 2000 });
  let done = from;
  if (from < size) {
    const body = (await unwrap(
      client.GET('/v1/files/{id}/versions/{version}/content', {
        params: { path: { id: file.id, version } },
        ...(from > 0 ? { headers: { range: `bytes=${from}-` } } : {}),
        parseAs: 'stream',
      }),
    )) as unknown as ReadableStream<Uint8Array>;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, next) {
        done += chunk.length;
        line.update(bar('Downloading', file.name, done, size));
        next(null, chunk);
      },
    });
    await pipeline(Readable.fromWeb(body as never), count, fs.createWriteStream(to, { flags: from > 0 ? 'a' : 'w' }));
  }
  line.done(bar('Downloading', file.name, size, size));
  if ((await hashFile(to)) !== sha256) {
    throw new CliError(`${to} does not match the file's SHA-256 (${sha256}); delete it and download again.`);
  }
  return { resumedFrom: from };
}
