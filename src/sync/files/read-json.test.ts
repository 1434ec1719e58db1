import { describe, expect, it } from 'vitest';
import { readRecords } from './read.js';
import { byteChunks, collect, records, readError } from '../../../test/helpers/files.js';

const chunks = (text: string | Buffer, size = 5) => byteChunks(text, size);

describe('JSON reading', () => {
  const doc = JSON.stringify(
    {
      meta: { count: 2, items: ['not', 'these'], note: 'a "quoted" \\ text with ] and }' },
      data: {
        items: [
          { id: 1, tags: ['a', { b: '}' }] },
          { id: 2, name: 'é\u2028"' },
        ],
        next: null,
      },
    },
    null,
    2,
  );

  it('reads the records at a record path, skipping everything else, in any chunking', async () => {
    for (const size of [1, 3, 16, 4096]) {
      expect(await records(chunks(doc, size), 'json', { record_path: 'data.items' })).toEqual([
        { id: 1, tags: ['a', { b: '}' }] },
        { id: 2, name: 'é\u2028"' },
      ]);
    }
  });

  it('reads a top-level array, or one top-level object as one record, with line numbers', async () => {
    const batches = await collect(readRecords(chunks('[\n {"a":1},\n {"a":2}\n]'), 'json'));
    expect(batches[0]).toMatchObject({ records: [{ a: 1 }, { a: 2 }], lineNumbers: [2, 3] });
    expect(await records(chunks('{"a":{"b":1}}'), 'json')).toEqual([{ a: { b: 1 } }]);
    expect(await records(chunks('[]'), 'json')).toEqual([]);
  });

  it('rejects a record that is not an object', async () => {
    const batches = await collect(readRecords(chunks('[{"a":1}, 2, "x", null]'), 'json'));
    expect(batches[0]?.records).toEqual([{ a: 1 }]);
    expect(batches[0]?.rejected?.map((r) => r.reason)).toEqual([
      'a record is a JSON object, not a number',
      'a record is a JSON object, not a string',
      'a record is a JSON object, not null',
    ]);
  });

  it('names the line and column of invalid JSON inside a record, and of a cut-short file', async () => {
    const bad = await readError(() => readRecords(chunks('[\n{"a":1},\n{"a":1 "b":2}\n]'), 'json'));
    expect(bad).toMatchObject({ code: 'invalid_json', line: 3, column: 8, record: 2 });
    expect(bad.message).toBe("line 3, column 8 (record 2): not valid JSON: Expected ',' or '}' after property value");
    const cut = await readError(() => readRecords(chunks('[\n{"a":1},\n{"a":'), 'json'));
    expect(cut.message).toBe('line 3: the file ends inside a JSON value (is it cut short?)');
  });

  it('says what is wrong when the file is not JSON, or is NDJSON, or lacks the record path', async () => {
    const csv = await readError(() => readRecords(chunks('id,name\n1,x\n'), 'json'));
    expect(csv.message).toBe('line 1, column 1: not JSON: the file starts with "i", not [ or {');
    const ndjson = await readError(() => readRecords(chunks('{"a":1}\n{"a":2}\n'), 'json'));
    expect(ndjson.message).toBe('line 2, column 1: more than one top-level JSON value (is the file NDJSON?)');
    const missing = await readError(() =>
      readRecords(chunks('{"data":{"rows":[]}}'), 'json', { record_path: 'data.items' }),
    );
    expect(missing.code).toBe('record_path_not_found');
  });

  it('bounds a record by the size limit', async () => {
    const big = `[{"a":"${'x'.repeat(5000)}"}]`;
    const error = await readError(() => readRecords(chunks(big, 100), 'json', {}, { maxRecordChars: 1000 }));
    expect(error.code).toBe('record_too_large');
  });
});

describe('NDJSON reading', () => {
  it('reads one object per line, skipping blank lines, with line numbers', async () => {
    const batches = await collect(readRecords(chunks('{"a":1}\r\n\n{"a":"x\\ny"}\n{"a":3}'), 'ndjson'));
    expect(batches[0]).toMatchObject({ records: [{ a: 1 }, { a: 'x\ny' }, { a: 3 }], lineNumbers: [1, 3, 4] });
  });

  it('names the line of a bad one', async () => {
    const error = await readError(() => readRecords(chunks('{"a":1}\n{"a":}\n'), 'ndjson'));
    expect(error).toMatchObject({ line: 2, record: 2 });
    expect(error.message).toBe("line 2 (record 2): not valid JSON: Unexpected token '}'");
  });
});
