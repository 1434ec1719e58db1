import { describe, expect, it } from 'vitest';
import { inferFileSchema, inferSchema } from './infer.js';
import { readRecords } from './read.js';

const texts = (column: string[]) => column.map((v) => ({ v }));

describe('schema inference', () => {
  it('proposes the narrowest type every sampled value fits, from CSV text', async () => {
    const csv =
      'id,price,active,day,at,code,payload,name\n' +
      Array.from(
        { length: 50 },
        (_, i) =>
          `${i},${i % 2 ? i + 0.5 : i},${i % 3 ? 'yes' : 'no'},2024-01-${String((i % 28) + 1).padStart(2, '0')},` +
          `${i % 2 ? '2024-01-02T03:04:05Z' : '2024-01-02'},${String(i).padStart(3, '0')},"{""k"":${i}}",n${i}`,
      ).join('\n');
    async function* input() {
      yield Buffer.from(csv);
    }
    const schema = await inferFileSchema(input(), 'csv');
    expect(schema.sampled).toBe(50);
    expect(schema.fields.map((f) => [f.name, f.type])).toEqual([
      ['id', 'integer'],
      ['price', 'number'],
      ['active', 'boolean'],
      ['day', 'date'],
      ['at', 'datetime'],
      ['code', 'string'], // zero-padded codes keep their zeros
      ['payload', 'json'],
      ['name', 'string'],
    ]);
    expect(schema.fields[0]).toMatchObject({ nullable: true, confidence: 0.91, nulls: 0, examples: ['0', '1', '2'] });
    // The proposal reads the file it came from without a rejection.
    async function* again() {
      yield Buffer.from(csv);
    }
    for await (const b of readRecords(again(), 'csv', {}, { schema })) expect(b.rejected).toBeUndefined();
  });

  it('widens to text on odd values, never throwing, and says which values did it', () => {
    const column = [...Array.from({ length: 19 }, (_, i) => String(i + 1)), 'N/A'];
    const [field] = inferSchema(texts(column), { textValues: true }).fields;
    expect(field).toMatchObject({ type: 'string', confidence: 0.04 });
    expect(field?.note).toBe(
      '95% of the values are integers; others (e.g. "N/A") make it text: add them to null_values, or fix them, then choose integer',
    );
    const odd = inferSchema([{ v: 1n }, { v: Symbol('s') }, { v: () => 1 }, { v: new Date(0) }, { v: NaN }]);
    expect(odd.fields[0]?.type).toBe('string');
  });

  it('types JSON values by their JSON type, and only dates from strings', () => {
    const schema = inferSchema([
      { n: 1, x: 1.5, b: true, o: { a: 1 }, s: '42', d: '2024-05-06', none: null },
      { n: 2, x: 2, b: false, o: [1], s: '7', d: '2024-05-07' },
    ]);
    expect(Object.fromEntries(schema.fields.map((f) => [f.name, f.type]))).toEqual({
      n: 'integer',
      x: 'number',
      b: 'boolean',
      o: 'json',
      s: 'string',
      d: 'date',
      none: 'string',
    });
    expect(schema.fields.find((f) => f.name === 'none')).toMatchObject({
      confidence: 0,
      note: 'no values in the sample',
    });
  });

  it('keeps 0/1 columns integer, and calls a column of yes/no/1/0 boolean', () => {
    expect(inferSchema(texts(['0', '1', '1']), { textValues: true }).fields[0]?.type).toBe('integer');
    expect(inferSchema(texts(['yes', 'no', '1', '0']), { textValues: true }).fields[0]?.type).toBe('boolean');
    expect(inferSchema(texts(['2024-02-30']), { textValues: true }).fields[0]?.type).toBe('string');
  });
});
