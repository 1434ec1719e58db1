import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { dryRun, type ImportRules } from './dry-run.js';
import { readRecords } from './read.js';

const rules: ImportRules = {
  schema: {
    fields: [
      { name: 'id', type: 'integer', nullable: false },
      { name: 'email', type: 'string', nullable: false },
      { name: 'status', type: 'string' },
      { name: 'age', type: 'integer' },
    ],
  },
  enums: { status: ['active', 'paused'] },
  patterns: { email: '[^@\\s]+@[^@\\s]+' },
  unique: [['id'], ['email']],
  jsonSchema: { type: 'object', properties: { age: { type: ['integer', 'null'], minimum: 0 } } },
};

const csv = [
  'id,email,status,age',
  '1,ada@example.com,active,36',
  '2,grace@example.com,paused,',
  'x,bad-id@example.com,active,1',
  '4,not-an-email,active,1',
  '5,linus@example.com,sleeping,1',
  '1,ada2@example.com,active,1',
  '7,ada@example.com,active,1',
  '8,ken@example.com,active,-3',
  '9,,active,1',
  '10,dennis@example.com,active,70',
].join('\n');

const bytes = (text: string) => Readable.from([Buffer.from(text)]);

async function collect(stream: PassThrough): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('dry run', () => {
  it('checks every record against the rules, stores nothing, and reports counts, the first errors in place and an errors file', async () => {
    const errors = new PassThrough();
    const text = collect(errors);
    const report = await dryRun(bytes(csv), 'csv', {}, rules, { errorsTo: errors, maxErrors: 3 });
    expect(report).toMatchObject({ records: 10, valid: 3, rejected: 7 });
    expect(report.rejectedByField).toEqual({ id: 2, email: 3, status: 1, age: 1 });
    expect(report.firstErrors.map((e) => [e.recordNumber, e.line, e.field])).toEqual([
      [3, 4, 'id'],
      [4, 5, 'email'],
      [5, 6, 'status'],
    ]);
    expect(report.firstErrors[2]?.reason).toBe('status: "sleeping" is not one of active, paused');

    const lines = (await text).trim().split('\n');
    expect(lines[0]).toBe('id,email,status,age,_record,_line,_field,_error');
    expect(lines).toHaveLength(8);
    expect(lines.find((l) => l.startsWith('7,'))).toMatch(/^7,ada@example\.com,.*appears again \(first on line 2\)/);
    expect(lines.find((l) => l.startsWith('1,ada2'))).toContain('id: ""1"" appears again (first on line 2)');
    expect(lines.find((l) => l.startsWith('8,'))).toMatch(/\/age: must be >= 0/);
    expect(lines.find((l) => l.startsWith('9,'))).toContain('email is required');
  });

  it('finds a repeated integer key among many (negative, beyond 32 bits), naming the first line', async () => {
    const ids = Array.from({ length: 200_000 }, (_, i) => (i % 2 ? -i : i * 65_537 * 65_537));
    const text = ['id', ...ids, ids[123_456]].join('\n');
    const report = await dryRun(
      bytes(text),
      'csv',
      {},
      {
        schema: { fields: [{ name: 'id', type: 'integer' }] },
        unique: [['id']],
      },
    );
    expect(report).toMatchObject({ records: 200_001, rejected: 1 });
    expect(report.firstErrors[0]).toMatchObject({ recordNumber: 200_001, line: 200_002 });
    expect(report.firstErrors[0]?.reason).toContain('(first on line 123458)');
  });

  it('a file broken part way is an error naming the line, after counting what came before', async () => {
    const broken = `${csv}\n11,"unclosed@example.com,active,1\n12,x@example.com,active,1\n`;
    await expect(dryRun(bytes(broken), 'csv', {}, rules)).rejects.toThrow(/line 12/);
  });

  it('without rules beyond the schema, it is the reader: the same records pass', async () => {
    const plain: ImportRules = { schema: { fields: [{ name: 'id', type: 'integer' }] } };
    const report = await dryRun(bytes('id\n1\n2\nx\n'), 'csv', {}, plain);
    expect(report).toMatchObject({ records: 3, valid: 2, rejected: 1 });
    let read = 0;
    for await (const b of readRecords(bytes('id\n1\n2\nx\n'), 'csv', {}, { schema: plain.schema }))
      read += b.records.length;
    expect(read).toBe(2);
  });
});
