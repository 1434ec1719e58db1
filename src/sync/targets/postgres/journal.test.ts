import { describe, expect, it } from 'vitest';
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
});
