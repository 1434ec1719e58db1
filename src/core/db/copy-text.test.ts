import { describe, expect, it } from 'vitest';
import { copyChunks } from './copy-text.js';

describe('copyChunks', () => {
  it('writes every line whole, in order, in chunks of about 64 KB, whatever the lines hold', () => {
    const lines = [
      ...Array.from({ length: 3000 }, (_, i) => `${i}\tnote ${i}\n`),
      `${'é'.repeat(40_000)}\n`, // two bytes a character: over a chunk by itself
      '🙂 ascii and ☃\n',
      ...Array.from({ length: 10_000 }, (_, i) => `${i}\tmore\n`),
    ];
    const chunks = [...copyChunks(lines, (line) => line)];
    expect(Buffer.concat(chunks).toString('utf8')).toBe(lines.join(''));
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) {
      expect(chunk.length).toBeLessThanOrEqual(120_003);
      // A chunk ends at a line's end: no line is split between two.
      expect(chunk.at(-1)).toBe(0x0a);
    }
  });

  it('makes each line as its chunk is asked for, and nothing for no items', () => {
    const made: number[] = [];
    const chunks = copyChunks([1, 2, 3], (n) => {
      made.push(n);
      return `${'x'.repeat(40_000)}${n}\n`;
    });
    expect(made).toEqual([]);
    expect(chunks.next().value?.toString().endsWith('1\n')).toBe(true);
    expect(made).toEqual([1, 2]);
    expect([...copyChunks([], String)]).toEqual([]);
  });
});
