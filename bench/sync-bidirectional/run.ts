/**
 * bench/sync-bidirectional — a two-way sync run by `switchyard serve` (from the build, dist/), measured against the
 * one-way sync of the same stream in the same run:
 *
 *   npm run bench:sync-bidirectional -- [--records 100000] [--hooks 20] [--profile-dir DIR]
 *
 * Side A is HubSpot contacts on the tests' HubSpot fake (test/fakes/hubspot.ts) in a process of its own on loopback
 * (bench/sync-bidirectional/hubspot-fake.ts), side B a PostgreSQL table on a throwaway server
 * (test/helpers/postgres-server.ts); Switchyard keeps its own state on the embedded database unless DATABASE_URL is
 * set. Nothing is pinned.
 *
 * Measured, after a first two-way run links `--records` contacts to rows (and a second settles its echoes):
 * - 1% of the contacts changed in HubSpot and 1% of other rows changed in the table; the two-way run's duration
 *   beside the one-way incremental run (HubSpot → another table of the same database) after the same 1% changed in
 *   HubSpot. Goal ≤ 2.5×. The two-way run's echo run after it is shown too, and both runs again after another 1%
 *   changed in HubSpot only (the same work for both: the two-way bookkeeping alone).
 * - A change made in HubSpot and announced by a HubSpot change notification to an inbound source whose rule runs
 *   the sync: the time from the notification's POST until the table holds the new value, `--hooks` times one
 *   after the other. Goal p50 ≤ 1 s.
 * Each run's effect is checked (rows updated in the table, contacts updated in HubSpot), so a fast wrong run cannot
 * pass.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { validateManifest } from '../../src/catalog/manifest/validate.js';
import { randomToken } from '../../src/core/ids.js';
import { connectorsDir } from '../../src/core/paths.js';
import { startTestPostgres } from '../../test/helpers/postgres-server.js';
import { benchApi, runSyncToEnd, type BenchExecution } from '../lib/api.js';
import { benchDatabase, describeDatabase } from '../lib/database.js';
import { fmt } from '../lib/load.js';
import { freePort, startProcess, stopProcess } from '../lib/processes.js';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    hooks: { type: 'string', default: '20' },
    'log-level': { type: 'string', default: 'warn' },
    'profile-dir': { type: 'string' },
  },
});
const records = Number(values.records);
const hooks = Number(values.hooks);
const root = path.resolve(import.meta.dirname, '../..');
const entry = path.join(root, 'dist/src/cli/main.js');
if (!fs.existsSync(entry)) throw new Error('Build first: npm run build (npm run bench:sync-bidirectional does it).');
const progress = (text: string) => process.stderr.write(`  ${text}\n`);

const dataServer = await startTestPostgres();
const data = new pg.Client({ connectionString: dataServer.url });
await data.connect();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-bench-'));
const admin = randomToken('syk_');
const syUrl = `http://127.0.0.1:${await freePort()}`;
const db = await benchDatabase(process.env.DATABASE_URL);
const switchyard = await startProcess(
  process.execPath,
  [...(values['profile-dir'] ? ['--cpu-prof', `--cpu-prof-dir=${values['profile-dir']}`] : []), entry, 'serve'],
  {
    PORT: new URL(syUrl).port,
    SWITCHYARD_DATA_DIR: dataDir,
    SWITCHYARD_ADMIN_TOKEN: admin,
    SWITCHYARD_LOG_LEVEL: String(values['log-level']),
    SWITCHYARD_ALLOW_PRIVATE_NETWORKS: '127.0.0.0/8',
    ...db.env,
  },
  async () => (await fetch(`${syUrl}/readyz`)).ok,
);
const controlUrl = `http://127.0.0.1:${await freePort()}`;
const fakeProcess = await startProcess(
  process.execPath,
  ['--import', 'tsx', path.join(root, 'bench/sync-bidirectional/hubspot-fake.ts')],
  { PORT: new URL(controlUrl).port },
  async () => (await fetch(`${controlUrl}/url`)).ok,
);
process.once('exit', () => {
  switchyard.kill();
  fakeProcess.kill();
});
const control = async (pathname: string, body?: unknown) =>
  (await (
    await fetch(`${controlUrl}${pathname}`, {
      method: body === undefined ? 'GET' : 'POST',
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    })
  ).json()) as Record<string, unknown>;
const fakeUrl = (await control('/url')).url as string;

const api = benchApi(syUrl, admin);
const runSync = (syncId: string) => runSyncToEnd(api, syncId);
const count = async (sql: string, params: unknown[] = []) =>
  Number((await data.query<{ n: string }>(sql, params)).rows[0]?.n);

const results: Record<string, unknown> = { records, hooks, database: db.kind };
try {
  // HubSpot's shipped manifest with every URL on the fake and only its service-key sign-in.
  const shipped = validateManifest('hubspot.yaml', fs.readFileSync(path.join(connectorsDir, 'hubspot.yaml'), 'utf8'));
  if (!shipped.manifest) throw new Error('connectors/hubspot.yaml is invalid');
  await api.call('POST', '/v1/connectors', {
    ...shipped.manifest,
    slug: 'hubspot_bench',
    name: 'HubSpot (bench fake)',
    base_url: fakeUrl,
    auth: shipped.manifest.auth.filter((a) => a.type === 'bearer'),
  });
  const hubspot = await api.call('POST', '/v1/connections', {
    connector: 'hubspot_bench',
    auth_method: 'bearer',
    credentials: { token: 'sk-bench' },
    validate: false,
  });
  const warehouse = await api.call('POST', '/v1/connections', {
    connector: 'postgresql',
    name: 'Bench warehouse',
    auth_method: 'connection_string',
    credentials: { connection_string: dataServer.url },
  });
  progress(`seeding ${fmt(records)} contacts in the fake`);
  await control('/seed', { count: records });
  await data.query(`create schema bench;
    create table bench.people (id text primary key, email text, first_name text, updated_at timestamptz,
      _switchyard_synced_at timestamptz, _switchyard_deleted_at timestamptz)`);

  const twoWay = (
    await api.call('POST', '/v1/syncs', {
      name: 'two-way',
      type: 'incremental',
      batch_size: 1000,
      source: { kind: 'connection', connection_id: hubspot.id, streams: [{ name: 'contacts', target: 'people' }] },
      target: { kind: 'postgres', connection_id: warehouse.id, schema: 'bench' },
      direction: 'bidirectional',
      conflict_policy: 'source_wins',
      two_way: {
        fields: [
          { a: 'properties.email', b: 'email', normalize: 'email' },
          { a: 'properties.firstname', b: 'first_name' },
        ],
        match: { a: 'properties.email', b: 'email', normalize: 'email' },
        timestamps: { a: 'updatedAt', b: 'updated_at' },
      },
    })
  ).id as string;
  const oneWay = (
    await api.call('POST', '/v1/syncs', {
      name: 'one-way',
      type: 'incremental',
      batch_size: 1000,
      source: {
        kind: 'connection',
        connection_id: hubspot.id,
        streams: [{ name: 'contacts', target: 'people_one_way' }],
      },
      target: { kind: 'postgres', connection_id: warehouse.id, schema: 'bench' },
      // The same columns the two-way sync keeps in its table.
      mappings: {
        select: 'mapped',
        fields: [
          { from: 'id', to: 'id' },
          { from: 'properties.email', to: 'email' },
          { from: 'properties.firstname', to: 'first_name' },
          { from: 'updatedAt', to: 'updated_at' },
        ],
      },
    })
  ).id as string;

  progress('two-way first run (links every contact to a new row), then the run that reads its writes back');
  const first = await runSync(twoWay);
  if ((await count('select count(*) as n from bench.people')) !== records) throw new Error('the table is short');
  const settle = await runSync(twoWay);
  progress(`  ${(first.duration_ms / 1000).toFixed(1)} s, then ${(settle.duration_ms / 1000).toFixed(1)} s`);
  progress('one-way first run');
  const oneFirst = await runSync(oneWay);
  if (oneFirst.records.created !== records) throw new Error(`one-way created ${oneFirst.records.created}`);

  // 1% changed on each side: every 100th contact in HubSpot, every 100th other row in the table.
  const changed = Math.floor(records / 100);
  const aIds = Array.from({ length: changed }, (_, i) => String(i * 100 + 1));
  await control('/edit', { ids: aIds, firstname: 'Edited in HubSpot' });
  await data.query(
    `update bench.people set first_name = 'Edited in the table ' || id, updated_at = clock_timestamp()
     where (id::bigint) % 100 = 50`,
  );
  await data.query('vacuum analyze bench.people');
  progress('1% changed on each side: the one-way incremental run, then the two-way run');
  const oneIncremental = await runSync(oneWay);
  if (oneIncremental.records.updated !== changed)
    throw new Error(`one-way updated ${oneIncremental.records.updated}, not ${changed}`);
  const two = await runSync(twoWay);
  const twoCounts = (await api.call('GET', `/v1/syncs/executions/${two.id}`)).stream_progress as Record<
    string,
    { two_way: { a: { updated: number }; b: { updated: number } } }
  >;
  const tw = twoCounts.contacts?.two_way;
  if (tw?.a.updated !== changed || tw.b.updated !== changed)
    throw new Error(`the two-way run updated ${JSON.stringify(tw)}, not ${changed} each way`);
  const check = (await control('/contact?id=50')) as { properties: { firstname: string } };
  if (check.properties.firstname !== 'Edited in the table 50') throw new Error('contact 50 was not updated in A');
  if ((await count(`select count(*) as n from bench.people where first_name like 'Edited in HubSpot %'`)) !== changed)
    throw new Error('the table lacks the HubSpot edits');
  const echo = await runSync(twoWay);
  if (echo.records.created + echo.records.updated !== 0) throw new Error('the echo run wrote something');

  // The same 1% changed in HubSpot only: the two-way run then has the one-way run's work, plus its own bookkeeping.
  await runSync(oneWay); // takes in the contacts the two-way run wrote, so that the next one-way run reads only the 1%
  const aOnly = Array.from({ length: changed }, (_, i) => String(i * 100 + 2));
  await control('/edit', { ids: aOnly, firstname: 'Edited again in HubSpot' });
  const oneAOnly = await runSync(oneWay);
  const twoAOnly = await runSync(twoWay);
  if (twoAOnly.records.updated !== changed || oneAOnly.records.updated !== changed)
    throw new Error(`updated ${twoAOnly.records.updated} two-way, ${oneAOnly.records.updated} one-way`);
  await runSync(twoWay);

  progress(`${hooks} changes announced by HubSpot notifications`);
  const source = (await api.call('POST', '/v1/inbound/sources', {
    name: 'HubSpot changes',
    verification: { type: 'none' },
    rules: [{ name: 'sync', actions: [{ type: 'run_sync', sync_id: twoWay }] }],
  })) as { source: { url: string } };
  const hookUrl = source.source.url.replace(/^https?:\/\/[^/]+/, syUrl);
  const latencies: number[] = [];
  for (let i = 0; i < hooks; i++) {
    const id = String(1 + ((i * 7919) % records));
    await control('/edit', { ids: [id], firstname: `Hook ${i}` });
    const started = performance.now();
    const res = await fetch(hookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        {
          eventId: i + 1,
          subscriptionId: 1,
          portalId: 62515,
          appId: 1,
          occurredAt: Date.now(),
          subscriptionType: 'contact.propertyChange',
          attemptNumber: 0,
          objectId: Number(id),
          propertyName: 'firstname',
          propertyValue: `Hook ${i} 0`,
          changeSource: 'CRM',
        },
      ]),
    });
    if (res.status >= 300) throw new Error(`the notification was answered ${res.status}`);
    for (;;) {
      const row = await data.query<{ first_name: string }>('select first_name from bench.people where id = $1', [id]);
      if (row.rows[0]?.first_name === `Hook ${i} 0`) break;
      if (performance.now() - started > 60_000) throw new Error(`notification ${i}: the change never arrived`);
      await new Promise((r) => setTimeout(r, 5));
    }
    latencies.push(performance.now() - started);
    // The next change after this one's runs (and the echo they read back) ended.
    for (;;) {
      const running = await api.call('GET', `/v1/syncs/executions?sync_id=${twoWay}&limit=5`);
      const active = ((running.data as { status: string }[] | undefined) ?? []).some((e) =>
        ['pending', 'running'].includes(e.status),
      );
      if (!active) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  latencies.sort((x, y) => x - y);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;

  Object.assign(results, { first, settle, oneFirst, oneIncremental, two, echo, oneAOnly, twoAOnly, latencies });
  const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');
  const line = (name: string, value: string, note: string) =>
    console.log(`${name.padEnd(52)}${value.padStart(12)}  ${note}`);
  const secs = (e: BenchExecution) => `${(e.duration_ms / 1000).toFixed(3)} s`;
  console.log(
    `\nbench/sync-bidirectional — Switchyard's database ${describeDatabase(db.kind)}; HubSpot fake in its own ` +
      `process; table on a throwaway PostgreSQL server; ${os.cpus().length} CPUs, unpinned; Node ${process.version}; ` +
      `${fmt(records)} linked records`,
  );
  line('two-way first run (links, creates every row)', secs(first), `then ${secs(settle)} reading its writes back`);
  line('one-way first run', secs(oneFirst), '');
  line(
    'one-way incremental, 1% changed in HubSpot (baseline)',
    secs(oneIncremental),
    `${fmt(oneIncremental.records.updated)} rows updated`,
  );
  const ratio = two.duration_ms / oneIncremental.duration_ms;
  line(
    'two-way incremental, 1% changed on each side',
    secs(two),
    `${fmt(tw.b.updated)} rows and ${fmt(tw.a.updated)} contacts updated; ${ratio.toFixed(2)}× the one-way run ` +
      `(goal ≤ 2.5×) ${verdict(ratio <= 2.5)}`,
  );
  line('two-way run after it (its writes read back as echoes)', secs(echo), 'nothing written');
  const ratioAOnly = twoAOnly.duration_ms / oneAOnly.duration_ms;
  line('one-way incremental, another 1% changed in HubSpot', secs(oneAOnly), `${fmt(changed)} rows updated`);
  line(
    'two-way incremental, the same 1% (HubSpot only)',
    secs(twoAOnly),
    `${fmt(changed)} rows updated; ${ratioAOnly.toFixed(2)}× the one-way run (the two-way bookkeeping alone)`,
  );
  line(
    'notification → the table holds the change',
    `${fmt(pct(50))} ms`,
    `p50 over ${latencies.length}; p95 ${fmt(pct(95))} ms, max ${fmt(latencies.at(-1) ?? 0)} ms ` +
      `(goal p50 ≤ 1 s) ${verdict(pct(50) <= 1000)}`,
  );
} finally {
  await stopProcess(switchyard);
  await stopProcess(fakeProcess);
  await db.drop();
  await data.end();
  dataServer.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
fs.mkdirSync(path.join(root, 'bench/results'), { recursive: true });
fs.writeFileSync(
  path.join(root, 'bench/results', `sync-bidirectional-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
  JSON.stringify(results, null, 2),
);
