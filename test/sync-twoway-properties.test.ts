import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomToken } from '../src/core/ids.js';
import { generateMasterKey } from '../src/vault/keyring.js';
import { manifestAt, shippedManifest } from './conformance/harness.js';
import { connectVendor, type VendorConnection } from './fakes/connect.js';
import { startHubspotFake } from './fakes/hubspot.js';
import { testDatabaseUrl } from './helpers/db.js';
import { uniqueName } from './helpers/fixtures.js';
import { createScratchDatabase, serveApi, startServeProcess, type ServeProcess } from './helpers/serve-process.js';
import { until } from './helpers/syncs.js';

/*
 * Two-way sync, property style: HubSpot contacts (side A, the fake that behaves as HubSpot documents) and a
 * PostgreSQL table (side B), through the running server and its sync runner. For each policy and a few seeds, random
 * rounds of edits on both sides (some repeated, some only a vendor's rewrite of a value), each round ended by a run
 * asked for directly or by HubSpot change notifications posted to an inbound source with a run_sync rule (late, twice,
 * out of order: a run reads the changes incrementally, so a notification only triggers). A model of the edits says
 * what each run must leave on each side; after every round's quiescence (runs until one writes nothing) both sides
 * agree with the model (records with an open manual conflict keep their own values), a further run writes nothing,
 * and no record exists twice on either side. Then the same after a `switchyard serve` killed with SIGKILL mid-run.
 *
 * A failure names its policy and seed: `SEED=<n> npx vitest run test/sync-twoway-properties.test.ts` replays it.
 */

type Policy = 'source_wins' | 'target_wins' | 'latest_timestamp' | 'manual';
type Field = 'email' | 'first_name' | 'phone' | 'stage' | 'company';
type Vals = Record<Field, string | null>;
const FIELDS: Field[] = ['email', 'first_name', 'phone', 'stage', 'company'];
const A_PATH: Record<Field, string> = {
  email: 'email',
  first_name: 'firstname',
  phone: 'phone',
  stage: 'lifecyclestage',
  company: 'company',
};
/** Which way each field goes: stage only A → B, company only B → A. */
const TO_B: Record<Field, boolean> = { email: true, first_name: true, phone: true, stage: true, company: false };
const TO_A: Record<Field, boolean> = { email: true, first_name: true, phone: true, stage: false, company: true };

/** The model's own comparison form (written here, not taken from the engine): what the config's normalisers say. */
function norm(field: Field, value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  let v = value.trim();
  if (field === 'email') v = v.toLowerCase();
  if (field === 'phone') v = (v.startsWith('+') ? '+' : '') + v.replace(/\D/g, '');
  if (field === 'first_name' || field === 'stage') v = value;
  return v === '' ? null : v;
}
const same = (f: Field, x: string | null | undefined, y: string | null | undefined) => norm(f, x) === norm(f, y);

function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof prng>;

const NAMES = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Ken', 'Radia', 'Frances'];
const STAGES = ['lead', 'opportunity', 'customer', 'evangelist'];
const COMPANIES = ['ACME', 'Initech', ' Globex ', 'Umbrella', 'Hooli'];
const PHONES = ['4155550100', '2125550111', '3125550122', '6175550133'];
const phoneAs = (digits: string, style: number) =>
  [
    `+1 ${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}`,
    `+1${digits}`,
    `+1 (${digits.slice(0, 3)}) ${digits.slice(3, 6)} ${digits.slice(6)}`,
  ][style % 3] as string;

type Entity = {
  email: string;
  a: Vals | null;
  b: Vals | null;
  /** Normalised values both sides agreed on at the last sync; null before the record was ever linked. */
  base: Vals | null;
  conflict?: { fields: { field: Field; a: string | null; b: string | null; base: string | null }[] };
  resolution?: 'a' | 'b';
};

/** What one run must do to an entity, given every edit made before it. */
function expectRun(e: Entity, policy: Policy, stamps: { a: number; b: number }) {
  if (e.conflict && !e.resolution) return; // parked: nothing written either way
  if (e.a && !e.b) {
    e.b = Object.fromEntries(FIELDS.map((f) => [f, TO_B[f] ? e.a?.[f] : null])) as Vals;
  } else if (!e.a && e.b) {
    e.a = Object.fromEntries(FIELDS.map((f) => [f, TO_A[f] ? e.b?.[f] : null])) as Vals;
  } else if (e.a && e.b) {
    const a = e.a;
    const b = e.b;
    const chosen = e.resolution && e.conflict ? e.conflict.fields : [];
    for (const c of chosen) a[c.field] = b[c.field] = e.resolution === 'a' ? c.a : c.b;
    const conflicting: Field[] = [];
    const moves: [Field, 'a' | 'b'][] = [];
    for (const f of FIELDS) {
      if (chosen.some((c) => c.field === f)) continue;
      const aCh = TO_B[f] && (e.base ? !same(f, a[f], e.base[f]) : !same(f, a[f], b[f]));
      const bCh = TO_A[f] && (e.base ? !same(f, b[f], e.base[f]) : !same(f, a[f], b[f]));
      if (aCh && bCh) {
        if (!same(f, a[f], b[f])) conflicting.push(f);
      } else if (aCh) moves.push([f, 'a']);
      else if (bCh) moves.push([f, 'b']);
    }
    if (conflicting.length > 0 && policy === 'manual') {
      e.conflict = {
        fields: conflicting.map((f) => ({ field: f, a: a[f], b: b[f], base: e.base ? e.base[f] : null })),
      };
      return;
    }
    const aWins = policy === 'source_wins' || (policy === 'latest_timestamp' && stamps.a >= stamps.b);
    for (const f of conflicting) moves.push([f, aWins ? 'a' : 'b']);
    for (const [f, from] of moves) {
      if (from === 'a') b[f] = a[f];
      else a[f] = b[f];
    }
  }
  delete e.conflict;
  delete e.resolution;
  e.base = Object.fromEntries(FIELDS.map((f) => [f, norm(f, e.a?.[f])])) as Vals;
}

// ---------------------------------------------------------------------------------------------------------------
// The two sides and the server, as a scenario sees them (the in-process app, or a serve process for the kill test).

type Api = (method: string, url: string, body?: unknown) => Promise<{ status: number; data: Record<string, unknown> }>;
type Json = Record<string, unknown>;
type Hubspot = Awaited<ReturnType<typeof startHubspotFake>>;

type World = {
  api: Api;
  /** A query on Switchyard's own database. */
  appQuery<T extends Json>(sql: string, params?: unknown[]): Promise<T[]>;
  /** The database the table (side B) lives in. */
  data: pg.Client;
  fake: Hubspot;
  hubspotConnection: string;
  pgConnection: string;
  /** The path and an inbound poster, for webhook rounds. */
  postWebhook(path: string, body: unknown): Promise<number>;
};

class Scenario {
  entities: Entity[] = [];
  clock = Date.now();
  nextA = 500_000;
  nextB = 1;
  syncId = '';
  webhookPath = '';
  late: Json[] = [];
  log: string[] = [];
  constructor(
    readonly w: World,
    readonly policy: Policy,
    readonly seed: number,
    readonly rng: Rng,
    readonly schema: string,
    readonly table: string,
  ) {}

  get qualified() {
    return `${this.schema}.${this.table}`;
  }
  tick() {
    return (this.clock = Math.max(Date.now(), this.clock + 1000));
  }
  get contacts() {
    const map = this.w.fake.objects.get('contacts');
    if (!map) throw new Error('no contacts');
    return map;
  }
  findA(email: string) {
    return [...this.contacts.values()].filter((c) => norm('email', c.properties.email ?? null) === email);
  }

  // -- edits on each side (the model follows each one)
  putA(e: Entity, values: Partial<Vals>) {
    const at = new Date(this.tick()).toISOString();
    const found = this.findA(e.email)[0];
    const properties: Record<string, string> = { ...(found?.properties ?? {}) };
    for (const [f, v] of Object.entries(values) as [Field, string | null][]) {
      if (v === null) delete properties[A_PATH[f]];
      else properties[A_PATH[f]] = v;
    }
    if (found) {
      found.properties = properties;
      found.updatedAt = at;
      return found.id;
    }
    const id = String(this.nextA++);
    this.contacts.set(id, { id, properties, createdAt: at, updatedAt: at, archived: false });
    return id;
  }
  async putB(e: Entity, values: Partial<Vals>, id?: string) {
    const at = new Date(this.tick()).toISOString();
    if (id) {
      const cols = ['id', ...FIELDS, 'updated_at'];
      const row = [id, ...FIELDS.map((f) => values[f] ?? null), at];
      await this.w.data.query(
        `insert into ${this.qualified} (${cols.join(', ')}) values (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
        row,
      );
      return;
    }
    const sets = Object.keys(values).map((f, i) => `${f} = $${i + 3}`);
    const res = await this.w.data.query(
      `update ${this.qualified} set updated_at = $2, ${sets.join(', ')} where lower(trim(email)) = $1`,
      [e.email, at, ...Object.values(values)],
    );
    if (res.rowCount !== 1) throw new Error(`no single row for ${e.email} on B`);
  }

  async createTable() {
    await this.w.data.query(
      `create table ${this.qualified} (id text primary key, email text, first_name text, phone text, stage text,
         company text, updated_at timestamptz, _switchyard_synced_at timestamptz, _switchyard_deleted_at timestamptz)`,
    );
  }

  async createSync() {
    const res = await this.w.api('POST', '/v1/syncs', {
      name: `${this.table}`,
      source: {
        kind: 'connection',
        connection_id: this.w.hubspotConnection,
        streams: [{ name: 'contacts', target: this.table }],
      },
      target: { kind: 'postgres', connection_id: this.w.pgConnection, schema: this.schema },
      type: 'incremental',
      direction: 'bidirectional',
      conflict_policy: this.policy,
      two_way: {
        fields: [
          { a: 'properties.email', b: 'email', normalize: 'email' },
          { a: 'properties.firstname', b: 'first_name' },
          { a: 'properties.phone', b: 'phone', normalize: 'phone' },
          { a: 'properties.lifecyclestage', b: 'stage', direction: 'a_to_b' },
          { a: 'properties.company', b: 'company', direction: 'b_to_a', normalize: 'trim' },
        ],
        match: { a: 'properties.email', b: 'email', normalize: 'email' },
        // Record-level times for latest_timestamp (side B then read incrementally by it); the table in full otherwise.
        timestamps: this.policy === 'latest_timestamp' ? { a: 'updatedAt', b: 'updated_at' } : { a: 'updatedAt' },
      },
    });
    expect(res.status, JSON.stringify(res.data)).toBe(201);
    this.syncId = res.data.id as string;
    const source = await this.w.api('POST', '/v1/inbound/sources', {
      name: `${this.table} changes`,
      verification: { type: 'none' },
      rules: [{ name: 'sync', actions: [{ type: 'run_sync', sync_id: this.syncId }] }],
    });
    expect(source.status, JSON.stringify(source.data)).toBe(201);
    this.webhookPath = ((source.data.source as Json).url as string).replace(/^https?:\/\/[^/]+/, '');
  }

  /** Initial records: some on both sides (matched by e-mail in another case, values maybe differing), some on one. */
  async seedRecords(n: number) {
    for (let i = 0; i < n; i++) {
      const email = `p${this.seed}-${i}@example.test`;
      const e: Entity = { email, a: null, b: null, base: null };
      this.entities.push(e);
      const where = i % 3; // 0 both, 1 A only, 2 B only
      const first = this.rng.pick(NAMES);
      if (where !== 2) {
        e.a = {
          email: i % 2 ? email.toUpperCase() : email,
          first_name: first,
          phone: this.rng.chance(0.5) ? phoneAs(this.rng.pick(PHONES), this.rng.int(3)) : null,
          stage: this.rng.pick(STAGES),
          company: null,
        };
        this.putA(e, e.a);
      }
      if (where !== 1) {
        e.b = {
          email,
          first_name: where === 0 && this.rng.chance(0.5) ? this.rng.pick(NAMES) : first,
          phone: where === 0 ? (e.a?.phone ?? null) : null,
          stage: where === 0 ? (e.a?.stage ?? null) : null,
          company: this.rng.pick(COMPANIES),
        };
        if (where === 0) e.a = { ...(e.a as Vals), company: e.b.company };
        if (where === 0) this.putA(e, { company: e.b.company });
        await this.putB(e, e.b, `b-${this.seed}-${this.nextB++}`);
      }
    }
  }

  /** One round of random edits between runs; answers the HubSpot notifications they would cause. */
  async edits(): Promise<Json[]> {
    const notes: Json[] = [];
    const count = 2 + this.rng.int(5);
    for (let i = 0; i < count; i++) {
      const open = this.entities.filter((e) => e.a && e.b && !e.conflict);
      const op = this.rng.next();
      if (op < 0.06 || open.length === 0) {
        // A new record, on one side.
        const email = `p${this.seed}-${this.entities.length}@example.test`;
        const e: Entity = { email, a: null, b: null, base: null };
        this.entities.push(e);
        if (this.rng.chance(0.5)) {
          e.a = { email, first_name: this.rng.pick(NAMES), phone: null, stage: this.rng.pick(STAGES), company: null };
          notes.push(this.note(this.putA(e, e.a), 'contact.creation'));
        } else {
          e.b = {
            email,
            first_name: this.rng.pick(NAMES),
            phone: null,
            stage: null,
            company: this.rng.pick(COMPANIES),
          };
          await this.putB(e, e.b, `b-${this.seed}-${this.nextB++}`);
        }
        this.log.push(`new ${email} on ${e.a ? 'A' : 'B'}`);
        continue;
      }
      const e = this.rng.pick(open);
      const side = this.rng.chance(0.5) ? 'a' : 'b';
      const vals = e[side] as Vals;
      if (side === 'a' && op < 0.14) {
        // HubSpot rewrites the e-mail's case: not a change.
        vals.email = this.rng.chance(0.5) ? e.email.toUpperCase() : e.email;
        notes.push(this.note(this.putA(e, { email: vals.email }), 'contact.propertyChange'));
        this.log.push(`A rewrites ${e.email}`);
        continue;
      }
      const field: Field = this.rng.pick(
        side === 'a' ? ['first_name', 'phone', 'stage'] : ['first_name', 'phone', 'company'],
      );
      let value: string | null;
      if (this.rng.chance(0.2))
        value = vals[field]; // the same edit again
      else if (field === 'first_name') value = this.rng.pick(NAMES);
      else if (field === 'phone') value = phoneAs(this.rng.pick(PHONES), this.rng.int(3));
      else if (field === 'stage') value = this.rng.pick(STAGES);
      else value = this.rng.pick(COMPANIES);
      vals[field] = value;
      this.log.push(`${side.toUpperCase()} ${e.email} ${field}=${JSON.stringify(value)}`);
      if (side === 'a') notes.push(this.note(this.putA(e, { [field]: value }), 'contact.propertyChange', field));
      else await this.putB(e, { [field]: value });
    }
    return notes;
  }

  note(objectId: string, subscriptionType: string, propertyName?: string): Json {
    return {
      eventId: this.rng.int(2 ** 31),
      subscriptionId: 1,
      portalId: 62515,
      appId: 1,
      occurredAt: Date.now(),
      subscriptionType,
      attemptNumber: 0,
      objectId: Number(objectId),
      ...(propertyName ? { propertyName: A_PATH[propertyName as Field] } : {}),
      changeSource: 'CRM',
    };
  }

  /** The record-level times each side has for an entity now (what latest_timestamp compares). */
  async stamps(): Promise<Map<Entity, { a: number; b: number }>> {
    const rows = await this.w.data.query<{ email: string; updated_at: Date | null }>(
      `select lower(trim(email)) as email, updated_at from ${this.qualified}`,
    );
    const b = new Map(rows.rows.map((r) => [r.email, r.updated_at?.getTime() ?? 0]));
    return new Map(
      this.entities.map((e) => [
        e,
        { a: Date.parse(this.findA(e.email)[0]?.updatedAt ?? '') || 0, b: b.get(e.email) ?? 0 },
      ]),
    );
  }

  async expectAll() {
    const stamps = await this.stamps();
    for (const e of this.entities) expectRun(e, this.policy, stamps.get(e) ?? { a: 0, b: 0 });
  }

  // -- runs
  async run(): Promise<number> {
    const res = await this.w.api('POST', `/v1/syncs/${this.syncId}/run`, {});
    expect(res.status, JSON.stringify(res.data)).toBe(202);
    const id = (res.data.execution as Json).id as string;
    const done = await until(
      async () => (await this.w.api('GET', `/v1/syncs/executions/${id}`)).data,
      (x) => !['pending', 'running'].includes(x.status as string),
      `run ${id}`,
    );
    expect(done.status, JSON.stringify(done)).toBe('success');
    return writesOf(done);
  }

  /** Wait until every notification posted was processed and every run it asked for ended, all successful. */
  async idle() {
    await until(
      () =>
        this.w.appQuery<{ n: number }>(
          `select count(*)::int as n from inbound_events e join inbound_sources s on s.id = e.source_id
           where s.id = (select id from inbound_sources where name = $1) and e.status = 'received'`,
          [`${this.table} changes`],
        ),
      (r) => r[0]?.n === 0,
      'notifications to be processed',
    );
    await until(
      () =>
        this.w.appQuery<{ n: number }>(
          `select count(*)::int as n from sync_executions where config_id = $1 and status in ('pending', 'running')`,
          [this.syncId],
        ),
      (r) => r[0]?.n === 0,
      'the runs to end',
    );
    const bad = await this.w.appQuery<{ id: string; status: string; error: string | null }>(
      `select id, status, error from sync_executions where config_id = $1 and status <> 'success'`,
      [this.syncId],
    );
    expect(bad).toEqual([]);
  }

  /** Post notifications as HubSpot might: some held back for later, some twice, in another order. */
  async deliver(notes: Json[]): Promise<boolean> {
    const now: Json[] = [...this.late];
    this.late = [];
    for (const n of notes) (this.rng.chance(0.3) ? this.late : now).push(n);
    for (const n of [...now]) if (this.rng.chance(0.3)) now.push({ ...n, attemptNumber: 1 });
    for (let i = now.length - 1; i > 0; i--) {
      const j = this.rng.int(i + 1);
      [now[i], now[j]] = [now[j] as Json, now[i] as Json];
    }
    if (now.length === 0) return false;
    // A delivery batches one to three events, as HubSpot's do.
    for (let i = 0; i < now.length;) {
      const size = 1 + this.rng.int(3);
      const status = await this.w.postWebhook(this.webhookPath, now.slice(i, i + size));
      expect(status).toBeLessThan(300);
      i += size;
    }
    await this.idle();
    return true;
  }

  /** Runs until one writes nothing; then one more must write nothing too (no echo loop). */
  async quiesce() {
    let runs = 0;
    while ((await this.run()) > 0) if (++runs >= 4) throw new Error('no quiescence after 4 runs');
    expect(await this.run(), 'a run after quiescence wrote something').toBe(0);
  }

  /** Both sides against the model: values, no duplicates, the inbox. */
  async check() {
    const rows = (
      await this.w.data.query<Record<Field | 'id', string | null>>(
        `select id, ${FIELDS.join(', ')} from ${this.qualified} where _switchyard_deleted_at is null`,
      )
    ).rows;
    const contacts = [...this.contacts.values()].filter((c) => !c.archived);
    expect(rows.length, 'rows on B').toBe(this.entities.length);
    expect(contacts.length, 'contacts on A').toBe(this.entities.length);
    const open = new Map<string, Json>();
    if (this.policy === 'manual') {
      const inbox = await this.w.api('GET', `/v1/syncs/conflicts?sync_id=${this.syncId}&state=open&limit=100`);
      for (const c of inbox.data.data as Json[]) open.set(c.a_id as string, c);
    }
    for (const e of this.entities) {
      const onB = rows.filter((r) => norm('email', r.email) === e.email);
      const onA = this.findA(e.email);
      expect(onB.length, `${e.email} on B: ${JSON.stringify(rows)}`).toBe(1);
      expect(onA.length, `${e.email} on A`).toBe(1);
      const a = onA[0] as (typeof onA)[0];
      const b = onB[0] as Record<Field, string | null>;
      for (const f of FIELDS) {
        expect(norm(f, a.properties[A_PATH[f]]), `${e.email} ${f} on A`).toBe(norm(f, e.a?.[f]));
        expect(norm(f, b[f]), `${e.email} ${f} on B`).toBe(norm(f, e.b?.[f]));
        if (!e.conflict) expect(norm(f, a.properties[A_PATH[f]]), `${e.email} ${f} agrees`).toBe(norm(f, b[f]));
      }
      const conflict = open.get(a.id);
      if (e.conflict) {
        expect(conflict, `${e.email}: an open conflict`).toBeDefined();
        expect(conflict?.fields).toEqual(e.conflict.fields);
      } else expect(conflict, `${e.email}: no open conflict`).toBeUndefined();
    }
    expect(open.size).toBe(this.entities.filter((e) => e.conflict && !e.resolution).length);
  }

  /** Resolve some open conflicts (take A or B) through the API; each asks for a run. */
  async resolveSome(): Promise<boolean> {
    const inbox = await this.w.api('GET', `/v1/syncs/conflicts?sync_id=${this.syncId}&state=open&limit=100`);
    let any = false;
    for (const c of inbox.data.data as Json[]) {
      const e = this.entities.find((x) => x.conflict && this.findA(x.email)[0]?.id === c.a_id);
      if (!e || !this.rng.chance(0.7)) continue;
      e.resolution = this.rng.chance(0.5) ? 'a' : 'b';
      const res = await this.w.api('POST', `/v1/syncs/conflicts/${c.id as string}/resolve`, { take: e.resolution });
      expect(res.status, JSON.stringify(res.data)).toBe(200);
      this.log.push(`resolve ${e.email} take ${e.resolution}`);
      any = true;
    }
    return any;
  }

  /** The whole property: first run, rounds of edits each ended by a run or notifications, checked each time. */
  async play(rounds: number) {
    await this.setup();
    await this.expectAll();
    await this.run();
    await this.quiesce();
    await this.check();
    await this.rounds(rounds);
  }

  async setup() {
    await this.createTable();
    await this.seedRecords(7);
    await this.createSync();
  }

  async rounds(rounds: number) {
    for (let r = 0; r < rounds; r++) {
      if (this.policy === 'manual' && (await this.resolveSome())) {
        await this.idle();
        await this.expectAll();
        await this.quiesce();
        await this.check();
      }
      const notes = await this.edits();
      await this.expectAll();
      const byWebhook = this.rng.chance(0.5) && (await this.deliver(notes));
      this.log.push(byWebhook ? 'runs by notification' : 'run');
      if (!byWebhook) await this.run();
      await this.quiesce();
      await this.check();
    }
    // Notifications still held back arrive after everything settled: their runs write nothing.
    if (this.late.length > 0) {
      const ids = async () =>
        (
          await this.w.appQuery<{ id: string }>('select id from sync_executions where config_id = $1', [this.syncId])
        ).map((r) => r.id);
      const before = new Set(await ids());
      for (const n of this.late) expect(await this.w.postWebhook(this.webhookPath, [n])).toBeLessThan(300);
      this.late = [];
      await this.idle();
      const after = (await ids()).filter((id) => !before.has(id));
      expect(after.length, 'runs asked for by the late notifications').toBeGreaterThan(0);
      for (const id of after) expect(writesOf((await this.w.api('GET', `/v1/syncs/executions/${id}`)).data)).toBe(0);
      await this.check();
    }
  }
}

function writesOf(execution: Json): number {
  const tw = (execution.stream_progress as Record<string, Json>).contacts?.two_way as
    { a: Record<string, number>; b: Record<string, number> } | undefined;
  if (!tw) throw new Error(`no two-way counts: ${JSON.stringify(execution)}`);
  return [tw.a, tw.b].reduce((n, s) => n + (s.created ?? 0) + (s.updated ?? 0) + (s.deleted ?? 0), 0);
}

const envSeed = process.env.SEED ? [Number(process.env.SEED)] : undefined;
const seeds = envSeed ?? [11, 29];
const policies: Policy[] = ['source_wins', 'target_wins', 'latest_timestamp', 'manual'];

async function withSeed(s: Scenario, body: () => Promise<void>) {
  try {
    await body();
  } catch (error) {
    const conflicts = await s.w
      .appQuery(
        "select a_id, b_id, state, fields, resolution, (select json_agg(l) from sync_links l where l.config_id = c.config_id and l.a_id = c.a_id) as link, (select json_agg(json_build_object('t', e.trigger, 's', e.status, 'p', e.stream_progress->'contacts'->'two_way')) from sync_executions e where e.config_id = c.config_id) as runs from sync_conflicts c where config_id = $1",
        [s.syncId],
      )
      .catch(() => []);
    s.log.push(`conflicts: ${JSON.stringify(conflicts)}`);
    const trail = s.log.slice(-30).join('\n  ');
    throw new Error(`policy ${s.policy}, seed ${s.seed} (SEED=${s.seed} to replay); last steps:\n  ${trail}`, {
      cause: error,
    });
  }
}

describe('two-way sync properties (HubSpot contacts ↔ a PostgreSQL table)', () => {
  let fake: Hubspot;
  let conn: VendorConnection;
  let data: pg.Client;
  let world: World;
  const schema = uniqueName('twprops');

  beforeAll(async () => {
    fake = await startHubspotFake();
    conn = await connectVendor('hubspot', fake.url, {
      auth_method: 'bearer',
      credentials: { token: 'sk-service-key' },
    });
    await conn.t.built.workers.syncRunner.start();
    await conn.t.built.workers.inboundProcessor.start();
    data = new pg.Client({ connectionString: testDatabaseUrl() });
    await data.connect();
    await data.query(`create schema ${schema}`);
    const res = await conn.t.request({
      method: 'POST',
      url: '/v1/connections',
      body: { connector: 'postgresql', name: 'Warehouse', credentials: { connection_string: testDatabaseUrl() } },
    });
    expect(res.statusCode, res.body).toBe(201);
    world = {
      api: async (method, url, body) => {
        const r = await conn.t.request({ method: method as 'GET', url, ...(body === undefined ? {} : { body }) });
        return { status: r.statusCode, data: r.data };
      },
      appQuery: async (sql, params) => (await conn.t.db.query(sql, params)).rows as never,
      data,
      fake,
      hubspotConnection: conn.connectionId,
      pgConnection: res.data.id as string,
      postWebhook: async (path, body) => (await conn.t.request({ method: 'POST', url: path, body })).statusCode,
    };
  });
  afterAll(async () => {
    await conn.t.built.workers.inboundProcessor.stop(1000);
    await conn.t.built.workers.syncRunner.stop(0);
    await data.query(`drop schema if exists ${schema} cascade`);
    await data.end();
    await conn.t.close();
    await fake.close();
  });

  for (const policy of policies)
    it(`${policy}: both sides agree with the model after every round, no echo loop, no duplicates`, async () => {
      for (const seed of seeds) {
        // Each scenario has HubSpot to itself: the fake's contacts are cleared (earlier syncs never run again).
        fake.objects.get('contacts')?.clear();
        const s = new Scenario(
          world,
          policy,
          seed,
          prng(seed * 7919 + policies.indexOf(policy)),
          schema,
          `${policy}_${seed}`,
        );
        await withSeed(s, () => s.play(4));
      }
    });
});

describe('two-way sync properties under kill -9', () => {
  it('a serve process killed in the middle of a run, restarted: the run resumes; no duplicates, both sides agree', async () => {
    const fake = await startHubspotFake();
    const database = await createScratchDatabase(testDatabaseUrl());
    const data = new pg.Client({ connectionString: database.url });
    await data.connect();
    const env = {
      DATABASE_URL: database.url,
      SWITCHYARD_MASTER_KEY: generateMasterKey(),
      SWITCHYARD_ADMIN_TOKEN: randomToken('syk_'),
      SWITCHYARD_LOG_LEVEL: 'warn',
      SWITCHYARD_SYNC_LEASE: '2s',
      SWITCHYARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
    };
    let node: ServeProcess = await startServeProcess(env);
    try {
      await node.waitHealthy();
      const api: Api = (method, url, body) => serveApi(node, env.SWITCHYARD_ADMIN_TOKEN, method, url, body);
      // HubSpot's shipped manifest, on the fake, as a custom connector of its own slug.
      const manifest = { ...manifestAt(shippedManifest('hubspot'), fake.url), slug: 'hubspot_local' };
      const added = await api('POST', '/v1/connectors', manifest);
      expect(added.status, JSON.stringify(added.data)).toBe(201);
      const hubspot = await api('POST', '/v1/connections', {
        connector: 'hubspot_local',
        auth_method: 'bearer',
        credentials: { token: 'sk-service-key' },
        validate: false,
      });
      expect(hubspot.status, JSON.stringify(hubspot.data)).toBe(201);
      const warehouse = await api('POST', '/v1/connections', {
        connector: 'postgresql',
        name: 'Warehouse',
        auth_method: 'connection_string',
        credentials: { connection_string: database.url },
      });
      expect(warehouse.status, JSON.stringify(warehouse.data)).toBe(201);
      await data.query('create schema side_b');
      const world: World = {
        api,
        appQuery: async (sql, params) => (await data.query(sql, params)).rows as never,
        data,
        fake,
        hubspotConnection: hubspot.data.id as string,
        pgConnection: warehouse.data.id as string,
        postWebhook: async (path, body) =>
          (
            await fetch(`${node.url}${path}`, {
              method: 'POST',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify(body),
            })
          ).status,
      };
      const seed = envSeed?.[0] ?? 41;
      const s = new Scenario(world, 'source_wins', seed, prng(seed), 'side_b', 'people');
      await withSeed(s, async () => {
        await s.setup();
        await s.expectAll();
        // The first run writes B, then creates B's own records in HubSpot (in one batch call): HubSpot creates them
        // but its answer never comes.
        let creates = 0;
        fake.inject({
          match: (req) => req.method === 'POST' && /\/contacts(\/batch\/create)?$/.test(req.path) && ++creates === 1,
          lose: true,
        });
        const started = await api('POST', `/v1/syncs/${s.syncId}/run`, {});
        expect(started.status, JSON.stringify(started.data)).toBe(202);
        const executionId = (started.data.execution as Json).id as string;
        await until(
          async () => creates,
          (n) => n >= 1,
          'the run to reach its create in HubSpot',
        );
        await node.stop('SIGKILL');
        fake.clearFaults();
        node = await startServeProcess(env);
        await node.waitHealthy();
        const done = await until(
          async () => (await api('GET', `/v1/syncs/executions/${executionId}`)).data,
          (e) => !['pending', 'running'].includes(e.status as string),
          'the run to resume and finish',
        );
        expect(done.status, JSON.stringify(done)).toBe('success');
        expect(done.attempts).toBe(2);
        s.log.push('killed mid-run, resumed');
        await s.quiesce();
        await s.check();
        await s.rounds(2);
      });
    } finally {
      await node.stop();
      await data.end();
      await fake.close();
      await database.drop();
    }
  });
});
