import { describe, expect, it } from 'vitest';
import { callOptions } from './call-options.js';
import { requestHeadersForVendor, responseHeadersForCaller } from './headers.js';
import { backoffMs, parseReset } from './retry.js';

describe('retry timing', () => {
  it('backs off exponentially with full jitter: [0, min(10 s, 200 ms·2^n))', () => {
    expect([0, 1, 2, 3].map((n) => backoffMs(n, () => 0.999999))).toEqual([199, 399, 799, 1599]);
    expect(backoffMs(10, () => 0.999999)).toBe(9999);
    expect(backoffMs(3, () => 0)).toBe(0);
  });

  it('reads reset headers in every manifest format', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseReset(String(now / 1000 + 3), 'epoch_seconds', now)).toBe(now + 3000);
    expect(parseReset(String(now + 3000), 'epoch_ms', now)).toBe(now + 3000);
    expect(parseReset('3', 'seconds', now)).toBe(now + 3000);
    expect(parseReset('3000', 'milliseconds', now)).toBe(now + 3000);
    expect(parseReset('Thu, 01 Jan 2026 00:00:03 GMT', 'http_date', now)).toBe(now + 3000);
    expect(parseReset('x', 'seconds', now)).toBeUndefined();
  });

  it('parses the per-call options, defaulting what is not sent', () => {
    expect(callOptions({})).toMatchObject({ retries: 2, retriesExplicit: false, timeoutMs: 30_000 });
    const set = callOptions({
      'switchyard-retries': '0',
      'switchyard-retry-on': '429, 503',
      'switchyard-timeout': '1.5',
    });
    expect(set).toMatchObject({ retries: 0, retriesExplicit: true, timeoutMs: 1500 });
    expect([...set.retryOn]).toEqual([429, 503]);
  });
});

describe('headers across the proxy', () => {
  it('drops what the Connection header lists, hop-by-hop headers and the caller’s credentials', () => {
    const out = requestHeadersForVendor(
      {
        connection: 'close, X-Private',
        'x-private': '1',
        'transfer-encoding': 'chunked',
        'content-length': '10',
        authorization: 'Bearer caller',
        'sec-fetch-mode': 'cors',
        'switchyard-timeout': '5',
        accept: 'application/json',
      },
      true,
    );
    expect(out).toEqual({ accept: 'application/json', 'content-length': '10' });
    expect(requestHeadersForVendor({ 'content-length': '10' }, false)).toEqual({});
  });

  it('never returns cookies or browser-policy headers, and renames the vendor’s request id', () => {
    const out = responseHeadersForCaller({
      'set-cookie': ['a=1', 'b=2'],
      'access-control-allow-credentials': 'true',
      'strict-transport-security': 'max-age=1',
      'transfer-encoding': 'chunked',
      'x-request-id': 'v-1',
      'content-type': 'text/csv',
    });
    expect(out).toEqual({ 'x-vendor-request-id': 'v-1', 'content-type': 'text/csv' });
  });
});
