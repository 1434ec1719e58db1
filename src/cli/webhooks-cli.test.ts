import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { cliRunner, json, ok, tableRow } from '../../test/helpers/cli.js';
import { startReceiver, type Receiver } from '../../test/helpers/webhook-receiver.js';
import { systemClock } from '../core/clock.js';
import { createDispatcher, type Dispatcher } from '../webhooks/dispatch/dispatcher.js';
import { dispatcherOptions } from '../server/workers.js';
import { sparkline, sparkRows } from './chart.js';
import { progressOf, progressText } from './commands/webhook-replay.js';
import { progressLine } from './progress.js';

const runCli = cliRunner(() => ({ url, token: t.adminToken }));
const esc = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The test app on loopback (no dispatcher: deliveries stay pending until the last test starts one). */
let t: TestApp;
let url: string;
let receiver: Receiver;
let dispatcher: Dispatcher | undefined;
let endpointId: string;
const TYPE = 'invoice.paid';

beforeAll(async () => {
  t = await createTestApp();
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  receiver = await startReceiver();
});

afterAll(async () => {
  await dispatcher?.stop();
  await receiver?.close();
  await t?.close();
});

describe('switchyard events types / webhooks endpoints', () => {
  it('creates a type from a schema file, and an endpoint whose secret is shown once', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-cli-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const schemaFile = path.join(dir, 'schema.json');
    fs.writeFileSync(schemaFile, JSON.stringify({ type: 'object', required: ['amount'] }));
    expect(
      ok(await runCli(['events', 'types', 'create', TYPE, '--description', 'Paid', '--schema', schemaFile])).stdout,
    ).toBe(`Created event type ${TYPE} with a payload schema.\n`);
    const types = ok(await runCli(['events', 'types', 'list']));
    expect(types.stdout.split('\n')[0]).toMatch(/^NAME +KIND +SCHEMA +STATE +DESCRIPTION$/);
    expect(tableRow(types.stdout, TYPE)).toMatch(/^invoice\.paid +tenant +yes +active +Paid$/);

    const created = ok(
      await runCli(['webhooks', 'endpoints', 'create', receiver.url(), '--event-type', TYPE, '--header', 'X-Env=test']),
    );
    endpointId = /Created webhook endpoint (\S+) /.exec(created.stdout)?.[1] ?? '';
    expect(created.stdout).toMatch(
      new RegExp(`^Created webhook endpoint ${endpointId} for ${esc(receiver.url())} \\(invoice\\.paid\\)\\.$`, 'm'),
    );
    expect(created.stdout).toMatch(/^Signing secret \(hmac, \S+\) — shown once, store it now: /m);
    const secret = /^ {2}(whsec_\S+)$/m.exec(created.stdout)?.[1] ?? '';
    expect(secret).toMatch(/^whsec_.{20,}/);

    const listed = ok(await runCli(['webhooks', 'endpoints', 'list']));
    const header = listed.stdout.split('\n')[0] ?? '';
    expect(header).toMatch(/^ID +URL +EVENT TYPES +STATE +ORDERING +CREATED$/);
    expect(tableRow(listed.stdout, endpointId)).toMatch(/ invoice\.paid +enabled +none +\d{4}-\d\d-\d\d \d\d:\d\dZ$/);
    const shown = ok(await runCli(['webhooks', 'endpoints', 'get', endpointId])).stdout;
    expect(shown).toMatch(/^Event types: +invoice\.paid$/m);
    expect(shown).toMatch(/^Custom headers \(values sealed\): x-env$/m);
    expect(shown).toMatch(/^ {2}ID +KIND +CREATED +EXPIRES$/m);
    expect(shown).toMatch(/^ {2}\S+ +hmac +\d{4}-\S+ \S+ +never$/m);
    const asJson = ok(await runCli(['webhooks', 'endpoints', 'get', endpointId, '--json'])).stdout;
    for (const text of [listed.stdout, shown, asJson]) expect(text).not.toContain(secret);
    expect(JSON.parse(asJson)).toMatchObject({ id: endpointId, event_types: [TYPE], enabled: true });

    const disabled = ok(
      await runCli(['webhooks', 'endpoints', 'update', endpointId, '--disable', '--reason', 'maint']),
    );
    expect(disabled.stdout).toBe(`Updated webhook endpoint ${endpointId}: disabled.\n`);
    expect(ok(await runCli(['webhooks', 'endpoints', 'get', endpointId])).stdout).toMatch(
      /^State: +disabled \(maint\)$/m,
    );
    ok(await runCli(['webhooks', 'endpoints', 'update', endpointId, '--enable', '--rate-limit', '50']));
    expect(
      json<{ enabled: boolean; rate_limit_per_second: number }>(
        await runCli(['webhooks', 'endpoints', 'get', endpointId, '--json']),
      ),
    ).toMatchObject({ enabled: true, rate_limit_per_second: 50 });
    const nothing = await runCli(['webhooks', 'endpoints', 'update', endpointId]);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toBe('error: Nothing to change: give at least one option (see --help).\n');
  });

  it('rotate-secret prints the new secret once; delete asks for --yes off a terminal', async () => {
    const rotated = ok(await runCli(['webhooks', 'endpoints', 'rotate-secret', endpointId, '--expire-old-in', '1h']));
    expect(rotated.stdout).toMatch(/^The previous secrets keep signing until \d{4}-\d\d-\d\d \d\d:\d\dZ\.$/m);
    expect(rotated.stdout).toMatch(/— shown once, store it now/);
    const secret = /^ {2}(whsec_\S+)$/m.exec(rotated.stdout)?.[1] ?? '';
    expect(secret).toMatch(/^whsec_/);
    const shown = ok(await runCli(['webhooks', 'endpoints', 'get', endpointId])).stdout;
    expect(shown).not.toContain(secret);
    // Two secrets now: the old one expiring, the new one not.
    expect(shown.match(/^ {2}\S+ +hmac /gm)).toHaveLength(2);

    const other = json<{ id: string; signing_secret: { secret: string } }>(
      await runCli(['webhooks', 'endpoints', 'create', receiver.url('/other'), '--signing', 'ed25519', '--json']),
    );
    expect(other.signing_secret.secret).toMatch(/^whsk_/);
    const refused = await runCli(['webhooks', 'endpoints', 'delete', other.id]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error: Refusing to delete webhook endpoint \S+ without --yes/m);
    expect(ok(await runCli(['webhooks', 'endpoints', 'delete', other.id, '--yes'])).stdout).toBe(
      `Deleted webhook endpoint ${other.id}.\n`,
    );
    expect(ok(await runCli(['webhooks', 'endpoints', 'list'])).stdout).not.toContain(other.id);
  });
});

describe('switchyard events / webhooks deliveries / replay', () => {
  let eventId: string;
  let deliveryId: string;

  it('publish and list events; a schema violation is a readable error', async () => {
    const published = ok(await runCli(['events', 'publish', TYPE, '--data', '{"amount":120}', '--ordering-key', 'c1']));
    eventId = /^Published event (\S+) \(invoice\.paid\)\.$/m.exec(published.stdout)?.[1] ?? '';
    expect(eventId).not.toBe('');
    const again = json<{ id: string }>(
      await runCli(['events', 'publish', TYPE, '--data', '-', '--idempotency-key', 'k1', '--json'], {
        input: '{"amount":7}\n',
      }),
    );
    expect(
      ok(await runCli(['events', 'publish', TYPE, '--data', '{"amount":7}', '--idempotency-key', 'k1'])).stdout,
    ).toBe(`Already published (same idempotency key): event ${again.id} (invoice.paid).\n`);
    const bad = await runCli(['events', 'publish', TYPE, '--data', '{"total":1}']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error \S+: /m);
    const notJson = await runCli(['events', 'publish', TYPE, '--data', '{amount']);
    expect(notJson.stderr).toMatch(/^error: --data is not valid JSON/m);

    const listed = ok(await runCli(['events', 'list', '--type', TYPE]));
    expect(listed.stdout.split('\n')[0]).toMatch(/^ID +TYPE +SOURCE +ORDERING KEY +CREATED$/);
    expect(tableRow(listed.stdout, eventId)).toMatch(/ invoice\.paid +api +c1 +\d{4}-/);
    const events = json<{ id: string }[]>(await runCli(['events', 'list', '--limit', '1', '--json']));
    expect(events.map((e) => e.id)).toEqual([again.id]);
  });

  it('deliveries list, get and retry (pending: no dispatcher runs yet)', async () => {
    const listed = ok(await runCli(['webhooks', 'deliveries', 'list', '--endpoint', endpointId]));
    expect(listed.stdout.split('\n')[0]).toMatch(/^ID +ENDPOINT +EVENT TYPE +STATUS +ATTEMPTS +LAST CODE +CREATED$/);
    const rows = json<{ id: string; event_id: string; status: string }[]>(
      await runCli(['webhooks', 'deliveries', 'list', '--endpoint', endpointId, '--all', '--json']),
    );
    expect(rows).toHaveLength(2);
    expect(rows.every((d) => d.status === 'pending')).toBe(true);
    deliveryId = rows.find((d) => d.event_id === eventId)?.id ?? '';
    expect(tableRow(listed.stdout, deliveryId)).toMatch(
      new RegExp(`^${deliveryId} +${endpointId} +invoice\\.paid +pending +0 +- +\\d{4}-`),
    );
    expect(ok(await runCli(['webhooks', 'deliveries', 'list', '--status', 'delivered,failed'])).stdout).toBe(
      'No deliveries.\n',
    );
    expect(json<unknown[]>(await runCli(['webhooks', 'deliveries', 'list', '--limit', '1', '--json']))).toHaveLength(1);

    const shown = ok(await runCli(['webhooks', 'deliveries', 'get', deliveryId])).stdout;
    expect(shown).toMatch(new RegExp(`^Delivery ${deliveryId}: pending$`, 'm'));
    expect(shown).toMatch(new RegExp(`^Event: +${eventId} \\(invoice\\.paid, `, 'm'));
    expect(shown).toMatch(/^ {4}"amount": 120$/m);
    expect(shown).toMatch(/^No attempts yet\.$/m);

    expect(ok(await runCli(['webhooks', 'deliveries', 'retry', deliveryId])).stdout).toBe(
      `Queued delivery ${deliveryId} to ${endpointId} for another attempt (now pending).\n`,
    );
    expect(
      json<{ next_trigger: string }>(await runCli(['webhooks', 'deliveries', 'get', deliveryId, '--json'])),
    ).toMatchObject({
      next_trigger: 'manual',
    });
  });

  it('replay: --dry-run counts, refuses without --yes off a terminal, --yes --no-wait queues', async () => {
    const dry = ok(await runCli(['webhooks', 'replay', '--since', '1h', '--status', 'pending', '--dry-run']));
    expect(dry.stdout).toMatch(/^Dry run rpl_\S+: nothing was changed\. A replay of the events from .* to now would$/m);
    expect(dry.stdout).toMatch(/^ {2}send again: +2 deliveries \(pending\)$/m);
    expect(
      json<{ dry_run: boolean; deliveries: number }>(
        await runCli(['webhooks', 'replay', '--since', '1h', '--status', 'pending', '--dry-run', '--json']),
      ),
    ).toMatchObject({ dry_run: true, deliveries: 2 });

    const refused = await runCli(['webhooks', 'replay', '--since', '1h', '--status', 'pending']);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/^ {2}send again: +2 deliveries \(pending\)$/m);
    expect(refused.stderr).toMatch(/^error: Refusing to replay without --yes: standard input is not a terminal/m);
    expect(
      json<{ next_trigger: string }>(await runCli(['webhooks', 'deliveries', 'get', deliveryId, '--json'])),
    ).toMatchObject({
      next_trigger: 'manual',
    });

    const nothing = ok(await runCli(['webhooks', 'replay', '--since', '1h']));
    expect(nothing.stdout).toMatch(/^ {2}send again: +0 deliveries \(failed\)\nNothing to replay\.$/m);

    const queued = ok(
      await runCli(['webhooks', 'replay', '--since', '1h', '--status', 'pending', '--yes', '--no-wait']),
    );
    expect(queued.stdout).toMatch(/^Replay rpl_\S+: requeued 2 deliveries, created 0\.\n$/);
    expect(
      json<{ next_trigger: string }>(await runCli(['webhooks', 'deliveries', 'get', deliveryId, '--json'])),
    ).toMatchObject({
      next_trigger: 'replay',
    });
    const bad = await runCli(['webhooks', 'replay', '--since', '1h', '--status', 'lost', '--yes']);
    expect(bad.stderr).toBe('error: --status must be among pending, delivered, failed, skipped (got lost).\n');
  });

  it('replay follows progress to the end once a dispatcher delivers; stats draws the series', async () => {
    dispatcher = createDispatcher(
      {
        db: t.db,
        vault: t.built.vault,
        outbound: t.built.connections.outbound,
        clock: systemClock,
        log: pino({ level: 'silent' }),
      },
      dispatcherOptions(t.config, 'test'),
    );
    await dispatcher.start();
    await receiver.waitFor(2);
    await expect
      .poll(
        async () =>
          json<{ status: string }[]>(await runCli(['webhooks', 'deliveries', 'list', '--json'])).map((d) => d.status),
        { timeout: 15_000 },
      )
      .toEqual(['delivered', 'delivered']);

    const replayed = await runCli([
      'webhooks',
      'replay',
      '--since',
      '1h',
      '--status',
      'delivered',
      '--yes',
      '--wait',
      '30s',
    ]);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toMatch(/^Replay rpl_\S+: requeued 2 deliveries, created 0\.$/m);
    expect(replayed.stdout).toMatch(/^Finished: delivered 2\/2, failed 0, pending 0\.$/m);
    // Off a terminal, progress is whole lines on stderr, ending with the final count.
    expect(replayed.stderr.trimEnd().split('\n').at(-1)).toBe('delivered 2/2, failed 0, pending 0');
    expect(replayed.stderr).not.toContain('\r');
    expect(receiver.received.length).toBeGreaterThanOrEqual(4);

    const shown = ok(await runCli(['webhooks', 'deliveries', 'get', deliveryId])).stdout;
    expect(shown).toMatch(/^ {2}# +ID +STARTED +TRIGGER +OUTCOME +CODE +DURATION +ERROR$/m);
    expect(shown).toMatch(/^ {2}1 +\S+ +\S+ \S+ +replay +delivered +200 +\d+ ms +-$/m);
    expect(shown).toMatch(/^ {2}2 +\S+ +\S+ \S+ +replay +delivered +200 +\d+ ms +-$/m);

    const stats = ok(await runCli(['webhooks', 'stats', '--since', '1h', '--bucket', '10m']));
    expect(stats.stdout).toMatch(/^ {2}Total: +2$/m);
    expect(stats.stdout).toMatch(/^ {2}Delivered: +2$/m);
    expect(stats.stdout).toMatch(/^ {2}Success rate: +100\.0%$/m);
    expect(stats.stdout).toMatch(/^ {2}Attempt success: +100\.0% \(4 of 4 attempts\)$/m);
    expect(stats.stdout).not.toContain('Failing now');
    expect(stats.stdout).toMatch(/^Per 10m, .* → .*:$/m);
    // Every delivery fell in one bucket: that bucket is a full block, the failed row is blank.
    expect(stats.stdout).toMatch(/^ {2}delivered {2} *█ *\(max 2\)$/m);
    expect(stats.stdout).toMatch(/^ {2}failed {5} +\(max 0\)$/m);
    expect(tableRow(stats.stdout, endpointId)).toMatch(/ 2 +2 +0 +0 +100\.0% +100\.0% +closed +\d+ ms +\d+$/);
    const asJson = json<{ overall: { delivered: number }; series: unknown[] }>(
      await runCli(['webhooks', 'stats', '--since', '1h', '--bucket', '10m', '--json']),
    );
    expect(asJson.overall.delivered).toBe(2);
    // An hour in 10-minute buckets aligned to the clock: 6 or 7 of them.
    expect(asJson.series.length).toBeGreaterThanOrEqual(6);
    expect(asJson.series.length).toBeLessThanOrEqual(7);
  }, 60_000);

  it('an unknown id is "error not_found: …" with exit code 1', async () => {
    for (const args of [
      ['endpoints', 'get', 'whe_missing'],
      ['endpoints', 'update', 'whe_missing', '--disable'],
      ['endpoints', 'rotate-secret', 'whe_missing'],
      ['endpoints', 'delete', 'whe_missing', '--yes'],
      ['deliveries', 'get', 'whd_missing'],
      ['deliveries', 'retry', 'whd_missing'],
      ['replay', '--since', '1h', '--endpoint', 'whe_missing', '--dry-run'],
    ]) {
      const result = await runCli(['webhooks', ...args]);
      expect(result.code, args.join(' ')).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr, args.join(' ')).toMatch(/^error not_found: .*_missing does not exist/m);
    }
  });
});

describe('chart and progress helpers', () => {
  it('sparkline scales to the maximum; zero is blank and any other value shows', () => {
    expect(sparkline([0, 1, 4, 8])).toBe(' ▁▄█');
    expect(sparkline([1, 1000])).toBe('▁█');
    expect(
      sparkRows([
        { label: 'delivered', values: [8, 4] },
        { label: 'failed', values: [0, 1] },
      ]),
    ).toEqual(['delivered  █▄  (max 8)', 'failed      ▁  (max 1)']);
  });

  it('progressOf counts the change since the replay began, adding back what the replay moved', () => {
    const before = {
      stats: { pending: 5, delivered: 10, failed: 4, skipped: 0 },
      requeuedFrom: { failed: 3 },
      total: 3,
    };
    // Just after the replay: the 3 failed ones are pending.
    expect(progressOf({ pending: 8, delivered: 10, failed: 1, skipped: 0 }, before)).toEqual({
      total: 3,
      pending: 3,
      delivered: 0,
      failed: 0,
      skipped: 0,
    });
    const later = progressOf({ pending: 5, delivered: 12, failed: 2, skipped: 0 }, before);
    expect(progressText(later)).toBe('delivered 2/3, failed 1, pending 0');
  });

  it('progressLine rewrites in place on a terminal and prints changed lines elsewhere', () => {
    const written: string[] = [];
    const stream = (isTTY: boolean) =>
      ({ isTTY, write: (s: string) => written.push(s) }) as unknown as NodeJS.WriteStream;
    let clock = 0;
    const plain = progressLine({ stream: stream(false), everyMs: 1000, now: () => clock });
    plain.update('a');
    plain.update('b'); // within everyMs: not printed
    clock = 1500;
    plain.update('b');
    plain.update('b');
    plain.done('c');
    expect(written).toEqual(['a\n', 'b\n', 'c\n']);
    written.length = 0;
    const tty = progressLine({ stream: stream(true) });
    tty.update('a');
    tty.done('b');
    expect(written).toEqual(['\r\x1b[Ka', '\r\x1b[Kb\n']);
  });
});
