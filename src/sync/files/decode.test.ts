import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeText, invalidUtf8Offset } from './decode.js';
import { FileFormatError } from './errors.js';
import { readRecords } from './read.js';

async function* chunks(bytes: Buffer, size = 3): AsyncGenerator<Buffer> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function text(bytes: Buffer, encoding: Parameters<typeof decodeText>[1], size = 3): Promise<string> {
  let out = '';
  for await (const t of decodeText(chunks(bytes, size), encoding)) out += t;
  return out;
}

async function decodeError(bytes: Buffer, encoding: Parameters<typeof decodeText>[1], size = 3) {
  try {
    await text(bytes, encoding, size);
  } catch (error) {
    if (error instanceof FileFormatError) return error;
    throw error;
  }
  throw new Error('decoding did not fail');
}

const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16();

describe('decoding', () => {
  it('reads UTF-8 with or without a BOM, and UTF-16 LE/BE by their BOM, characters split across chunks', async () => {
    const sample = 'naïve,日本,😀\n';
    for (const size of [1, 2, 3, 5]) {
      expect(await text(Buffer.from(sample), 'auto', size)).toBe(sample);
      expect(await text(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(sample)]), 'auto', size)).toBe(
        sample,
      );
      expect(await text(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sample, 'utf16le')]), 'auto', size)).toBe(
        sample,
      );
      expect(await text(Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(sample)]), 'utf-16be', size)).toBe(sample);
    }
  });

  it('reads latin1 / windows-1252', async () => {
    expect(await text(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x20, 0x80]), 'latin1')).toBe('café €');
    expect(await text(Buffer.from([0xe9]), 'windows-1252')).toBe('é');
    expect(await text(Buffer.from([0x80]), 'windows-1252')).toBe('€'); // under 5 bytes: the short path
  });

  it('names the line and column of bytes that are not UTF-8 (a latin1 file read as UTF-8)', async () => {
    const latin1 = Buffer.from('id,name\n1,Zoe\n2,Ren\u00e9e\n', 'latin1');
    for (const size of [1, 4, 64]) {
      const error = await decodeError(latin1, 'utf-8', size);
      expect(error).toMatchObject({ code: 'invalid_encoding', line: 3 });
      if (size === 64)
        expect(error.message).toBe(
          'line 3, column 6: the bytes here are not valid utf-8; is the file in another encoding?',
        );
    }
  });

  it('refuses a BOM that contradicts the encoding, a file that is not text, and NUL characters', async () => {
    const bom = await decodeError(Buffer.from([0xff, 0xfe, 0x61, 0x00]), 'utf-8');
    expect(bom.message).toBe(
      'line 1: the file starts with a UTF-16LE byte order mark, but its encoding is set to utf-8',
    );
    const gzip = await decodeError(gzipSync(Buffer.from('a,b\n1,2\n')), 'auto');
    expect(gzip.message).toBe('line 1: the file is a gzip archive, not text');
    const utf16 = await decodeError(Buffer.from('a,b\n1,2\n', 'utf16le'), 'auto');
    expect(utf16).toMatchObject({ code: 'not_text', line: 1 });
  });

  it('locates invalid UTF-8 sequences, and not a character cut by the chunk end', () => {
    expect(invalidUtf8Offset(Buffer.from('abc'))).toBe(-1);
    expect(invalidUtf8Offset(Buffer.from([0x61, 0xc3]))).toBe(-1);
    expect(invalidUtf8Offset(Buffer.from([0xa9, 0x61]))).toBe(-1); // the end of a character begun before
    expect(invalidUtf8Offset(Buffer.from([0x61, 0xe9, 0x61]))).toBe(1);
    expect(invalidUtf8Offset(Buffer.from([0x61, 0xc0, 0x80]))).toBe(1); // overlong
    expect(invalidUtf8Offset(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // a surrogate
  });

  it('reads a UTF-16 CSV end to end', async () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a;b\r\n1;é\r\n', 'utf16le')]);
    const out = [];
    for await (const b of readRecords(chunks(bytes, 5), 'csv', { delimiter: ';' })) out.push(...b.records);
    expect(out).toEqual([{ a: '1', b: 'é' }]);
  });
});
