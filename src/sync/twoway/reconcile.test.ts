import { describe, expect, it } from 'vitest';
import {
  reconcile,
  sideRecord,
  type ConflictPolicy,
  type DeletePolicy,
  type Link,
  type Pair,
  type Plan,
  type SideRecord,
  type Values,
} from './reconcile.js';

/*
 * reconcile() on its own: what a run writes where, given each side's changes and the links. Side A keeps its fields
 * under `properties` (a CRM), side B flat (a table row).
 */

const pairs: Pair[] = [
  { key: 'email', a: 'properties.email', b: 'email', direction: 'both', normalize: 'email' },
  { key: 'first_name', a: 'properties.firstname', b: 'first_name', direction: 'both', normalize: 'none' },
  { key: 'phone', a: 'properties.phone', b: 'phone', direction: 'both', normalize: 'phone' },
  { key: 'stage', a: 'properties.lifecyclestage', b: 'stage', direction: 'a_to_b', normalize: 'none' },
  { key: 'company', a: 'properties.company', b: 'company', direction: 'b_to_a', normalize: 'trim' },
];
const byKey = new Map(pairs.map((p) => [p.key, p]));
const read = (record: Record<string, unknown>, path: string) =>
  path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], record);
const match = { path: 'email', normalize: 'email' as const };

/** A record on side A (a CRM contact) with these values, by pair key. */
function onA(id: string, values: Values, extra: { updatedAt?: number; deleted?: boolean } = {}): SideRecord {
  const properties = Object.fromEntries(
    Object.entries(values).map(([k, v]) => [(byKey.get(k)?.a ?? k).replace('properties.', ''), v]),
  );
  return sideRecord(pairs, 'a', id, { id, properties }, read, {
    ...extra,
    match: { ...match, path: 'properties.email' },
  });
}
/** A row on side B with these values, by pair key. */
function onB(id: string, values: Values, extra: { updatedAt?: number; deleted?: boolean } = {}): SideRecord {
  return sideRecord(pairs, 'b', id, { id, ...values }, read, { ...extra, match });
}
/** A link as a run leaves it: both sides had `values` (normalised). */
function link(aId: string, bId: string, values: Values, bValues: Values = values): Link {
  return { a_id: aId, b_id: bId, a_values: onA(aId, values).values, b_values: onB(bId, bValues).values };
}

const base = {
  email: 'ada@example.test',
  first_name: 'Ada',
  phone: '+44 20 7946 0000',
  stage: 'lead',
  company: 'ACME',
};

function plan(
  input: {
    a?: SideRecord[];
    b?: SideRecord[];
    links?: Link[];
    policy?: ConflictPolicy;
    deletes?: { a: DeletePolicy; b: DeletePolicy };
    blocked?: string[];
    matching?: boolean;
  } = {},
): Plan {
  const links = input.links ?? [];
  return reconcile({
    pairs,
    policy: input.policy ?? 'source_wins',
    deletes: input.deletes ?? { a: 'propagate', b: 'propagate' },
    aChanges: input.a ?? [],
    bChanges: input.b ?? [],
    linksByA: new Map(links.map((l) => [l.a_id, l])),
    linksByB: new Map(links.map((l) => [l.b_id, l])),
    blocked: new Set(input.blocked ?? []),
    matching: input.matching ?? true,
  });
}
const writes = (p: Plan) => ({
  toA: p.toA.map((w) => ({ id: w.id, values: w.values })),
  toB: p.toB.map((w) => ({ id: w.id, values: w.values })),
});
const nothingWritten = { toA: [], toB: [] };

describe('reconcile: echoes and changes', () => {
  it('reads a record equal to what the link holds as an echo, also when the vendor rewrote a value', () => {
    const l = link('1', 'b1', base);
    const p = plan({
      links: [l],
      // HubSpot answers the e-mail in other case and the phone formatted its way; the table trims nothing.
      a: [onA('1', { ...base, email: 'ADA@example.test ', phone: '+442079460000' })],
      b: [onB('b1', base)],
    });
    expect(writes(p)).toEqual(nothingWritten);
    expect(p.counts).toMatchObject({ echoes: 1, conflicts: 0 });
    expect(p.links).toHaveLength(1);
    expect(p.links[0]).toMatchObject({ a_id: '1', b_id: 'b1' });
    expect(p.links[0]?.a_values).toEqual(l.a_values);
  });

  it('sends a change on A to B, and one on B to A, only the fields that changed', () => {
    const l = link('1', 'b1', base);
    const fromA = plan({ links: [l], a: [onA('1', { ...base, first_name: 'Augusta' })] });
    expect(writes(fromA)).toEqual({ toA: [], toB: [{ id: 'b1', values: { first_name: 'Augusta' } }] });
    expect(fromA.toB[0]?.link.b_values.first_name).toBe('Augusta');
    expect(fromA.counts.echoes).toBe(0);

    const fromB = plan({ links: [l], b: [onB('b1', { ...base, phone: '+1 (415) 555-0100' })] });
    expect(writes(fromB)).toEqual({ toA: [{ id: '1', values: { phone: '+1 (415) 555-0100' } }], toB: [] });
    // The link keeps what A will hold, normalised: A reading it back formatted its own way is an echo.
    expect(fromB.toA[0]?.link.a_values.phone).toBe('+14155550100');
  });

  it('merges changes to different fields of one record on both sides, each to the other', () => {
    const p = plan({
      links: [link('1', 'b1', base)],
      a: [onA('1', { ...base, first_name: 'Augusta' })],
      b: [onB('b1', { ...base, phone: '+1 415 555 0100' })],
      policy: 'manual',
    });
    expect(writes(p)).toEqual({
      toA: [{ id: '1', values: { phone: '+1 415 555 0100' } }],
      toB: [{ id: 'b1', values: { first_name: 'Augusta' } }],
    });
    expect(p.counts.conflicts).toBe(0);
  });

  it('writes nothing when both sides changed a field to the same (normalised) value', () => {
    const p = plan({
      links: [link('1', 'b1', base)],
      a: [onA('1', { ...base, email: 'Ada.L@Example.test' })],
      b: [onB('b1', { ...base, email: 'ada.l@example.test' })],
      policy: 'manual',
    });
    expect(writes(p)).toEqual(nothingWritten);
    expect(p.counts.conflicts).toBe(0);
    expect(p.links[0]?.a_values.email).toBe('ada.l@example.test');
    expect(p.links[0]?.b_values.email).toBe('ada.l@example.test');
  });

  it('keeps per-field directions: a_to_b never goes to A, b_to_a never to B', () => {
    const l = link('1', 'b1', base);
    const aEdits = plan({ links: [l], a: [onA('1', { ...base, stage: 'customer', company: 'Initech' })] });
    expect(writes(aEdits)).toEqual({ toA: [], toB: [{ id: 'b1', values: { stage: 'customer' } }] });

    const bEdits = plan({ links: [l], b: [onB('b1', { ...base, stage: 'customer', company: 'Initech' })] });
    expect(writes(bEdits)).toEqual({ toA: [{ id: '1', values: { company: 'Initech' } }], toB: [] });

    // Both sides edit a one-way field: only its source side counts, so it is no conflict.
    const both = plan({
      links: [l],
      a: [onA('1', { ...base, stage: 'customer', company: 'A Corp' })],
      b: [onB('b1', { ...base, stage: 'evangelist', company: 'B Corp' })],
      policy: 'manual',
    });
    expect(both.counts.conflicts).toBe(0);
    expect(writes(both)).toEqual({
      toA: [{ id: '1', values: { company: 'B Corp' } }],
      toB: [{ id: 'b1', values: { stage: 'customer' } }],
    });
  });

  it('writes a B edit of an A-to-B field nowhere, and keeps it in the link (not a change to replay)', () => {
    const p = plan({ links: [link('1', 'b1', base)], b: [onB('b1', { ...base, stage: 'other' })] });
    expect(writes(p)).toEqual(nothingWritten);
    expect(p.links[0]?.b_values.stage).toBe('other');
  });
});

describe('reconcile: conflicts by policy', () => {
  const clash = (policy: ConflictPolicy, at: { a?: number; b?: number } = {}) =>
    plan({
      policy,
      links: [link('1', 'b1', base)],
      a: [onA('1', { ...base, first_name: 'Ada (A)', phone: '+1 212 555 0000' }, { updatedAt: at.a })],
      b: [onB('b1', { ...base, first_name: 'Ada (B)', company: 'Initech' }, { updatedAt: at.b })],
    });

  it('source_wins: A’s value to B; the fields changed on one side only still flow', () => {
    const p = clash('source_wins');
    expect(p.counts.conflicts).toBe(1);
    expect(writes(p)).toEqual({
      toA: [{ id: '1', values: { company: 'Initech' } }],
      toB: [{ id: 'b1', values: { first_name: 'Ada (A)', phone: '+1 212 555 0000' } }],
    });
  });

  it('target_wins: B’s value to A', () => {
    const p = clash('target_wins');
    expect(p.counts.conflicts).toBe(1);
    expect(writes(p)).toEqual({
      toA: [{ id: '1', values: { first_name: 'Ada (B)', company: 'Initech' } }],
      toB: [{ id: 'b1', values: { phone: '+1 212 555 0000' } }],
    });
  });

  it('latest_timestamp: the side modified later wins; a tie goes to A', () => {
    const bLater = clash('latest_timestamp', { a: 1000, b: 2000 });
    expect(bLater.toA[0]?.values.first_name).toBe('Ada (B)');
    expect(bLater.toB[0]?.values).not.toHaveProperty('first_name');
    const aLater = clash('latest_timestamp', { a: 3000, b: 2000 });
    expect(aLater.toB[0]?.values.first_name).toBe('Ada (A)');
    expect(aLater.toA[0]?.values).not.toHaveProperty('first_name');
    const tie = clash('latest_timestamp', { a: 2000, b: 2000 });
    expect(tie.toB[0]?.values.first_name).toBe('Ada (A)');
    expect(tie.counts.conflicts).toBe(1);
  });

  it('manual: the record goes to the inbox with both values and the base, and nothing of it is written', () => {
    const p = clash('manual');
    expect(writes(p)).toEqual(nothingWritten);
    expect(p.links).toEqual([]);
    expect(p.counts.conflicts).toBe(1);
    expect(p.conflicts).toEqual([
      {
        link: expect.objectContaining({ a_id: '1', b_id: 'b1' }) as Link,
        fields: [{ field: 'first_name', a: 'Ada (A)', b: 'Ada (B)', base: 'Ada' }],
      },
    ]);
  });

  it('writes nothing for a record with an open conflict, whatever changed', () => {
    const p = plan({
      links: [link('1', 'b1', base), link('2', 'b2', { ...base, email: 'two@example.test' })],
      a: [
        onA('1', { ...base, first_name: 'New' }),
        onA('2', { ...base, email: 'two@example.test', first_name: 'Two' }),
      ],
      b: [onB('b1', { ...base, company: 'Changed' })],
      blocked: ['1'],
    });
    expect(p.counts.blocked).toBe(1);
    expect(writes(p)).toEqual({ toA: [], toB: [{ id: 'b2', values: { first_name: 'Two' } }] });
    expect(p.links.map((l) => l.a_id)).toEqual([]);
  });
});

describe('reconcile: first-run matching', () => {
  it('links a unique match by the normalised key, settling differing values by the policy', () => {
    const p = plan({
      a: [onA('1', { ...base, first_name: 'Ada' })],
      b: [onB('b1', { ...base, email: ' ADA@EXAMPLE.TEST', first_name: 'Ada L.' })],
      policy: 'target_wins',
    });
    expect(p.counts).toMatchObject({ unmatched: 0, ambiguous: 0, conflicts: 1 });
    expect(writes(p)).toEqual({ toA: [{ id: '1', values: { first_name: 'Ada L.' } }], toB: [] });
    expect(p.toA[0]?.link).toMatchObject({ a_id: '1', b_id: 'b1' });
  });

  it('links a match that conflicts under manual (blocked, resolvable), its base only what both sides agree on', () => {
    const p = plan({
      a: [onA('1', { ...base, first_name: 'Ada', company: null })],
      b: [onB('b1', { ...base, first_name: 'Ada L.', stage: null })],
      policy: 'manual',
    });
    expect(writes(p)).toEqual(nothingWritten);
    expect(p.conflicts).toEqual([
      {
        link: expect.objectContaining({ a_id: '1', b_id: 'b1' }) as Link,
        fields: [{ field: 'first_name', a: 'Ada', b: 'Ada L.', base: null }],
      },
    ]);
    const agreed = { email: 'ada@example.test', phone: '+442079460000' };
    expect(p.links).toEqual([{ a_id: '1', b_id: 'b1', a_values: agreed, b_values: agreed }]);
    // Resolved, the one-way fields still differ from the base: they flow their way.
    const after = plan({
      links: p.links,
      a: [onA('1', { ...base, first_name: 'Ada L.', company: null })],
      b: [onB('b1', { ...base, first_name: 'Ada L.', stage: null })],
      policy: 'manual',
    });
    expect(writes(after)).toEqual({
      toA: [{ id: '1', values: { company: 'ACME' } }],
      toB: [{ id: 'b1', values: { stage: 'lead' } }],
    });
  });

  it('links matched records that already agree without writing anything or counting an echo', () => {
    const p = plan({ a: [onA('1', base)], b: [onB('b1', { ...base, phone: '+442079460000' })] });
    expect(writes(p)).toEqual(nothingWritten);
    expect(p.counts).toMatchObject({ echoes: 0, unmatched: 0, conflicts: 0 });
    expect(p.links).toEqual([expect.objectContaining({ a_id: '1', b_id: 'b1' })]);
  });

  it('creates unmatched records on the other side (only the fields that may go there), linked by their origin', () => {
    const p = plan({
      a: [onA('1', { ...base, email: 'only-a@example.test' })],
      b: [onB('b9', { ...base, email: 'only-b@example.test' }), onB('b8', { first_name: 'No e-mail' })],
    });
    expect(p.counts.unmatched).toBe(3);
    expect(writes(p)).toEqual({
      toB: [
        {
          id: undefined,
          values: {
            email: 'only-a@example.test',
            first_name: 'Ada',
            phone: '+44 20 7946 0000',
            stage: 'lead',
          },
        },
      ],
      toA: [
        {
          id: undefined,
          values: { email: 'only-b@example.test', first_name: 'Ada', phone: '+44 20 7946 0000', company: 'ACME' },
        },
        { id: undefined, values: { first_name: 'No e-mail' } },
      ],
    });
    expect(p.toB[0]?.link).toMatchObject({ a_id: '1', b_id: '' });
    expect(p.toA[0]?.link).toMatchObject({ a_id: '', b_id: 'b9' });
  });

  it('reports an ambiguous match instead of guessing, and creates none of the records involved', () => {
    const twoOnB = plan({
      a: [onA('1', base)],
      b: [onB('b1', base), onB('b2', { ...base, email: 'ADA@example.test' })],
    });
    expect(twoOnB.counts).toMatchObject({ ambiguous: 1, unmatched: 0 });
    expect(twoOnB.ambiguous).toEqual([{ side: 'a', id: '1', candidates: ['b1', 'b2'] }]);
    expect(writes(twoOnB)).toEqual(nothingWritten);
    expect(twoOnB.links).toEqual([]);

    const twoOnA = plan({ a: [onA('1', base), onA('2', base)], b: [onB('b1', base)] });
    expect(twoOnA.counts).toMatchObject({ ambiguous: 2, unmatched: 0 });
    expect(writes(twoOnA)).toEqual(nothingWritten);
    expect(twoOnA.links).toEqual([]);
  });

  it('does not match at all when matching is off: every unlinked record is created on the other side', () => {
    const p = plan({ a: [onA('1', base)], b: [onB('b1', base)], matching: false });
    expect(p.counts.unmatched).toBe(2);
    expect(p.toA).toHaveLength(1);
    expect(p.toB).toHaveLength(1);
  });

  it('does not match a linked record again', () => {
    const p = plan({
      links: [link('1', 'b1', base)],
      a: [onA('1', base)],
      b: [onB('b2', { ...base, first_name: 'Other' })],
    });
    expect(p.counts.unmatched).toBe(1);
    expect(writes(p).toA).toEqual([{ id: undefined, values: expect.objectContaining({ first_name: 'Other' }) }]);
  });
});

describe('reconcile: deletes', () => {
  const l = link('1', 'b1', base);
  const goneOnB = onB('b1', {}, { deleted: true });
  const goneOnA = onA('1', {}, { deleted: true });

  it('propagates a delete as the deleting side’s policy says, or only unlinks (ignore)', () => {
    const propagate = plan({ links: [l], b: [goneOnB] });
    expect(propagate.deleteOnA.map((x) => x.a_id)).toEqual(['1']);
    expect(propagate.deleteOnB).toEqual([]);
    const fromA = plan({ links: [l], a: [goneOnA] });
    expect(fromA.deleteOnB.map((x) => x.b_id)).toEqual(['b1']);
    const ignore = plan({ links: [l], b: [goneOnB], deletes: { a: 'propagate', b: 'ignore' } });
    expect(ignore.deleteOnA).toEqual([]);
    expect(ignore.unlink.map((x) => x.a_id)).toEqual(['1']);
    expect(writes(ignore)).toEqual(nothingWritten);
  });

  it('only unlinks a record deleted on both sides', () => {
    const p = plan({ links: [l], a: [goneOnA], b: [goneOnB] });
    expect(p.unlink.map((x) => x.a_id)).toEqual(['1']);
    expect(p.deleteOnA).toEqual([]);
    expect(p.deleteOnB).toEqual([]);
  });

  it('treats a delete unchanged on the other side as a plain delete, not a conflict', () => {
    const p = plan({ links: [l], b: [goneOnB], a: [onA('1', base)], policy: 'manual' });
    expect(p.counts.conflicts).toBe(0);
    expect(p.deleteOnA.map((x) => x.a_id)).toEqual(['1']);
  });

  it('settles deleted-on-one-side, edited-on-the-other as a conflict by the policy', () => {
    const edited = onA('1', { ...base, first_name: 'Edited' }, { updatedAt: 5000 });
    const deletedB = onB('b1', {}, { deleted: true, updatedAt: 4000 });
    // The delete was on B: target_wins lets it win, source_wins keeps A's edit and re-creates the row on B.
    const deleteWins = plan({ links: [l], a: [edited], b: [deletedB], policy: 'target_wins' });
    expect(deleteWins.counts.conflicts).toBe(1);
    expect(deleteWins.deleteOnA.map((x) => x.a_id)).toEqual(['1']);
    expect(writes(deleteWins)).toEqual(nothingWritten);

    const editWins = plan({ links: [l], a: [edited], b: [deletedB], policy: 'source_wins' });
    expect(editWins.counts.conflicts).toBe(1);
    expect(editWins.deleteOnA).toEqual([]);
    expect(editWins.unlink.map((x) => x.a_id)).toEqual(['1']);
    expect(writes(editWins)).toEqual({
      toA: [],
      toB: [
        {
          id: undefined,
          values: { email: base.email, first_name: 'Edited', phone: base.phone, stage: base.stage },
        },
      ],
    });
    expect(editWins.toB[0]?.link).toMatchObject({ a_id: '1', b_id: '' });

    // latest_timestamp: the edit (5000) is later than the delete (4000).
    const latest = plan({ links: [l], a: [edited], b: [deletedB], policy: 'latest_timestamp' });
    expect(latest.deleteOnA).toEqual([]);
    expect(latest.toB).toHaveLength(1);
    const latestDelete = plan({
      links: [l],
      a: [onA('1', { ...base, first_name: 'Edited' }, { updatedAt: 3000 })],
      b: [deletedB],
      policy: 'latest_timestamp',
    });
    expect(latestDelete.deleteOnA.map((x) => x.a_id)).toEqual(['1']);

    const manual = plan({ links: [l], a: [edited], b: [deletedB], policy: 'manual' });
    expect(writes(manual)).toEqual(nothingWritten);
    expect(manual.deleteOnA).toEqual([]);
    expect(manual.unlink).toEqual([]);
    expect(manual.conflicts).toEqual([{ link: l, fields: [{ field: '_deleted', a: false, b: true, base: false }] }]);
  });

  it('re-creates a record deleted on A and edited on B on A when B wins', () => {
    const p = plan({
      links: [l],
      a: [goneOnA],
      b: [onB('b1', { ...base, company: 'Edited' })],
      policy: 'target_wins',
    });
    expect(p.deleteOnB).toEqual([]);
    expect(p.toA).toHaveLength(1);
    expect(p.toA[0]?.id).toBeUndefined();
    expect(p.toA[0]?.values.company).toBe('Edited');
    expect(p.toA[0]?.values).not.toHaveProperty('stage');
    expect(p.toA[0]?.link).toMatchObject({ a_id: '', b_id: 'b1' });
  });

  it('writes nothing for a blocked record even when it was deleted', () => {
    const p = plan({ links: [l], b: [goneOnB], blocked: ['1'] });
    expect(p.deleteOnA).toEqual([]);
    expect(p.unlink).toEqual([]);
    expect(p.counts.blocked).toBe(1);
  });
});
