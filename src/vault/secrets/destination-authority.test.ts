import { describe, expect, it } from 'vitest';
import { secretsSentAnew, type HeaderDestination } from './destination-authority.js';

const to = (url: string, headers: Record<string, string>): HeaderDestination => ({ url, headers });
const A = 'https://a.example.test/in';
const B = 'https://b.example.test/in';

describe('secretsSentAnew: the secrets a change sends to a URL they were not sent to before', () => {
  it('a new header, a reference added to a header, or a URL moved under one', () => {
    expect(secretsSentAnew([], [to(A, { authorization: 'Bearer {{secrets.KEY}}' })])).toEqual(['KEY']);
    expect(
      secretsSentAnew(
        [to(A, { authorization: 'Bearer {{secrets.KEY}}' })],
        [to(A, { authorization: 'Bearer {{secrets.KEY}}', 'x-more': '{{ secrets.OTHER }}' })],
      ),
    ).toEqual(['OTHER']);
    expect(
      secretsSentAnew([to(A, { authorization: '{{secrets.KEY}}' })], [to(B, { authorization: '{{secrets.KEY}}' })]),
    ).toEqual(['KEY']);
  });

  it('a pinned version is a value of its own', () => {
    expect(secretsSentAnew([to(A, { k: '{{secrets.KEY}}' })], [to(A, { k: '{{secrets.KEY@1}}' })])).toEqual(['KEY@1']);
  });

  it('nothing new: the same secrets where they went (renamed header, reordered), dropped, or plain values', () => {
    const before = [to(A, { authorization: '{{secrets.KEY}}' }), to(B, { 'x-token': '{{secrets.OTHER}}' })];
    expect(
      secretsSentAnew(before, [to(B, { 'x-renamed': 'v={{secrets.OTHER}}' }), to(A, { a: '{{secrets.KEY}}' })]),
    ).toEqual([]);
    expect(secretsSentAnew(before, [to(A, {})])).toEqual([]);
    expect(secretsSentAnew([], [to(B, { authorization: 'Bearer plain-value', 'x-t': '{{config.KEY}}' })])).toEqual([]);
  });
});
