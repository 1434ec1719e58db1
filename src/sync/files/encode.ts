import { FileFormatError } from './errors.js';
import type { Encoding } from './formats.js';

/**
 * Text → bytes in a file's encoding, for the writers. UTF-16 files always start with a byte order mark (the only way
 * a reader can tell which UTF-16 it is); UTF-8 gets one only when asked (Excel wants it). latin1 is written as
 * windows-1252, as it is read; a character that encoding has no byte for is an error, never a silent `?`.
 */
export type TextEncoder = { bom: Buffer; encode(text: string, record: number): Buffer };

// eslint-disable-next-line no-control-regex -- every ASCII character, control ones included
const ascii = /^[\x00-\x7f]*$/;

/**
 * windows-1252's 0x80–0x9F: the characters it puts where latin1 has control codes (WHATWG Encoding Standard's index;
 * the five bytes it leaves undefined map to the control code itself). Written out, not taken from TextDecoder: Node
 * 20's decoder answers latin1 for these bytes outside streaming mode.
 */
const cp1252 = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];
const cp1252High = new Map(cp1252.map((code, i) => [code, 0x80 + i]));

export function textEncoder(encoding: Encoding, utf8Bom: boolean): TextEncoder {
  switch (encoding) {
    case 'auto':
    case 'utf-8':
      return {
        bom: utf8Bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0),
        encode: (text) => Buffer.from(text, 'utf8'),
      };
    case 'utf-16le':
      return { bom: Buffer.from([0xff, 0xfe]), encode: (text) => Buffer.from(text, 'utf16le') };
    case 'utf-16be':
      return { bom: Buffer.from([0xfe, 0xff]), encode: (text) => Buffer.from(text, 'utf16le').swap16() };
    case 'latin1':
    case 'windows-1252':
      return { bom: Buffer.alloc(0), encode: encodeWindows1252 };
  }
}

function encodeWindows1252(text: string, record: number): Buffer {
  if (ascii.test(text)) return Buffer.from(text, 'latin1');
  const out = Buffer.allocUnsafe(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const byte = c < 0x80 || (c >= 0xa0 && c <= 0xff) ? c : cp1252High.get(c);
    if (byte === undefined)
      throw new FileFormatError(
        'unwritable_value',
        `${JSON.stringify(String.fromCodePoint(text.codePointAt(i) as number))} has no byte in windows-1252; write UTF-8 instead`,
        { record },
      );
    out[i] = byte;
  }
  return out;
}
