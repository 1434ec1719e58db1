import { platformEventTypes } from './types/platform.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { auditOf, expectProblem, rowCounts } from '../../test/helpers/fixtures.js';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  await t.close();
});

const invoiceSchema = {
  type: 'object',
  required: ['invoice_id', 'amount'],
  properties: { invoice_id: { type: 'string' }, amount: { type: 'integer', minimum: 0 } },
};

const createType = (body: unknown, token?: string) =>
  t.request({ method: 'POST', url: '/v1/event-types', body, ...(token ? { token } : {}) });

describe('event types', () => {
  it('creates a type with a schema, lists it beside the built-in platform types, and reads it back', async () => {
    const created = await createType({
      name: 'invoice.paid',
      description: 'An invoice was paid',
      schema: invoiceSchema,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.data).toMatchObject({
      name: 'invoice.paid',
      built_in: false,
      schema: invoiceSchema,
      archived_at: null,
    });
    const audit = await auditOf(t, created);
    expect(audit).toMatchObject([{ action: 'event_type.create', target_id: 'invoice.paid', outcome: 'success' }]);

    const list = await t.request({ url: '/v1/event-types' });
    expect(list.statusCode).toBe(200);
    const items = list.data.data as { name: string; built_in: boolean }[];
    const names = items.map((i) => i.name);
    expect(names).toEqual([...names].sort());
    for (const platform of [
      'connection.created',
      'connection.state_changed',
      'connection.tested',
      'connection.updated',
      'connection.deleted',
      'connection.scopes_changed',
      'connection.credentials_refreshed',
      'connection.user_connected',
    ]) {
      expect(
        items.find((i) => i.name === platform),
        platform,
      ).toMatchObject({ built_in: true });
    }
    expect(items.find((i) => i.name === 'invoice.paid')).toMatchObject({ built_in: false });

    const one = await t.request({ url: '/v1/event-types/invoice.paid' });
    expect(one.data).toMatchObject({ name: 'invoice.paid', description: 'An invoice was paid' });
    const builtIn = await t.request({ url: '/v1/event-types/connection.created' });
    expect(builtIn.data).toMatchObject({ name: 'connection.created', built_in: true });
  });

  it('pages through the list with a cursor', async () => {
    for (const n of ['a', 'b', 'c']) expect((await createType({ name: `zz.${n}` })).statusCode).toBe(201);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await t.request({ url: `/v1/event-types?limit=3${cursor ? `&cursor=${cursor}` : ''}` });
      seen.push(...(res.data.data as { name: string }[]).map((i) => i.name));
      cursor = res.data.next_cursor as string | null;
    } while (cursor);
    const total = Object.keys(platformEventTypes).length + 3;
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
    expect(seen.slice(-3)).toEqual(['zz.a', 'zz.b', 'zz.c']);
  });

  it('refuses bad names, bad schemas, duplicates and built-in names, writing nothing', async () => {
    const before = await rowCounts(t, ['event_types']);
    for (const name of [
      'invoice',
      'Invoice.paid',
      'invoice..paid',
      '1nvoice.paid',
      'invoice.paid.',
      'invoice-paid.x',
    ]) {
      const res = await createType({ name });
      expectProblem(res, 400, 'validation_failed');
      expect(res.data.errors, name).toEqual([expect.objectContaining({ path: 'body.name' })]);
    }
    expectProblem(await createType({ name: 'a.b', schema: 'object' }), 400, 'validation_failed');
    expectProblem(await createType({ name: 'a.b', extra: 1 }), 400, 'validation_failed');
    const badSchema = await createType({ name: 'a.b', schema: { type: 'objekt' } });
    expectProblem(badSchema, 400, 'validation_failed');
    const schemaErrors = badSchema.data.errors as { path: string }[];
    expect(schemaErrors.length).toBeGreaterThan(0);
    for (const e of schemaErrors) expect(e.path).toBe('body.schema/type');
    expectProblem(await createType({ name: 'connection.created' }), 409, 'conflict');
    expect(await rowCounts(t, ['event_types'])).toEqual(before);

    expect((await createType({ name: 'a.b' })).statusCode).toBe(201);
    expectProblem(await createType({ name: 'a.b' }), 409, 'already_exists');
  });

  it('updates, archives (hidden from the list unless asked) and unarchives; built-in types are read-only', async () => {
    await createType({ name: 'order.shipped', schema: invoiceSchema });
    const patched = await t.request({
      method: 'PATCH',
      url: '/v1/event-types/order.shipped',
      body: { description: 'Shipped', schema: null },
    });
    expect(patched.data).toMatchObject({ description: 'Shipped', schema: null });
    expectProblem(
      await t.request({ method: 'PATCH', url: '/v1/event-types/order.shipped', body: { schema: { type: 12 } } }),
      400,
      'validation_failed',
    );

    const archived = await t.request({ method: 'DELETE', url: '/v1/event-types/order.shipped' });
    expect(archived.statusCode).toBe(200);
    expect(archived.data.archived_at).toEqual(expect.any(String));
    const names = async (query = '') =>
      ((await t.request({ url: `/v1/event-types${query}` })).data.data as { name: string }[]).map((i) => i.name);
    expect(await names()).not.toContain('order.shipped');
    expect(await names('?include_archived=true')).toContain('order.shipped');

    const restored = await t.request({
      method: 'PATCH',
      url: '/v1/event-types/order.shipped',
      body: { archived: false },
    });
    expect(restored.data.archived_at).toBeNull();

    expectProblem(
      await t.request({ method: 'PATCH', url: '/v1/event-types/connection.created', body: { description: 'x' } }),
      409,
      'conflict',
    );
    expectProblem(await t.request({ method: 'DELETE', url: '/v1/event-types/connection.created' }), 409, 'conflict');
    expectProblem(await t.request({ method: 'DELETE', url: '/v1/event-types/no.such' }), 404, 'not_found');
  });

  it('keeps tenants apart', async () => {
    await createType({ name: 'invoice.paid' });
    const other = await t.otherTenant();
    expectProblem(await t.request({ url: '/v1/event-types/invoice.paid', token: other.token }), 404, 'not_found');
    expectProblem(
      await t.request({ method: 'DELETE', url: '/v1/event-types/invoice.paid', token: other.token }),
      404,
      'not_found',
    );
    const list = await t.request({ url: '/v1/event-types', token: other.token });
    expect((list.data.data as { name: string }[]).map((i) => i.name)).not.toContain('invoice.paid');
    // The other tenant may define the same name for itself.
    expect((await createType({ name: 'invoice.paid' }, other.token)).statusCode).toBe(201);
  });
});
