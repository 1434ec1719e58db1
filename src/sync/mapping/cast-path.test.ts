import { describe, expect, it } from 'vitest';
import { castFailed, castFailure, castImpossible, compileCast, type CastType } from './cast.js';
import { compileReader, compileWriter, mustParsePath, parsePath } from './path.js';
import { compileTemplate, parseTemplate } from './template.js';

const cast = (type: CastType, value: unknown) => compileCast(type)(value);

describe('casts', () => {
  it('string', () => {
    expect(cast('string', 'a')).toBe('a');
    expect(cast('string', 12.5)).toBe('12.5');
    expect(cast('string', false)).toBe('false');
    expect(cast('string', 10n)).toBe('10');
    expect(cast('string', new Date('2024-03-01T10:00:00Z'))).toBe('2024-03-01T10:00:00.000Z');
    expect(cast('string', { a: [1] })).toBe('{"a":[1]}');
  });

  it('integer', () => {
    expect(cast('integer', 42)).toBe(42);
    expect(cast('integer', ' -17 ')).toBe(-17);
    expect(cast('integer', true)).toBe(1);
    expect(cast('integer', 5n)).toBe(5);
    expect(cast('integer', 4.5)).toBe(castFailed);
    expect(cast('integer', '4.5')).toBe(castFailed);
    expect(cast('integer', 'abc')).toBe(castFailed);
    expect(cast('integer', '99999999999999999999')).toBe(castFailed);
    expect(cast('integer', {})).toBe(castFailed);
  });

  it('number', () => {
    expect(cast('number', 4.5)).toBe(4.5);
    expect(cast('number', '1e3')).toBe(1000);
    expect(cast('number', ' 2.25 ')).toBe(2.25);
    expect(cast('number', false)).toBe(0);
    expect(cast('number', '')).toBe(castFailed);
    expect(cast('number', 'abc')).toBe(castFailed);
    expect(cast('number', Number.NaN)).toBe(castFailed);
    expect(cast('number', [1])).toBe(castFailed);
  });

  it('boolean', () => {
    expect(cast('boolean', true)).toBe(true);
    expect(cast('boolean', 'TRUE')).toBe(true);
    expect(cast('boolean', 'no')).toBe(false);
    expect(cast('boolean', '0')).toBe(false);
    expect(cast('boolean', 1)).toBe(true);
    expect(cast('boolean', 2)).toBe(castFailed);
    expect(cast('boolean', 'maybe')).toBe(castFailed);
  });

  it('timestamp', () => {
    expect(cast('timestamp', '2024-03-01T10:00:00+02:00')).toBe('2024-03-01T08:00:00.000Z');
    expect(cast('timestamp', '2024-03-01')).toBe('2024-03-01T00:00:00.000Z');
    expect(cast('timestamp', 1_700_000_000)).toBe('2023-11-14T22:13:20.000Z');
    expect(cast('timestamp', 1_700_000_000_000)).toBe('2023-11-14T22:13:20.000Z');
    expect(cast('timestamp', new Date('2024-01-02T03:04:05Z'))).toBe('2024-01-02T03:04:05.000Z');
    expect(cast('timestamp', 'yesterday')).toBe(castFailed);
    expect(cast('timestamp', '2024-02-30')).toBe(castFailed);
    expect(cast('timestamp', true)).toBe(castFailed);
  });

  it('date', () => {
    expect(cast('date', '2024-02-29')).toBe('2024-02-29');
    expect(cast('date', '2024-03-01T23:30:00-02:00')).toBe('2024-03-02');
    expect(cast('date', new Date('2024-01-02T03:04:05Z'))).toBe('2024-01-02');
    expect(cast('date', '2023-02-29')).toBe(castFailed);
    expect(cast('date', 'soon')).toBe(castFailed);
  });

  it('json', () => {
    expect(cast('json', '{"a":1}')).toEqual({ a: 1 });
    expect(cast('json', { a: 1 })).toEqual({ a: 1 });
    expect(cast('json', 3)).toBe(3);
    expect(cast('json', '{oops')).toBe(castFailed);
  });

  it('passes null and undefined through every cast', () => {
    for (const type of ['string', 'integer', 'number', 'boolean', 'timestamp', 'date', 'json'] as const) {
      expect(cast(type, null)).toBe(null);
      expect(cast(type, undefined)).toBe(undefined);
    }
  });

  it('words a failure with the field and the value', () => {
    expect(castFailure('amount', 'number', 'abc')).toBe("field amount: 'abc' is not a number");
    expect(castFailure('n', 'integer', 'x'.repeat(100))).toMatch(/^field n: 'x+\.\.\. is not an integer$/);
  });

  it('knows casts a source type can never satisfy', () => {
    expect(castImpossible('boolean', 'timestamp')).toBe(true);
    expect(castImpossible('object', 'number')).toBe(true);
    expect(castImpossible('string', 'number')).toBe(false);
    expect(castImpossible('unknown', 'date')).toBe(false);
  });
});

describe('paths', () => {
  it('parses names, nested names, indexes and quoted keys', () => {
    expect(mustParsePath('email').steps).toEqual(['email']);
    expect(mustParsePath('properties.email').steps).toEqual(['properties', 'email']);
    expect(mustParsePath('items[0].id').steps).toEqual(['items', 0, 'id']);
    expect(mustParsePath('m[1][2]').steps).toEqual(['m', 1, 2]);
    expect(mustParsePath('["odd.key"].v').steps).toEqual(['odd.key', 'v']);
    expect(mustParsePath('First Name').steps).toEqual(['First Name']);
  });

  it('refuses what is not a path', () => {
    for (const bad of ['', '.a', 'a.', 'a..b', 'a[x]', 'a[0]b', '[0]', 'a[', 'a]'])
      expect(parsePath(bad), bad).toHaveProperty('error');
  });

  it('reads nested values and answers undefined past a missing step', () => {
    const record = { a: 1, p: { email: 'e' }, items: [{ id: 'x' }], deep: { b: { c: [0, 5] } } };
    expect(compileReader(mustParsePath('a'))(record)).toBe(1);
    expect(compileReader(mustParsePath('p.email'))(record)).toBe('e');
    expect(compileReader(mustParsePath('items[0].id'))(record)).toBe('x');
    expect(compileReader(mustParsePath('deep.b.c[1]'))(record)).toBe(5);
    expect(compileReader(mustParsePath('a.b'))(record)).toBeUndefined();
    expect(compileReader(mustParsePath('items[3].id'))(record)).toBeUndefined();
    expect(compileReader(mustParsePath('missing.x.y'))(record)).toBeUndefined();
  });

  it('writes nested values without changing objects it shares with the input', () => {
    const input = { address: { city: 'Oslo', zip: '0150' } };
    const out: Record<string, unknown> = { ...input };
    compileWriter(mustParsePath('address.city'))(out, 'Bergen');
    compileWriter(mustParsePath('tags[1]'))(out, 'b');
    compileWriter(mustParsePath('x.y.z'))(out, 1);
    expect(out).toEqual({ address: { city: 'Bergen', zip: '0150' }, tags: [undefined, 'b'], x: { y: { z: 1 } } });
    expect(input.address.city).toBe('Oslo');
  });
});

describe('templates', () => {
  const render = (text: string, record: Record<string, unknown>) => {
    const parsed = parseTemplate(text);
    if ('error' in parsed) throw new Error(parsed.error);
    return compileTemplate(parsed)(record);
  };

  it('fills placeholders, nested ones too, and renders missing values as nothing', () => {
    expect(render('{{first_name}} {{last_name}}', { first_name: 'Ada', last_name: 'Lovelace' })).toBe('Ada Lovelace');
    expect(render('<{{ p.email }}>', { p: { email: 'a@b' } })).toBe('<a@b>');
    expect(render('n={{n}} o={{o}} m={{m}}', { n: 3, o: { k: 1 } })).toBe('n=3 o={"k":1} m=');
    expect(render('plain', {})).toBe('plain');
  });

  it('refuses broken placeholders', () => {
    expect(parseTemplate('{{}}')).toHaveProperty('error');
    expect(parseTemplate('{{a')).toHaveProperty('error');
    expect(parseTemplate('{{a..b}}')).toHaveProperty('error');
  });
});
