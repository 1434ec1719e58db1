import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomToken } from '../src/core/ids.js';
import { buildApp } from '../src/server/app.js';
import { keyringFromText } from '../src/vault/keyring.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createSecret, tableNames } from './helpers/fixtures.js';
import { initialisedDataDir, startServeProcess } from './helpers/serve-process.js';
import { startReceiver, type Receiver } from './helpers/webhook-receiver.js';

/*
 * The extra headers of an inbound rule's forward action can be the receiver's credentials: their values are sealed
 * in the vault like outbound endpoint headers. No API read, audit entry, log line or table holds a value in clear;
 * the processor opens them when it forwards. Rows stored in clear by an earlier version are sealed at start-up.
 */

let t: TestApp;
let receiver: Receiver;
beforeEach(async () => {
  t = await createTestApp();
  receiver = await startReceiver();
  await t.built.workers.inboundProcessor.start();
});
afterEach(async () => {
  await t.built.workers.inboundProcessor.stop(1000);
  await receiver.close();
  await t.close();
});

const LITERAL = `Bearer literal-credential-${Math.random().toString(36).slice(2)}`;

/** Every place a value could leak to: API answers given, log lines, every table. */
async function expectNowhere(value: string, answers: string[]) {
  for (const text of answers) expect(text.includes(value), text).toBe(false);
  expect(t.logs.join('\n').includes(value)).toBe(false);
  for (const table of await tableNames(t)) {
    const { rows } = await t.db.query(`select * from "${table}"`);
    expect(JSON.stringify(rows).includes(value), `${value} in table ${table}`).toBe(false);
  }
}

const post = (path: string, payload: unknown) =>
  t.request({
    method: 'POST',
    url: path,
    token: null,
    body: JSON.stringify(payload),
    headers: { 'content-type': 'application/json' },
  });

/** Send one event and wait for the forward it causes; answers the headers the receiver got. */
async function forwarded(path: string, at: string) {
  const before = receiver.at(at).length;
  expect((await post(path, { n: before })).statusCode).toBe(202);
  await expect.poll(() => receiver.at(at).length).toBe(before + 1);
  return receiver.at(at)[before]?.headers;
}

describe(`inbound forward headers are sealed`, () => {
  it('reads, the audit diff, logs and tables show names only; the processor forwards the values', async () => {
    const secretName = await createSecret(t, 'secret-ref-value');
    const created = await t.request({
      method: 'POST',
      url: '/v1/inbound/sources',
      body: {
        name: 'relay',
        verification: { type: 'none' },
        rules: [
          {
            name: 'fwd',
            actions: [
              {
                type: 'forward',
                url: receiver.url('/fwd'),
                headers: { Authorization: LITERAL, 'X-Ref': `{{secrets.${secretName}}}` },
              },
            ],
          },
        ],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const source = created.data.source as { id: string; url: string; rules: { actions: unknown[] }[] };
    expect(source.rules[0]?.actions[0]).toEqual({
      type: 'forward',
      url: receiver.url('/fwd'),
      timeout_ms: 10_000,
      header_names: ['authorization', 'x-ref'],
    });
    const path = new URL(source.url).pathname;

    const headers = await forwarded(path, '/fwd');
    expect(headers).toMatchObject({ authorization: LITERAL, 'x-ref': 'secret-ref-value' });

    // An update that restates the rule without headers keeps them (same rule, position and URL) ...
    const rule = (url: string) => ({ name: 'fwd', actions: [{ type: 'forward', url }] });
    const kept = await t.request({
      method: 'PATCH',
      url: `/v1/inbound/sources/${source.id}`,
      body: { rules: [rule(receiver.url('/fwd'))] },
    });
    expect(kept.statusCode, kept.body).toBe(200);
    expect(kept.data.rules).toEqual([
      expect.objectContaining({ actions: [expect.objectContaining({ header_names: ['authorization', 'x-ref'] })] }),
    ]);
    expect(await forwarded(path, '/fwd')).toMatchObject({ authorization: LITERAL });
    // ... but never carries them to another URL.
    const moved = await t.request({
      method: 'PATCH',
      url: `/v1/inbound/sources/${source.id}`,
      body: { rules: [rule(receiver.url('/elsewhere'))] },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.data.rules).toEqual([
      expect.objectContaining({ actions: [expect.objectContaining({ header_names: [] })] }),
    ]);
    expect((await forwarded(path, '/elsewhere'))?.authorization).toBeUndefined();

    const reads = await Promise.all([
      t.request({ url: `/v1/inbound/sources/${source.id}` }),
      t.request({ url: '/v1/inbound/sources' }),
      t.request({ url: '/v1/audit?action=inbound_source.*' }),
    ]);
    for (const res of reads) expect(res.statusCode, res.body).toBe(200);
    const audit = reads[2]?.data.data as unknown[];
    expect(JSON.stringify(audit)).toContain('"header_names":["authorization","x-ref"]');
    await expectNowhere(LITERAL, [created.body, kept.body, moved.body, ...reads.map((r) => r.body)]);
    await expectNowhere('secret-ref-value', []);
  });

  it('rows stored in clear before sealing are forwarded as they were and sealed at the next start', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/v1/inbound/sources',
      body: {
        name: 'old',
        verification: { type: 'none' },
        rules: [{ name: 'fwd', actions: [{ type: 'forward', url: receiver.url('/old') }] }],
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const source = created.data.source as { id: string; url: string };
    const path = new URL(source.url).pathname;
    // What an earlier version stored: the values in the rules column.
    const legacy = [
      {
        name: 'fwd',
        event_types: [],
        condition: null,
        continue: false,
        actions: [
          { type: 'forward', url: receiver.url('/old'), headers: { authorization: LITERAL }, timeout_ms: 10_000 },
        ],
      },
    ];
    await t.db.query('update inbound_sources set rules = $2::jsonb where id = $1', [source.id, JSON.stringify(legacy)]);

    const read = await t.request({ url: `/v1/inbound/sources/${source.id}` });
    expect(read.data.rules).toEqual([
      expect.objectContaining({ actions: [expect.objectContaining({ header_names: ['authorization'] })] }),
    ]);
    expect(read.body).not.toContain(LITERAL);
    expect(await forwarded(path, '/old')).toMatchObject({ authorization: LITERAL });

    // A restart (a second app over the same database) seals them.
    const restarted = await buildApp({
      config: t.config,
      db: t.db,
      log: pino({ level: 'silent' }),
      keyring: keyringFromText(t.masterKey, 'environment', 'test master key'),
      processMetrics: false,
    });
    await restarted.close();
    await expectNowhere(LITERAL, [read.body]);
    expect(await forwarded(path, '/old')).toMatchObject({ authorization: LITERAL });
  });

  // The embedded engine's data directory, written by a real `switchyard serve`: the value never reaches a file.
  it('no file of the data directory holds a value', async () => {
    const dir = initialisedDataDir('switchyard-data-');
    const admin = randomToken('syk_');
    const server = await startServeProcess({ SWITCHYARD_DATA_DIR: dir, SWITCHYARD_ADMIN_TOKEN: admin });
    try {
      await server.waitHealthy();
      const res = await fetch(`${server.url}/v1/inbound/sources`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          name: 'relay',
          verification: { type: 'none' },
          rules: [
            {
              name: 'fwd',
              actions: [{ type: 'forward', url: 'https://receiver.example.test/in', headers: { 'X-Key': LITERAL } }],
            },
          ],
        }),
      });
      expect(res.status, await res.clone().text()).toBe(201);
      expect(await res.text()).not.toContain(LITERAL);
      expect((await server.stop()).code).toBe(0);
      const files = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
      expect(files.length).toBeGreaterThan(10);
      const needle = Buffer.from(LITERAL);
      for (const file of files) {
        const where = path.join(file.parentPath, file.name);
        expect(fs.readFileSync(where).includes(needle), where).toBe(false);
      }
      expect(server.output()).not.toContain(LITERAL);
    } finally {
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
