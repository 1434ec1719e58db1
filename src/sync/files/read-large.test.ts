import { describe, expect, it } from 'vitest';
import { FileFormatError } from './errors.js';
import { readRecords } from './read.js';

/**
 * Big inputs, generated as they are read (nothing on disk, nothing committed): a broken quote two million lines in,
 * and a million-row file read with a schema. That the reader holds no more than a batch and a chunk or two is checked
 * by counting, not by watching the heap (which other tests in the same worker move): at every batch, the rows the
 * input has produced are at most the rows read plus a batch and two chunks' worth. A reader that pulled ahead (held
 * the file) fails it by millions.
 */
const header = 'id,name,email,amount,qty,active,day,at,score,note\n';

function row(i: number): string {
  return (
    `${i},"Name ${i}, Jr.",user${i}@example.com,${(i % 10_000) / 100},${i % 97},${i % 2 ? 'true' : 'false'},` +
    `2024-0${(i % 9) + 1}-1${i % 10},2024-01-01T00:00:${String(i % 60).padStart(2, '0')}Z,${i % 5 ? i / 7 : ''},` +
    `${i % 3 ? 'plain' : '"said ""hi"""'}\n`
  );
}

/** Rows the input has handed to the reader so far (see csvFile). */
let produced = 0;
/** At most this many rows more than the reader gave out: a batch, and two ~64 KiB chunks (~500 rows each). */
const slack = (batchSize: number) => batchSize + 2_000;

/** The rows as ~64 KiB chunks, and a line of our own choosing at `special`; counts the rows handed out. */
async function* csvFile(rows: number, special?: { line: number; text: string }): AsyncGenerator<Buffer> {
  produced = 0;
  let chunk = header;
  let pending = 0;
  for (let i = 1; i <= rows; i++) {
    const line = i + 1;
    chunk += special?.line === line ? special.text : row(i);
    pending += 1;
    if (chunk.length > 65_536) {
      produced += pending;
      pending = 0;
      yield Buffer.from(chunk);
      chunk = '';
    }
  }
  produced += pending;
  yield Buffer.from(chunk);
}

const schema = {
  fields: [
    { name: 'id', type: 'integer' as const },
    { name: 'name', type: 'string' as const },
    { name: 'email', type: 'string' as const },
    { name: 'amount', type: 'number' as const },
    { name: 'qty', type: 'integer' as const },
    { name: 'active', type: 'boolean' as const },
    { name: 'day', type: 'date' as const },
    { name: 'at', type: 'datetime' as const },
    { name: 'score', type: 'number' as const },
    { name: 'note', type: 'string' as const },
  ],
};

describe('large files', () => {
  it('names line 2,000,000 for a quote opened there and never closed, without holding the file', async () => {
    let ahead = 0;
    let read = 0;
    let failure: unknown;
    try {
      const input = csvFile(2_000_100, {
        line: 2_000_000,
        text: '1999999,"broken,x@example.com,1,1,true,2024-01-01,,,\n',
      });
      for await (const batch of readRecords(input, 'csv', {}, { batchSize: 10_000 })) {
        read += batch.records.length;
        ahead = Math.max(ahead, produced - read);
      }
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(FileFormatError);
    const error = failure as FileFormatError;
    expect(error).toMatchObject({ code: 'unclosed_quote', line: 2_000_000, column: 9 });
    expect(error.message).toBe(
      'line 2000000, column 9: a quoted field is not closed (it runs on to line 2000001, where text follows a quote)',
    );
    expect(read).toBe(1_999_998);
    expect(ahead).toBeLessThanOrEqual(slack(10_000));
  });

  it('reads a million rows with a schema in bounded memory, every value converted', async () => {
    let ahead = 0;
    let records = 0;
    let sum = 0;
    for await (const batch of readRecords(csvFile(1_000_000), 'csv', {}, { batchSize: 5_000, schema })) {
      expect(batch.rejected).toBeUndefined();
      records += batch.records.length;
      for (const r of batch.records) sum += r.qty as number;
      ahead = Math.max(ahead, produced - records);
    }
    expect(records).toBe(1_000_000);
    let expected = 0;
    for (let i = 1; i <= 1_000_000; i++) expected += i % 97;
    expect(sum).toBe(expected);
    expect(ahead).toBeLessThanOrEqual(slack(5_000));
  });
});
