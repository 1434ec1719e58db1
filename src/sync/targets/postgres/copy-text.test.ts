import { describe, expect, it } from 'vitest';
import { copyTextFormatter } from './copy-text.js';

describe('COPY text of records', () => {
  const format = copyTextFormatter([
    { name: 'id', kind: 'plain' },
    { name: 'note', kind: 'plain' },
    { name: 'tags', kind: 'array' },
    { name: 'meta', kind: 'json' },
    { name: 'at', kind: 'plain' },
  ]);

  it('writes one tab-separated line per record, NULL as \\N, escaping what COPY reads as syntax', () => {
    const records = [
      { id: 1, note: 'tab\there, line\nbreak, back\\slash', tags: ['a', 'b c'], meta: { k: 'v' }, at: new Date(0) },
      { id: 2, note: null, tags: null, meta: 'text', at: undefined },
      { id: 3.5, note: true, tags: [], meta: null },
    ];
    expect(records.map(format).join('')).toBe(
      '1\ttab\\there, line\\nbreak, back\\\\slash\t{"a","b c"}\t{"k":"v"}\t1970-01-01T00:00:00.000Z\n' +
        '2\t\\N\t\\N\t"text"\t\\N\n' +
        '3.5\tt\t{}\t\\N\t\\N\n',
    );
  });
});
