import { describe, expect, it } from 'vitest';
import type { FileSchema } from './coerce.js';
import { FileFormatError } from './errors.js';
import type { FileFormat, FormatOptionsInput } from './formats.js';
import { readRecords, type FileRecord } from './read.js';
import { writeRecords } from './write.js';

async function written<F extends FileFormat>(
  batches: FileRecord[][],
  format: F,
  options?: FormatOptionsInput[F],
  columns?: string[],
): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of writeRecords(batches, format, options, columns ? { columns } : {})) parts.push(chunk);
  return Buffer.concat(parts);
}

async function readBack<F extends FileFormat>(
  bytes: Buffer,
  format: F,
  options?: FormatOptionsInput[F],
  schema?: FileSchema,
) {
  async function* chunks() {
    for (let at = 0; at < bytes.length; at += 11) yield bytes.subarray(at, at + 11);
  }
  const out: FileRecord[] = [];
  for await (const b of readRecords(chunks(), format, options, schema ? { schema } : {})) {
    expect(b.rejected ?? []).toEqual([]);
    out.push(...b.records);
  }
  return out;
}

const schema: FileSchema = {
  fields: [
    { name: 'id', type: 'integer' },
    { name: 'name', type: 'string' },
    { name: 'price', type: 'number' },
    { name: 'active', type: 'boolean' },
    { name: 'day', type: 'date' },
    { name: 'at', type: 'datetime' },
    { name: 'meta', type: 'json' },
  ],
};

const rows: FileRecord[] = [
  {
    id: 1,
    name: 'Smith, "Jo"\nline two',
    price: 9.5,
    active: true,
    day: '2024-02-29',
    at: '2024-01-02T03:04:05Z',
    meta: { a: [1, 'x'] },
  },
  { id: 2, name: '', price: null, active: false, day: null, at: null, meta: null },
  {
    id: 3,
    name: 'café & <b>ü</b> €',
    price: -0.25,
    active: null,
    day: '1999-12-31',
    at: '2024-06-01 10:00',
    meta: [true],
  },
];

describe('writing', () => {
  it('round-trips every format: write → read with the schema gives the records back', async () => {
    const cases: [FileFormat, object][] = [
      ['csv', {}],
      ['csv', { delimiter: ';', quote: "'", escape: '\\', null_values: ['NULL'], encoding: 'utf-16le' }],
      ['tsv', { encoding: 'windows-1252' }],
      ['json', {}],
      ['json', { record_path: 'data.items' }],
      ['ndjson', {}],
      ['xml', {}],
      ['xml', { record_element: 'catalog/item', encoding: 'utf-16be' }],
    ];
    for (const [format, options] of cases) {
      const bytes = await written([rows.slice(0, 2), rows.slice(2)], format, options);
      const back = await readBack(bytes, format, options, schema);
      if (format !== 'xml') {
        expect(back, `${format} ${JSON.stringify(options)}`).toEqual(rows);
        continue;
      }
      // XML leaves null out (absent, not null), and what nests inside a field is text: only the schema types it.
      const withoutMeta = ({ meta: _, ...rest }: FileRecord) =>
        Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== null));
      expect(back.map(withoutMeta), `${format} ${JSON.stringify(options)}`).toEqual(rows.map(withoutMeta));
      expect(back.map((r) => r.meta)).toEqual([{ a: ['1', 'x'] }, undefined, true]);
    }
  });

  it('escapes CSV formula injection with a leading quote (text only), and can be told not to', async () => {
    const values = [
      { v: '=HYPERLINK("http://x","click")' },
      { v: '+1' },
      { v: '-2+3' },
      { v: '@SUM(A1)' },
      { v: '\tx' },
      { v: -5 },
      { v: 'a=b' },
    ];
    const escaped = (await written([values], 'csv')).toString();
    expect(escaped).toBe('v\n"\'=HYPERLINK(""http://x"",""click"")"\n\'+1\n\'-2+3\n\'@SUM(A1)\n\'\tx\n-5\na=b\n');
    const raw = (await written([values.slice(1, 2)], 'csv', { escape_formulas: false })).toString();
    expect(raw).toBe('v\n+1\n');
  });

  it('writes an empty string so it reads back as text, not null', async () => {
    const bytes = await written([[{ a: '', b: null }]], 'csv');
    expect(bytes.toString()).toBe('a,b\n"",\n');
    expect(await readBack(bytes, 'csv')).toEqual([{ a: '', b: null }]);
  });

  it('stops on a field outside the columns, a character the encoding lacks, a name XML cannot hold', async () => {
    const unknown = await written([[{ a: 1 }], [{ a: 2, b: 3 }]], 'csv').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(FileFormatError);
    expect((unknown as Error).message).toBe('record 2: field b is not among the columns (1 set at the start)');
    const latin = await written([[{ a: '日本' }]], 'csv', { encoding: 'latin1' }).catch((e: unknown) => e);
    expect((latin as Error).message).toBe('record 1: "日" has no byte in windows-1252; write UTF-8 instead');
    const xml = await written([[{ 'first name': 'x' }]], 'xml').catch((e: unknown) => e);
    expect((xml as Error).message).toMatch(/^record 1: field "first name" is not a valid XML element name/);
    const control = await written([[{ a: 'bell\x07' }]], 'xml').catch((e: unknown) => e);
    expect((control as FileFormatError).code).toBe('unwritable_value');
  });

  it('writes the shapes each format expects', async () => {
    const two = [[{ a: 1 }], [{ a: 2 }]];
    expect((await written(two, 'json', { record_path: 'data' })).toString()).toBe('{"data":[\n{"a":1},\n{"a":2}\n]}\n');
    expect((await written([], 'json')).toString()).toBe('[\n]\n');
    expect((await written(two, 'ndjson')).toString()).toBe('{"a":1}\n{"a":2}\n');
    expect(
      (
        await written([[{ id: 1, '@x': 'y', tags: ['a', 'b'], o: { '#text': 't' } }]], 'xml', { attribute_prefix: '@' })
      ).toString(),
    ).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<records>\n  <record x="y"><id>1</id><tags>a</tags><tags>b</tags><o>t</o></record>\n</records>\n',
    );
    const bom = await written(two, 'csv', { bom: true });
    expect([...bom.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });
});
