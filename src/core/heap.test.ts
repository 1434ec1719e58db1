import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * A process shaped like an import: a live set that stays, and batches of records each held for a while (so they are
 * promoted) and then dropped. Prints the largest heap it committed.
 */
const churn = `
import { limitHeapGrowth } from ${JSON.stringify(path.join(root, 'src/core/heap.ts'))};
limitHeapGrowth(Number(process.argv[1]));
const live = [];
for (let i = 0; i < 200_000; i++) live.push({ i, name: 'record ' + i });
const held = [];
let peak = 0;
for (let round = 0; round < 300; round++) {
  const batch = [];
  for (let i = 0; i < 20_000; i++) batch.push({ id: i, name: 'row ' + i, values: [i, round] });
  held.push(batch);
  if (held.length > 8) held.shift();
  await new Promise((resolve) => setImmediate(resolve));
  peak = Math.max(peak, process.memoryUsage().heapTotal);
}
console.log(JSON.stringify({ peak, live: live.length }));
`;

async function peakHeap(percent: number): Promise<number> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '--eval', churn, String(percent)],
    { cwd: root },
  );
  return (JSON.parse(stdout) as { peak: number }).peak;
}

describe('heap growth', () => {
  it('is 50% by default, read from SWITCHYARD_HEAP_GROWTH, 0 for V8’s own rule, and refused out of range', () => {
    expect(loadConfig({}).heapGrowthPercent).toBe(50);
    expect(loadConfig({ SWITCHYARD_HEAP_GROWTH: '0' }).heapGrowthPercent).toBe(0);
    expect(loadConfig({ SWITCHYARD_HEAP_GROWTH: '120' }).heapGrowthPercent).toBe(120);
    expect(() => loadConfig({ SWITCHYARD_HEAP_GROWTH: '-5' })).toThrow(/SWITCHYARD_HEAP_GROWTH/);
    expect(() => loadConfig({ SWITCHYARD_HEAP_GROWTH: 'half' })).toThrow(/SWITCHYARD_HEAP_GROWTH/);
  });

  it('keeps a heap full of promoted garbage near its live size, where V8’s own rule lets it grow', async () => {
    const [own, limited] = await Promise.all([peakHeap(0), peakHeap(50)]);
    // V8 lets this heap reach ~250 MB; held to 50% growth it stays near 120 MB.
    expect(limited).toBeLessThan(own * 0.7);
  }, 60_000);
});
