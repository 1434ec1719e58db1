import { describe, expect, it } from 'vitest';
import { FileFormatError } from './errors.js';
import { readRecords } from './read.js';

/**
 * Big inputs, generated as they are read (nothing on disk, nothing committed): a broken quote two million lines in,
 * and a million-row file read with a schema while the heap is watched. The memory bounds are sanity bounds, generous
 * on purpose: a reader that held the file would pass them by hundreds of megabytes.
 */
const header = 'id,name,email,amount,qty,active,day,at,score,note\n';

function row(i: number): string {
  return (
    `${i},"Name ${i}, Jr.",user${i}@example.com,${(i % 10_000) / 100},${i % 97},${i % 2 ? 'true' : 'false'},` +
    `2024-0${(i % 9) + 1}-1${i % 10},2024-01-01T00:00:${String(i % 60).padStart(2, '0')}Z,${i % 5 ? i / 7 : ''},` +
    `${i % 3 ? 'plain' : '"said ""hi"""'}\n`
  );
}

/** The rows as ~64 KiB chunks, and a line of our own choosing at `special`. */
async function* csvFile(rows: number, special?: { line: number; text: string }): AsyncGenerator<Buffer> {
  let chunk = header;
  for (let i = 1; i <= rows; i++) {
    const line = i + 1;
    chunk += special?.line === line ? special.text : row(i);
    if (chunk.length > 65_536) {
      yield Buffer.from(chunk);
      chunk = '';
    }
  }
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
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let read = 0;
    let failure: unknown;
    try {
      const input = csvFile(2_000_100, {
        line: 2_000_000,
        text: '1999999,"broken,x@example.com,1,1,true,2024-01-01,,,\n',
      });
      for await (const batch of readRecords(input, 'csv', {}, { batchSize: 10_000 })) {
        read += batch.records.length;
        peak = Math.max(peak, process.memoryUsage().heapUsed);
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
    expect(peak - before).toBeLessThan(200 * 2 ** 20);
  });

  it('reads a million rows with a schema in bounded memory, every value converted', async () => {
    const before = process.memoryUsage().heapUsed;
    let peak = before;
    let records = 0;
    let sum = 0;
    for await (const batch of readRecords(csvFile(1_000_000), 'csv', {}, { batchSize: 5_000, schema })) {
      expect(batch.rejected).toBeUndefined();
      records += batch.records.length;
      for (const r of batch.records) sum += r.qty as number;
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
    expect(records).toBe(1_000_000);
    let expected = 0;
    for (let i = 1; i <= 1_000_000; i++) expected += i % 97;
    expect(sum).toBe(expected);
    expect(peak - before).toBeLessThan(200 * 2 ** 20);
  });
});
