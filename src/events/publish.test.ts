import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../../test/helpers/db.js';
import type { AuditEntry } from '../core/http/register.js';
import { newId } from '../core/ids.js';
import type { Principal } from '../core/principal.js';
import { createPublishGroups } from './publish.js';

let t: TestDb;
beforeEach(async () => {
  t = await createTestDb();
  await t.db.query(`insert into tenants (id, name, slug) values ('ten_p', 'Publisher', 'publisher')`);
  await t.db.query(
    `insert into webhook_endpoints (id, tenant_id, url, event_types) values
       ('ep_all', 'ten_p', 'https://a.example.test', '{}'), ('ep_paid', 'ten_p', 'https://b.example.test', '{order.paid}')`,
  );
});
afterEach(async () => {
  await t.drop();
});

const actor = { kind: 'api_key', id: 'key_p', label: 'publisher key', tenantId: 'ten_p' } as unknown as Principal;
const entry = (targetId: string, requestId: string): AuditEntry => ({
  tenantId: 'ten_p',
  actor,
  action: 'event.publish',
  targetType: 'event',
  targetId,
  outcome: 'success',
  statusCode: 201,
  errorCode: undefined,
  requestId,
  diff: { type: 'order.paid' },
});
const event = (n: number, overrides: { idempotencyKey?: string; type?: string } = {}) => ({
  id: newId('evt'),
  tenantId: 'ten_p',
  type: overrides.type ?? 'order.paid',
  data: { n, text: `tab\there "quoted" \\ back` },
  source: 'api' as const,
  ...(overrides.idempotencyKey ? { idempotencyKey: overrides.idempotencyKey } : {}),
});

describe('publish groups', () => {
  it('stores events published in one turn in one transaction, with their deliveries and audit entries', async () => {
    const groups = createPublishGroups(t.db);
    const events = Array.from({ length: 40 }, (_, i) => event(i, i % 4 === 0 ? { type: 'order.shipped' } : {}));
    const rows = await Promise.all(events.map((e, i) => groups.publish(e, entry(e.id, `req_${i}`))));

    expect(rows.map((r) => r.id)).toEqual(events.map((e) => e.id));
    rows.forEach((r, i) => expect(r.data).toEqual(events[i]?.data));
    // One transaction: now() is the same for every row of it.
    const { rows: times } = await t.db.query<{ n: number }>(
      'select count(distinct created_at)::int as n from events where id = any($1)',
      [events.map((e) => e.id)],
    );
    expect(times[0]?.n).toBe(1);
    const { rows: deliveries } = await t.db.query<{ endpoint_id: string; n: number }>(
      `select endpoint_id, count(*)::int as n from webhook_deliveries group by endpoint_id order by endpoint_id`,
    );
    expect(deliveries).toEqual([
      { endpoint_id: 'ep_all', n: 40 },
      { endpoint_id: 'ep_paid', n: 30 },
    ]);
    const { rows: audit } = await t.db.query<{ target_id: string; request_id: string; status_code: number }>(
      `select target_id, request_id, status_code from audit_log order by request_id`,
    );
    expect(audit).toHaveLength(40);
    for (const a of audit) expect(a.target_id).toBe(events[Number(a.request_id.slice(4))]?.id);
  });

  it('stores a refused group again one event at a time: only the event at fault fails', async () => {
    const groups = createPublishGroups(t.db);
    // Two events claiming one new idempotency key in the same group: the unique index refuses the whole group.
    const events = [event(1), event(2, { idempotencyKey: 'k' }), event(3), event(4, { idempotencyKey: 'k' })];
    const outcomes = await Promise.allSettled(events.map((e, i) => groups.publish(e, entry(e.id, `req_${i}`))));

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    expect(String((outcomes[3] as PromiseRejectedResult).reason)).toMatch(/duplicate key|unique/);
    const { rows } = await t.db.query<{ id: string }>('select id from events order by id');
    expect(rows.map((r) => r.id)).toEqual(events.slice(0, 3).map((e) => e.id));
    const { rows: audit } = await t.db.query<{ target_id: string }>('select target_id from audit_log order by id');
    expect(audit.map((a) => a.target_id).sort()).toEqual(
      events
        .slice(0, 3)
        .map((e) => e.id)
        .sort(),
    );
    const { rows: deliveries } = await t.db.query<{ n: number }>('select count(*)::int as n from webhook_deliveries');
    expect(deliveries[0]?.n).toBe(6);

    // The groups keep working after a refusal.
    const later = event(5);
    expect((await groups.publish(later)).id).toBe(later.id);
  });
});
