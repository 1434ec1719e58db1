import type { FileRecord } from '../../src/sync/files/read.js';

/**
 * The bench's records, deterministic: 10 columns of mixed types, as a CSV export of a sales table would have them.
 * Every 7th name needs quotes (a comma), every 11th note a doubled quote, every 1,000th note a line break; every 5th
 * score is empty (null).
 */
export async function* benchRecords(rows: number, batchSize: number): AsyncGenerator<FileRecord[]> {
  for (let start = 1; start <= rows; start += batchSize) {
    const batch: FileRecord[] = [];
    for (let i = start; i < start + batchSize && i <= rows; i++) batch.push(record(i));
    yield batch;
  }
}

function record(i: number): FileRecord {
  return {
    id: i,
    name: i % 7 === 0 ? `Smith, Customer ${i}` : `Customer ${i}`,
    email: `user${i}@example.com`,
    amount: Math.round((i * 7919) % 1_000_000) / 100,
    qty: i % 97,
    active: i % 3 !== 0,
    day: `2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    updated_at: `2024-06-${String((i % 30) + 1).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z`,
    score: i % 5 === 0 ? null : (i % 1000) / 8,
    note: i % 1000 === 0 ? 'first line\nsecond line' : i % 11 === 0 ? `said "yes" to ${i}` : 'ok',
  };
}

/** The sum of `qty` over the first `rows` records, to check a typed read. */
export function checksum(rows: number): number {
  let sum = 0;
  for (let i = 1; i <= rows; i++) sum += i % 97;
  return sum;
}
