import { describe, expect, it } from 'vitest';
import { ApiError } from '../../core/errors.js';
import type { StreamSpec } from '../engine/types.js';
import {
  assertMappingFits,
  checkMapping,
  compileMapping,
  mappedFields,
  mappedPrimaryKey,
  mappingSchema,
  mapRecords,
  previewMapping,
  RecordRejection,
  type Mapping,
} from './index.js';

const parse = (input: unknown): Mapping => mappingSchema.parse(input);

const contacts: StreamSpec = {
  name: 'contacts',
  primaryKey: ['id'],
  supports: { full: true, incremental: true, delta: false },
  fields: [
    { name: 'id', type: 'string', nullable: false },
    { name: 'first_name', type: 'string', nullable: true },
    { name: 'last_name', type: 'string', nullable: true },
    { name: 'amount', type: 'string', nullable: true },
    { name: 'active', type: 'boolean', nullable: false },
    { name: 'properties', type: 'object', nullable: true },
    { name: 'created_at', type: 'timestamp', nullable: false },
  ],
};

const rest: StreamSpec = { ...contacts, name: 'deals', fields: [] };

describe('mapping schema', () => {
  it('defaults to every field, none mapped', () => {
    expect(parse({})).toEqual({ select: 'all', fields: [] });
  });

  it('asks for exactly one of from, constant or template', () => {
    const none = mappingSchema.safeParse({ fields: [{ to: 'x' }] });
    expect(none.success).toBe(false);
    expect(JSON.stringify(none.error?.issues)).toContain('give exactly one of from, constant or template (none given)');
    const two = mappingSchema.safeParse({ fields: [{ to: 'x', from: 'a', constant: 1 }] });
    expect(JSON.stringify(two.error?.issues)).toContain('(from, constant given)');
    expect(mappingSchema.safeParse({ fields: [{ to: 'x', constant: null }] }).success).toBe(true);
  });

  it('refuses bad paths, templates, casts and unknown keys', () => {
    for (const field of [
      { to: 'a..b', from: 'x' },
      { to: 'a', from: '.x' },
      { to: 'a', template: '{{ }}' },
      { to: 'a', from: 'x', cast: 'money' },
      { to: 'a', from: 'x', rename: true },
    ])
      expect(mappingSchema.safeParse({ fields: [field] }).success, JSON.stringify(field)).toBe(false);
    expect(mappingSchema.safeParse({ select: 'some' }).success).toBe(false);
  });
});

describe('compileMapping', () => {
  const record = {
    id: 'c1',
    first_name: 'Ada',
    last_name: 'Lovelace',
    amount: '12.50',
    properties: { email: 'ada@example.test', tags: ['a', 'b'] },
    items: [{ id: 'i1' }],
  };

  it('keeps a record as is when nothing is mapped, or empties it under select: mapped', () => {
    expect(compileMapping(parse({}), 'contacts')(record)).toBe(record);
    expect(compileMapping(parse({ select: 'mapped' }), 'contacts')(record)).toEqual({});
  });

  it('renames (dropping the old name under select: all) and copies nested values', () => {
    const map = compileMapping(
      parse({
        fields: [
          { to: 'given_name', from: 'first_name' },
          { to: 'email', from: 'properties.email' },
          { to: 'first_item', from: 'items[0].id' },
        ],
      }),
      'contacts',
    );
    const out = map(record);
    expect(out).toEqual({
      id: 'c1',
      given_name: 'Ada',
      last_name: 'Lovelace',
      amount: '12.50',
      properties: record.properties,
      items: record.items,
      email: 'ada@example.test',
      first_item: 'i1',
    });
    expect(record.first_name).toBe('Ada');
  });

  it('selects only mapped fields, with constants, templates, casts, defaults and nested outputs', () => {
    const map = compileMapping(
      parse({
        select: 'mapped',
        fields: [
          { to: 'id', from: 'id' },
          { to: 'name', template: '{{first_name}} {{last_name}}' },
          { to: 'source', constant: 'crm' },
          { to: 'total', from: 'amount', cast: 'number' },
          { to: 'contact.email', from: 'properties.email' },
          { to: 'tier', from: 'properties.tier', default: 'free' },
          { to: 'missing', from: 'nothing' },
        ],
      }),
      'contacts',
    );
    expect(map(record)).toEqual({
      id: 'c1',
      name: 'Ada Lovelace',
      source: 'crm',
      total: 12.5,
      contact: { email: 'ada@example.test' },
      tier: 'free',
    });
  });

  it('applies a field only to its stream', () => {
    const mapping = parse({
      select: 'mapped',
      fields: [
        { to: 'a', constant: 1 },
        { stream: 'deals', to: 'b', constant: 2 },
      ],
    });
    expect(compileMapping(mapping, 'contacts')(record)).toEqual({ a: 1 });
    expect(compileMapping(mapping, rest)(record)).toEqual({ a: 1, b: 2 });
  });

  it('rejects a record whose value does not cast, naming the field and the value', () => {
    const map = compileMapping(parse({ fields: [{ to: 'amount', from: 'amount', cast: 'number' }] }), 'contacts');
    expect(() => map({ ...record, amount: 'abc' })).toThrow(new RecordRejection("field amount: 'abc' is not a number"));
    const { records, rejected } = mapRecords(map, [record, { ...record, id: 'c2', amount: 'abc' }, { id: 'c3' }]);
    expect(records.map((r) => [r.id, r.amount])).toEqual([
      ['c1', 12.5],
      ['c3', undefined],
    ]);
    expect(rejected).toEqual([
      { record: { ...record, id: 'c2', amount: 'abc' }, reason: "field amount: 'abc' is not a number" },
    ]);
  });

  it('maps 100k records through compiled closures', () => {
    const map = compileMapping(
      parse({
        select: 'mapped',
        fields: [
          { to: 'id', from: 'id', cast: 'string' },
          { to: 'name', template: '{{first_name}} {{last_name}}' },
          { to: 'email', from: 'properties.email' },
          { to: 'total', from: 'amount', cast: 'number' },
          { to: 'source', constant: 'crm' },
        ],
      }),
      'contacts',
    );
    const input = Array.from({ length: 100_000 }, (_, i) => ({ ...record, id: i, amount: String(i / 4) }));
    const started = performance.now();
    const { records, rejected } = mapRecords(map, input);
    const ms = performance.now() - started;
    console.log(`mapped ${input.length} records in ${ms.toFixed(0)} ms (${Math.round(input.length / (ms / 1000))}/s)`);
    expect(rejected).toEqual([]);
    expect(records).toHaveLength(100_000);
    expect(records[99_999]).toEqual({
      id: '99999',
      name: 'Ada Lovelace',
      email: 'ada@example.test',
      total: 24_999.75,
      source: 'crm',
    });
  });
});

describe('checkMapping', () => {
  const messages = (mapping: unknown, streams: StreamSpec | StreamSpec[]) =>
    checkMapping(parse(mapping), streams).map((p) => `${p.path}: ${p.message}`);

  it('accepts a mapping that fits', () => {
    expect(messages({ fields: [{ to: 'name', template: '{{first_name}} {{last_name}}' }] }, contacts)).toEqual([]);
  });

  it('names a field the source lacks, in from and in templates, with its stream', () => {
    const problems = checkMapping(
      parse({
        fields: [
          { to: 'email', from: 'emial' },
          { to: 'name', template: '{{first_name}} {{surname}}' },
        ],
      }),
      contacts,
    );
    expect(problems).toEqual([
      {
        code: 'mapping_invalid',
        stream: 'contacts',
        field: 'email',
        path: 'mappings.fields[0].from',
        message: 'stream contacts has no field emial',
      },
      {
        code: 'mapping_invalid',
        stream: 'contacts',
        field: 'name',
        path: 'mappings.fields[1].template',
        message: 'stream contacts has no field surname',
      },
    ]);
  });

  it('does not check names when the source cannot list its fields', () => {
    expect(messages({ fields: [{ to: 'email', from: 'anything.at.all' }] }, rest)).toEqual([]);
  });

  it('finds nested paths into scalars, duplicate and overlapping outputs, impossible casts', () => {
    expect(
      messages(
        {
          fields: [
            { to: 'a', from: 'first_name.x' },
            { to: 'b', from: 'properties.email' },
            { to: 'b', constant: 1 },
            { to: 'b.c', constant: 2 },
            { to: 'when', from: 'active', cast: 'timestamp' },
            { to: 'n', from: 'created_at', cast: 'number' },
            { to: 'ok', from: 'amount', cast: 'number' },
          ],
        },
        contacts,
      ),
    ).toEqual([
      'mappings.fields[0].from: field first_name of stream contacts is string; it has no nested field first_name.x',
      'mappings.fields[4].cast: field active of stream contacts is boolean; it cannot be cast to timestamp',
      'mappings.fields[5].cast: field created_at of stream contacts is timestamp; it cannot be cast to number',
      'mappings.fields[2].to: field b of stream contacts is mapped twice (mappings.fields[1])',
      'mappings.fields[3].to: field b.c of stream contacts overlaps field b (mappings.fields[1])',
      'mappings.fields[3].to: field b.c of stream contacts overlaps field b (mappings.fields[2])',
    ]);
  });

  it('wants the primary key in the output and fields to name streams the sync reads', () => {
    expect(
      messages({ select: 'mapped', fields: [{ stream: 'orders', to: 'x', from: 'first_name' }] }, [contacts]),
    ).toEqual([
      'mappings.fields: primary key field id of stream contacts is not in the mapped records; map it to a top-level field',
      'mappings.fields[0].stream: field x names stream orders, which this sync does not read (contacts)',
    ]);
  });

  it('throws 422 mapping_invalid listing every problem', () => {
    let error: unknown;
    try {
      assertMappingFits(parse({ fields: [{ to: 'e', from: 'nope' }] }), [contacts]);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      code: 'mapping_invalid',
      status: 422,
      extensions: { errors: [{ path: 'mappings.fields[0].from', message: 'stream contacts has no field nope' }] },
    });
  });
});

describe('mappedFields and mappedPrimaryKey', () => {
  it('describes the output under select: all', () => {
    const mapping = parse({
      fields: [
        { to: 'key', from: 'id' },
        { to: 'total', from: 'amount', cast: 'number' },
        { to: 'name', template: '{{first_name}} {{last_name}}' },
        { to: 'properties.extra', constant: true },
        { to: 'geo.lat', constant: 1.5 },
        { to: 'source', constant: 'crm' },
      ],
    });
    expect(mappedFields(mapping, contacts)).toEqual([
      { name: 'first_name', type: 'string', nullable: true },
      { name: 'last_name', type: 'string', nullable: true },
      { name: 'active', type: 'boolean', nullable: false },
      { name: 'properties', type: 'object', nullable: true },
      { name: 'created_at', type: 'timestamp', nullable: false },
      { name: 'key', type: 'string', nullable: false },
      { name: 'total', type: 'number', nullable: true },
      { name: 'name', type: 'string', nullable: false },
      { name: 'geo', type: 'object', nullable: true },
      { name: 'source', type: 'string', nullable: false },
    ]);
    expect(mappedPrimaryKey(mapping, contacts)).toEqual(['key']);
  });

  it('describes only mapped fields under select: mapped', () => {
    const mapping = parse({
      select: 'mapped',
      fields: [
        { to: 'id', from: 'id' },
        { to: 'email', from: 'properties.email', default: '' },
        { to: 'count', constant: 3 },
      ],
    });
    expect(mappedFields(mapping, contacts)).toEqual([
      { name: 'id', type: 'string', nullable: false },
      { name: 'email', type: 'unknown', nullable: false },
      { name: 'count', type: 'integer', nullable: false },
    ]);
    expect(mappedPrimaryKey(mapping, contacts)).toEqual(['id']);
    expect(mappedPrimaryKey(parse({ select: 'mapped' }), contacts)).toEqual([undefined]);
    expect(mappedPrimaryKey(parse({}), contacts)).toEqual(['id']);
  });
});

describe('previewMapping', () => {
  it('shows each sample with its output or its rejection', () => {
    const mapping = parse({
      select: 'mapped',
      fields: [
        { to: 'id', from: 'id' },
        { to: 'n', from: 'amount', cast: 'integer' },
      ],
    });
    expect(
      previewMapping(mapping, contacts, [
        { id: 'a', amount: '7' },
        { id: 'b', amount: '7.5' },
      ]),
    ).toEqual([
      { input: { id: 'a', amount: '7' }, output: { id: 'a', n: 7 } },
      { input: { id: 'b', amount: '7.5' }, error: "field amount: '7.5' is not an integer" },
    ]);
  });
});
