import { TextDecoder } from 'node:util';
import type { Encoding } from './formats.js';
import { FileFormatError } from './errors.js';

/**
 * Bytes → text, streamed: one TextDecoder in streaming mode, so a character split across two chunks decodes whole and
 * memory stays one chunk. UTF-8 and UTF-16 decode with `fatal`: bytes that are not the encoding stop the read with
 * the line they are on, never a silent U+FFFD. Before any text, the first bytes are checked: a byte order mark picks
 * the encoding under `auto` (and contradicts an explicit one: an error), and an archive, image or PDF is refused as
 * "not text" instead of being parsed as a one-column CSV of garbage.
 */

/** What the input of a reader may be: a Node stream or any async iterable of byte chunks (or already-decoded text). */
export type ByteInput = AsyncIterable<Uint8Array | string>;

const boms: { encoding: 'utf-8' | 'utf-16le' | 'utf-16be'; bytes: number[] }[] = [
  { encoding: 'utf-8', bytes: [0xef, 0xbb, 0xbf] },
  { encoding: 'utf-16le', bytes: [0xff, 0xfe] },
  { encoding: 'utf-16be', bytes: [0xfe, 0xff] },
];

/** Signatures of files that are not text at all (a reader refuses them; detect.ts names them). */
export const binarySignatures: { name: string; bytes: number[] }[] = [
  { name: 'a gzip archive', bytes: [0x1f, 0x8b] },
  { name: 'a zip archive (or an Excel/OpenDocument file)', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { name: 'a PDF document', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { name: 'a PNG image', bytes: [0x89, 0x50, 0x4e, 0x47] },
  { name: 'a JPEG image', bytes: [0xff, 0xd8, 0xff] },
  { name: 'a bzip2 archive', bytes: [0x42, 0x5a, 0x68] },
  { name: 'a 7-Zip archive', bytes: [0x37, 0x7a, 0xbc, 0xaf] },
  { name: 'an xz archive', bytes: [0xfd, 0x37, 0x7a, 0x58, 0x5a] },
  { name: 'a Parquet file', bytes: [0x50, 0x41, 0x52, 0x31] },
  { name: 'an old Excel (OLE2) file', bytes: [0xd0, 0xcf, 0x11, 0xe0] },
];

const startsWith = (bytes: Uint8Array, prefix: number[]) =>
  bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);

export function bomEncoding(bytes: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' | undefined {
  return boms.find((b) => startsWith(bytes, b.bytes))?.encoding;
}

export function binaryKind(bytes: Uint8Array): string | undefined {
  return binarySignatures.find((s) => startsWith(bytes, s.bytes))?.name;
}

/** Decode a byte stream to text chunks; see the module comment. */
export async function* decodeText(input: ByteInput, encoding: Encoding): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let label = '';
  let head: Uint8Array | undefined; // the first bytes, held until there are enough to read a byte order mark
  let lines = 0; // newlines in the text decoded so far, to name the line of a bad byte
  let lastLineStart = ''; // the text since the last newline, for the column of a bad byte

  const open = (first: Uint8Array) => {
    const kind = binaryKind(first);
    if (kind) throw new FileFormatError('not_text', `the file is ${kind}, not text`, { line: 1 });
    const bom = bomEncoding(first);
    const chosen = encoding === 'auto' ? (bom ?? 'utf-8') : encoding;
    if (bom && bom !== chosen && !(bom === 'utf-8' && chosen === 'utf-8'))
      throw new FileFormatError(
        'encoding_mismatch',
        `the file starts with a ${bom.toUpperCase()} byte order mark, but its encoding is set to ${chosen}`,
        { line: 1 },
      );
    label = chosen === 'latin1' ? 'windows-1252' : chosen;
    // windows-1252 maps every byte: there is nothing to be fatal about.
    decoder = new TextDecoder(label, { fatal: label !== 'windows-1252' });
  };

  const decode = (bytes: Uint8Array, stream: boolean): string => {
    let text: string;
    try {
      text = (decoder as TextDecoder).decode(bytes, { stream });
    } catch {
      throw encodingError(bytes);
    }
    if (text.indexOf('\0') !== -1) {
      const at = text.indexOf('\0');
      const before = text.slice(0, at);
      throw new FileFormatError(
        'not_text',
        'a NUL character: the file is binary, or UTF-16 without a byte order mark, not text in ' + label,
        { line: lines + countNewlines(before) + 1 },
      );
    }
    const n = countNewlines(text);
    if (n > 0) {
      lines += n;
      lastLineStart = text.slice(text.lastIndexOf('\n') + 1);
    } else if (lastLineStart.length < 10_000) lastLineStart += text;
    return text;
  };

  const encodingError = (bytes: Uint8Array): FileFormatError => {
    // Find the first bad sequence in this chunk (only UTF-8 is located exactly; a chunk whose trouble is a sequence
    // begun in the previous chunk points at the chunk's start), and count the lines before it.
    let line = lines + 1;
    let column: number | undefined;
    if (label === 'utf-8') {
      const at = Math.max(0, invalidUtf8Offset(bytes));
      const before = new TextDecoder('utf-8').decode(bytes.subarray(0, at));
      line += countNewlines(before);
      const tail =
        before.lastIndexOf('\n') === -1 ? lastLineStart + before : before.slice(before.lastIndexOf('\n') + 1);
      column = [...tail].length + 1;
    }
    return new FileFormatError(
      'invalid_encoding',
      `the bytes here are not valid ${label}; is the file in another encoding?`,
      {
        line,
        column,
      },
    );
  };

  for await (const chunk of input) {
    if (typeof chunk === 'string') {
      if (chunk.length > 0) yield chunk;
      continue;
    }
    let bytes: Uint8Array = chunk;
    if (!decoder) {
      head = head ? concat(head, bytes) : bytes;
      if (head.length < 5) continue;
      bytes = head;
      head = undefined;
      open(bytes);
    }
    const text = decode(bytes, true);
    if (text.length > 0) yield text;
  }
  if (!decoder) {
    if (!head || head.length === 0) return;
    open(head);
    // In streaming mode, then flushed: Node 20 decodes windows-1252 as latin1 outside streaming mode.
    const text = decode(head, true) + decode(new Uint8Array(0), false);
    if (text.length > 0) yield text;
    return;
  }
  const rest = decode(new Uint8Array(0), false);
  if (rest.length > 0) yield rest;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

export function countNewlines(text: string): number {
  let n = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) n++;
  return n;
}

/**
 * The offset of the first invalid UTF-8 sequence in a chunk, or -1. Leading continuation bytes (the end of a
 * character begun in the previous chunk) are skipped; a sequence cut off by the chunk's end is not invalid.
 */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < 3 && i < bytes.length && ((bytes[i] as number) & 0xc0) === 0x80) i++;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    if (i + need >= bytes.length) {
      // Cut off by the chunk's end: invalid only if what is there is already wrong.
      for (let k = 1; i + k < bytes.length; k++) if (((bytes[i + k] as number) & 0xc0) !== 0x80) return i;
      return -1;
    }
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k] as number;
      if ((c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
