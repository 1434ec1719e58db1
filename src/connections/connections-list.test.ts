import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { installConnector } from '../../test/helpers/connectors.js';
import { startFakeVendor } from '../../test/helpers/fake-vendor.js';
import { expectProblem } from '../../test/helpers/fixtures.js';

/** GET /v1/connections: filters, free-text search, every sort, and cursor pages that neither repeat nor skip. */

type Row = {
  id: string;
  name: string;
  state: string;
  connector: { slug: string };
  created_at: string;
  last_test_at: string | null;
};

let t: TestApp;
let vendor: Awaited<ReturnType<typeof startFakeVendor>>;
const created: Row[] = [];

beforeAll(async () => {
  t = await createTestApp();
  vendor = await startFakeVendor({
    'GET /me': (req) =>
      req.headers.authorization === 'Bearer fail'
        ? { status: 500, json: {} }
        : { json: { id: `acct_${String(req.headers.authorization).slice('Bearer '.length)}` } },
  });
  await installConnector(t, { slug: 'other_api' });
  const add = async (
    connector: string,
    name: string,
    options: { validate?: boolean; token?: string; description?: string } = {},
  ) => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/connections',
      body: {
        connector,
        name,
        ...(options.description ? { description: options.description } : {}),
        auth_method: 'bearer',
        config: {
          base_url: vendor.url,
          ...(connector === 'generic_rest' ? { test_path: '/me', account_id_path: '$.id' } : {}),
        },
        credentials: { token: options.token ?? 'ok' },
        validate: options.validate ?? false,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.data.id as string;
  };
  await add('generic_rest', 'alpha');
  await add('generic_rest', 'Bravo', { validate: true, token: 'bravo' });
  const charlie = await add('generic_rest', 'charlie', { validate: true, token: 'charlie' });
  await t.request({ method: 'POST', url: `/v1/connections/${charlie}/pause` });
  const delta = await add('generic_rest', 'Delta', { token: 'fail' });
  await t.request({ method: 'POST', url: `/v1/connections/${delta}/test` });
  await add('generic_rest', 'Echo');
  await add('generic_rest', 'echo');
  await add('other_api', 'foxtrot');
  await add('other_api', 'Golf', { validate: true, description: 'Billing mirror (100% of invoices)' });
  const all = await t.request({ url: '/v1/connections?limit=200&sort=created_at' });
  created.push(...(all.data.data as Row[]));
  expect(created.map((r) => r.name)).toEqual(['alpha', 'Bravo', 'charlie', 'Delta', 'Echo', 'echo', 'foxtrot', 'Golf']);
});
afterAll(async () => {
  await t.close();
  await vendor.close();
});

const list = async (query: string) => {
  const res = await t.request({ url: `/v1/connections?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.data as { data: Row[]; next_cursor: string | null };
};
const names = async (query: string) => (await list(query)).data.map((r) => r.name);

const keys: Record<string, (r: Row) => string> = {
  name: (r) => r.name.toLowerCase(),
  created_at: (r) => r.created_at,
  state: (r) => r.state,
  connector: (r) => r.connector.slug,
  last_test_at: (r) => r.last_test_at ?? '',
};
/** The order the API promises: the sort key, then the id, both in the sort's direction. */
function expected(sort: string): string[] {
  const key = keys[sort.replace(/^-/, '')] as (r: Row) => string;
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const asc = [...created].sort((a, b) => cmp(key(a), key(b)) || cmp(a.id, b.id)).map((r) => r.id);
  return sort.startsWith('-') ? asc.reverse() : asc;
}

describe('listing connections', () => {
  it('filters by state and by connector', async () => {
    expect(await names('state=active&sort=name')).toEqual(['Bravo', 'Golf']);
    expect(await names('state=paused')).toEqual(['charlie']);
    expect(await names('state=error')).toEqual(['Delta']);
    expect(await names('state=inactive&sort=name')).toEqual(['alpha', ...(await echoes()), 'foxtrot']);
    expect(await names('connector=other_api&sort=name')).toEqual(['foxtrot', 'Golf']);
    expect(await names('connector=other_api&state=inactive')).toEqual(['foxtrot']);
    expect(await names('connector=nothing_like_it')).toEqual([]);
    expectProblem(await t.request({ url: '/v1/connections?state=sleeping' }), 400, 'validation_failed');
  });

  it('searches name, description, connector and account id, case-insensitively, LIKE wildcards taken literally', async () => {
    expect(await names('q=ECHO&sort=name')).toHaveLength(2);
    expect(await names('q=billing')).toEqual(['Golf']);
    expect(await names('q=acct_bravo')).toEqual(['Bravo']);
    expect(await names('q=other_api&sort=name')).toEqual(['foxtrot', 'Golf']);
    expect(await names(`q=${encodeURIComponent('100%')}`)).toEqual(['Golf']);
    expect(await names(`q=${encodeURIComponent('%')}`)).toEqual(['Golf']);
    // Unescaped, "x_r" would match the "xtr" of foxtrot.
    expect(await names('q=x_r')).toEqual([]);
    expect(await names('q=xtr')).toEqual(['foxtrot']);
    expect(await names('q=zzz')).toEqual([]);
  });

  it('sorts newest first by default, and by name ascending and descending', async () => {
    expect((await list('limit=200')).data.map((r) => r.id)).toEqual(expected('-created_at'));
    expect(await names('sort=name')).toEqual([
      'alpha',
      'Bravo',
      'charlie',
      'Delta',
      ...(await echoes()),
      'foxtrot',
      'Golf',
    ]);
    expect(await names('sort=-name')).toEqual([
      'Golf',
      'foxtrot',
      ...(await echoes()).reverse(),
      'Delta',
      'charlie',
      'Bravo',
      'alpha',
    ]);
  });

  for (const sort of ['name', 'created_at', 'state', 'connector', 'last_test_at']) {
    for (const direction of ['', '-']) {
      it(`pages through sort=${direction}${sort} without repeating or skipping a connection`, async () => {
        const order = expected(`${direction}${sort}`);
        expect((await list(`limit=200&sort=${direction}${sort}`)).data.map((r) => r.id)).toEqual(order);
        for (const limit of [1, 3]) {
          const seen: string[] = [];
          let cursor: string | null = null;
          let pages = 0;
          do {
            const query: string = `limit=${limit}&sort=${direction}${sort}${cursor ? `&cursor=${cursor}` : ''}`;
            const page = await list(query);
            expect(page.data.length).toBeLessThanOrEqual(limit);
            seen.push(...page.data.map((r) => r.id));
            cursor = page.next_cursor;
            pages += 1;
          } while (cursor && pages < 20);
          expect(seen).toEqual(order);
          expect(pages).toBe(Math.ceil(order.length / limit));
        }
      });
    }
  }

  it('pages keep the filters; a cursor it did not issue is a 400 naming the cursor', async () => {
    const first = await list('limit=1&state=inactive&sort=name');
    const second = await list(`limit=1&state=inactive&sort=name&cursor=${first.next_cursor as string}`);
    expect([...first.data, ...second.data].map((r) => r.name)).toEqual(['alpha', 'Echo']);
    const bad = await t.request({ url: '/v1/connections?cursor=not-a-cursor' });
    expectProblem(bad, 400, 'validation_failed');
    expect(bad.data.errors).toEqual([{ path: 'querystring.cursor', message: 'invalid cursor' }]);
  });
});

/** The two connections named Echo/echo: equal sort keys, so their order is by id. */
async function echoes(): Promise<string[]> {
  const rows = created.filter((r) => r.name.toLowerCase() === 'echo').sort((a, b) => (a.id < b.id ? -1 : 1));
  return rows.map((r) => r.name);
}
