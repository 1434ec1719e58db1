import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readRecords } from './read.js';
import { byteChunks, collect, records, readError } from '../../../test/helpers/files.js';

const chunks = (text: string | Buffer, size = 7) => byteChunks(text, size);

describe('CSV reading', () => {
  it('reads quoted fields, doubled quotes, line breaks inside quotes and \\r\\n, in any chunking', async () => {
    const text = 'id,name,note\r\n1,"Smith, Jo","said ""hi""\r\nthen left"\r\n2,Ann,\r\n\r\n3,"",plain\r\n';
    for (const size of [1, 2, 3, 5, 64]) {
      expect(await records(chunks(text, size), 'csv')).toEqual([
        { id: '1', name: 'Smith, Jo', note: 'said "hi"\r\nthen left' },
        { id: '2', name: 'Ann', note: null },
        { id: '3', name: '', note: 'plain' },
      ]);
    }
  });

  it('numbers records and lines, in batches of batchSize', async () => {
    const text = 'a\n' + Array.from({ length: 10 }, (_, i) => (i === 3 ? '"x\ny"' : String(i))).join('\n') + '\n';
    const batches = await collect(readRecords(chunks(text), 'csv', {}, { batchSize: 4 }));
    expect(batches.map((b) => [b.firstRecordNumber, b.records.length])).toEqual([
      [1, 4],
      [5, 4],
      [9, 2],
    ]);
    expect(batches.flatMap((b) => b.lineNumbers)).toEqual([2, 3, 4, 5, 7, 8, 9, 10, 11, 12]);
  });

  it('takes the dialect: delimiter, quote, backslash escape, null values, skip rows, no header', async () => {
    const text = "exported by X\n\n#\n1;'it\\'s';NULL\n2;plain;\n";
    expect(
      await records(chunks(text, 3), 'csv', {
        delimiter: ';',
        quote: "'",
        escape: '\\',
        null_values: ['NULL'],
        skip_rows: 3,
        header: false,
      }),
    ).toEqual([
      { column_1: '1', column_2: "it's", column_3: null },
      { column_1: '2', column_2: 'plain', column_3: '' },
    ]);
    expect(await records(chunks('a\tb\n1\t2\n'), 'tsv')).toEqual([{ a: '1', b: '2' }]);
    expect(await records(chunks('1,2\n'), 'csv', { header: false, column_names: ['x', 'y'] })).toEqual([
      { x: '1', y: '2' },
    ]);
  });

  it('names empty and repeated header cells, and reads a last line without a line end', async () => {
    expect(await records(chunks('a,,a\n1,2,3'), 'csv')).toEqual([{ a: '1', column_2: '2', a_2: '3' }]);
    // `__proto__` is a name an object cannot hold as a key: its column is read as `__proto___2`, value intact.
    const [row] = await records(chunks('__proto__,__proto___2,constructor\nx,y,z\n'), 'csv');
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.entries(row as object)).toEqual([
      ['__proto___2', 'x'],
      ['__proto___2_2', 'y'],
      ['constructor', 'z'],
    ]);
  });

  it('converts to the schema and rejects a record whose value does not fit, with its line', async () => {
    const text = 'id,price,active,day,at\n1,9.5,yes,2024-02-29,2024-01-02T03:04:05Z\nx,1,no,2024-02-30,\n3,,t,,\n';
    const batches = await collect(
      readRecords(
        chunks(text),
        'csv',
        {},
        {
          schema: {
            fields: [
              { name: 'id', type: 'integer' },
              { name: 'price', type: 'number' },
              { name: 'active', type: 'boolean' },
              { name: 'day', type: 'date' },
              { name: 'at', type: 'datetime' },
            ],
          },
        },
      ),
    );
    expect(batches.flatMap((b) => b.records)).toEqual([
      { id: 1, price: 9.5, active: true, day: '2024-02-29', at: '2024-01-02T03:04:05Z' },
      { id: 3, price: null, active: true, day: null, at: null },
    ]);
    expect(batches.flatMap((b) => b.rejected ?? [])).toEqual([
      expect.objectContaining({ recordNumber: 2, line: 3, field: 'id', reason: 'id: "x" is not an integer' }),
    ]);
  });

  it('rejects a row with the wrong number of fields; stops on it with invalid: fail', async () => {
    const text = 'a,b\n1,2\n1,2,3\n4,5\n';
    const batches = await collect(readRecords(chunks(text), 'csv'));
    expect(batches.flatMap((b) => b.records)).toEqual([
      { a: '1', b: '2' },
      { a: '4', b: '5' },
    ]);
    expect(batches[0]?.rejected?.[0]).toMatchObject({ line: 3, reason: '3 field(s) where the header has 2' });
    const error = await readError(() => readRecords(chunks(text), 'csv', {}, { invalid: 'fail' }));
    expect(error.message).toBe('line 3 (record 2): 3 field(s) where the header has 2');
  });

  it('names the line and column where a quoted field opened and never closed', async () => {
    const atEnd = await readError(() => readRecords(chunks('a,b\n1,2\n3,"four\n5,6\n'), 'csv'));
    expect(atEnd).toMatchObject({ code: 'unclosed_quote', line: 3, column: 3 });
    expect(atEnd.message).toBe(
      'line 3, column 3: a quoted field is not closed (the file ends 2 line(s) later, inside it)',
    );
    const runsOn = await readError(() => readRecords(chunks('a,b\n1,"two\n3,"4"\n'), 'csv'));
    expect(runsOn.message).toBe(
      'line 2, column 3: a quoted field is not closed (it runs on to line 3, where text follows a quote)',
    );
    const sameLine = await readError(() => readRecords(chunks('a,b\n1,"two"x\n'), 'csv'));
    expect(sameLine).toMatchObject({ code: 'text_after_quote', line: 2, column: 8 });
  });

  it('stops a quote that never closes at the record size limit instead of buffering the file', async () => {
    async function* endless() {
      yield Buffer.from('a,b\n1,"open\n');
      for (let i = 0; i < 10_000; i++) yield Buffer.from('x,y\n'.repeat(256));
    }
    const error = await readError(() => readRecords(endless(), 'csv', {}, { maxRecordChars: 100_000 }));
    expect(error.code).toBe('unclosed_quote');
    expect(error.message).toMatch(/^line 2, column 3: a quoted field is not closed \(it runs past 100,000 characters/);
  });

  it('holds the size limit per row, not per file, whatever the chunking', async () => {
    const text = 'a,b\n' + '12345,"quoted\ntext"\n'.repeat(2000);
    const batches = await collect(readRecords(chunks(text, 7), 'csv', {}, { maxRecordChars: 100 }));
    expect(batches.reduce((n, b) => n + b.records.length, 0)).toBe(2000);
  });

  it('reads from a Node stream, pulling only as batches are consumed (backpressure)', async () => {
    let produced = 0;
    const source = new Readable({
      highWaterMark: 1024,
      read() {
        produced++;
        this.push(produced === 1 ? 'n\n' : produced > 1000 ? null : `${produced}\n`.repeat(100));
      },
    });
    const reader = readRecords(source, 'csv', {}, { batchSize: 10 });
    await reader.next();
    await new Promise((r) => setTimeout(r, 20));
    expect(produced).toBeLessThan(20);
    await reader.return(undefined);
  });
});
