import { FileFormatError } from '../../src/sync/files/errors.js';
import { readRecords, type RecordBatch } from '../../src/sync/files/read.js';

/** Text (or bytes) as byte chunks of `size`: small sizes split quotes, \r\n, tags and characters across chunks. */
export async function* byteChunks(text: string | Buffer, size: number): AsyncGenerator<Buffer> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

export async function collect(batches: AsyncIterable<RecordBatch>): Promise<RecordBatch[]> {
  const out: RecordBatch[] = [];
  for await (const b of batches) out.push(b);
  return out;
}

/** Every record a read gives, across its batches. */
export const records = async (...args: Parameters<typeof readRecords>) =>
  (await collect(readRecords(...args))).flatMap((b) => b.records);

/** The FileFormatError a read ends with (anything else is thrown on; a read that ends well fails the test). */
export async function readError(run: () => AsyncIterable<unknown>): Promise<FileFormatError> {
  try {
    for await (const _ of run());
  } catch (error) {
    if (error instanceof FileFormatError) return error;
    throw error;
  }
  throw new Error('the read did not fail');
}
