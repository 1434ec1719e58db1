import { describe, expect, it } from 'vitest';
import { renderTemplate, renderValue, valueProblems } from './query-values.js';

describe('renderValue: a JSON value built from the query', () => {
  const query = { from: 'a@example.com', to: ['b@example.com', 'c@example.com'], cc: [], subject: 'Hi', text: 't' };

  it('renders templates in strings and keeps other JSON values as they are', () => {
    expect(renderValue({ from: { email: '{{query.from}}' }, n: 3, yes: true, none: null }, query)).toEqual({
      from: { email: 'a@example.com' },
      n: 3,
      yes: true,
      none: null,
    });
  });

  it('leaves out what comes out empty: "", [], {} and absent fields', () => {
    const body = {
      reply_to: { email: '{{query.reply_to}}' },
      cc: { $each: 'cc', as: { email: '{{item}}' } },
      bcc: { $each: 'bcc', as: { email: '{{item}}' } },
      html: '{{query.html}}',
      list: ['{{query.html}}', '{{query.subject}}'],
    };
    expect(renderValue(body, query)).toEqual({ list: ['Hi'] });
  });

  it('$each: a list of the fields’ items in order (a single value is one item), each written as `as`', () => {
    expect(renderValue({ $each: ['to', 'from', 'missing'] }, query)).toEqual([
      'b@example.com',
      'c@example.com',
      'a@example.com',
    ]);
    expect(
      renderValue({ $each: 'to', as: { email: '{{item}}', note: 'to {{item}} from {{query.from}}' } }, query),
    ).toEqual([
      { email: 'b@example.com', note: 'to b@example.com from a@example.com' },
      { email: 'c@example.com', note: 'to c@example.com from a@example.com' },
    ]);
  });

  it('splices an $each inside a list: one entry per body the query has', () => {
    const content = [
      { $each: 'text', as: { type: 'text/plain', value: '{{item}}' } },
      { $each: 'html', as: { type: 'text/html', value: '{{item}}' } },
    ];
    expect(renderValue(content, query)).toEqual([{ type: 'text/plain', value: 't' }]);
    expect(renderValue(content, { ...query, html: '<p>h</p>' })).toEqual([
      { type: 'text/plain', value: 't' },
      { type: 'text/html', value: '<p>h</p>' },
    ]);
  });

  it('never reads a value it put in as a template', () => {
    const tricky = { ...query, subject: '{{query.from}}', to: ['{{query.subject}}'] };
    expect(renderValue({ s: '{{query.subject}}', to: { $each: 'to', as: '{{item}}' } }, tricky)).toEqual({
      s: '{{query.from}}',
      to: ['{{query.subject}}'],
    });
    expect(renderTemplate('/x/{{query.subject}}', { subject: 'a/b' }, encodeURIComponent)).toBe('/x/a%2Fb');
    // Outside an $each, {{item}} is not a template.
    expect(renderTemplate('{{item}}', query)).toBe('{{item}}');
  });
});

describe('valueProblems', () => {
  const fields = new Set(['from', 'to', 'text']);

  it('names unknown query fields, {{item}} outside an $each and a malformed $each', () => {
    expect(
      valueProblems(
        {
          a: '{{query.sender}}',
          b: '{{item}}',
          c: { $each: ['to', 'bcc'], as: { email: '{{item}}', x: '{{query.nope}}' } },
          d: { $each: 'to', map: 1 },
        },
        fields,
        'email.send',
      ),
    ).toEqual([
      '{{query.sender}} names no field of the email.send query',
      '{{item}} is used outside an $each',
      '$each: bcc names no field of the email.send query',
      '{{query.nope}} names no field of the email.send query',
      'an $each takes only $each and as (not map)',
    ]);
    expect(valueProblems({ to: { $each: 'to', as: { email: '{{item}}' } }, t: '{{query.text}}' }, fields, 'x')).toEqual(
      [],
    );
  });
});
