import { describe, expect, it } from 'vitest';
import { keyOf } from '../journal.js';
import { directKeys, directKeyTypes } from './journal.js';

// A first load copied straight into an empty table journals its rows from the records' own key values: only where
// PostgreSQL spells those values back as given, so the key is the one the staged path answers for the same row.
describe('the journal of a first load copied straight in', () => {
  it('takes integer and text keys, not ones whose text PostgreSQL would rewrite', () => {
    expect(directKeyTypes(['bigint'])).toBe(true);
    expect(directKeyTypes(['integer', 'character varying(20)', 'text'])).toBe(true);
    for (const type of ['numeric', 'uuid', 'timestamp with time zone', 'character(4)'])
      expect(directKeyTypes([type])).toBe(false);
    expect(directKeyTypes([])).toBe(false);
  });

  it('spells each key as the staged path would, and gives up on a value it cannot take as it is', () => {
    const key = ['tenant', 'id'];
    const types = ['text', 'bigint'];
    expect(
      directKeys(
        [
          { tenant: 'a', id: 7 },
          { tenant: 'b', id: 12n },
        ],
        key,
        types,
      ),
    ).toEqual(['{"tenant":"a","id":"7"}', '{"tenant":"b","id":"12"}']);
    expect(directKeys([{ tenant: 'a', id: '7' }], key, types)).toBeUndefined(); // a string for an integer column
    expect(directKeys([{ tenant: 'a', id: 7.5 }], key, types)).toBeUndefined();
    expect(directKeys([{ tenant: 3, id: 7 }], key, types)).toBeUndefined(); // a number for a text column
    expect(directKeys(undefined, key, types)).toBeUndefined(); // COPY text from a source: no records to read
  });

  it('spells a one-column key as the journal’s keyOf does, without an object per record', () => {
    const texts = ['a', 'quote " and \\ backslash', 'é ☃'];
    expect(
      directKeys(
        texts.map((id) => ({ id })),
        ['id'],
        ['text'],
      ),
    ).toEqual(texts.map((id) => keyOf({ id }, ['id'])));
    expect(directKeys([{ n: 7 }, { n: -3n }], ['n'], ['integer'])).toEqual([
      keyOf({ n: '7' }, ['n']),
      keyOf({ n: '-3' }, ['n']),
    ]);
    expect(directKeys([{ n: 7 }, { n: '8' }], ['n'], ['integer'])).toBeUndefined();
    expect(directKeys([{ n: 2 ** 53 }], ['n'], ['bigint'])).toBeUndefined(); // not a safe integer
    expect(directKeys([{ id: 'a\0b' }], ['id'], ['text'])).toBeUndefined(); // PostgreSQL text cannot hold a NUL
    expect(directKeys([{ id: 5 }], ['id'], ['text'])).toBeUndefined();
  });
});
