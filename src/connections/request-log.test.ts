import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/helpers/db.js';
import { insertRequestLog, listRequestLog, type RequestLogEntry } from './request-log.js';

const entry = (overrides: Partial<RequestLogEntry> = {}): RequestLogEntry => ({
  tenantId: 'ten_1',
  connectionId: 'con_1',
  kind: 'proxy',
  method: 'GET',
  path: '/v1/customers',
  status: 200,
  latencyMs: 1.234,
  bytesIn: 0,
  bytesOut: 90,
  retries: 0,
  error: null,
  requestId: 'req_caller',
  ...overrides,
});

describe('request log batches', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb();
  });
  afterEach(async () => {
    await t.drop();
  });

  it('stores every entry of a batch exactly as given, whatever characters its text holds', async () => {
    // One multi-row insert of array parameters: it must keep every byte.
    const awkward = '/v1/search?q=tab\there\\and\nnewline\r\\N ünïcødé 🚀';
    const batch = [
      entry({ path: awkward, error: 'upstream_unreachable: reset\tby peer\\' }),
      entry({ kind: 'test', method: 'POST', status: null, latencyMs: 15000, bytesIn: 1 << 20, retries: 3 }),
      entry({ requestId: null, connectionId: 'con_2' }),
      ...Array.from({ length: 300 }, (_, i) => entry({ path: `/items/${i}` })),
    ];
    await insertRequestLog(t.db, batch);

    const rows = await listRequestLog(t.db, 'ten_1', 'con_1', { limit: 500 });
    expect(rows).toHaveLength(302);
    const byPath = new Map(rows.map((r) => [r.path, r]));
    expect(byPath.get(awkward)).toMatchObject({
      kind: 'proxy',
      method: 'GET',
      status: 200,
      latency_ms: '1.23',
      error: 'upstream_unreachable: reset\tby peer\\',
      request_id: 'req_caller',
    });
    const test = rows.find((r) => r.kind === 'test');
    expect(test).toMatchObject({ method: 'POST', status: null, latency_ms: '15000.00', retries: 3 });
    expect(Number(test?.bytes_in)).toBe(1 << 20);
    expect(await listRequestLog(t.db, 'ten_1', 'con_2', { limit: 5 })).toMatchObject([{ request_id: null }]);
    expect(new Set(rows.map((r) => r.id)).size).toBe(302);
  });

  it('writes nothing of a batch that fails', async () => {
    // A NUL character is text PostgreSQL refuses: the whole batch fails, none of it lands.
    await expect(insertRequestLog(t.db, [entry(), entry({ path: '/bad\u0000path' })])).rejects.toThrow();
    expect(await listRequestLog(t.db, 'ten_1', 'con_1', { limit: 5 })).toEqual([]);
  });
});
