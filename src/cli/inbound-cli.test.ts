import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import { cliRunner, json, ok, tableRow } from '../../test/helpers/cli.js';

const runCli = cliRunner(() => ({ url, token: t.adminToken }));

let t: TestApp;
let url: string;
beforeAll(async () => {
  t = await createTestApp();
  url = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const type = await t.request({ method: 'POST', url: '/v1/event-types', body: { name: 'push.received' } });
  expect(type.statusCode, type.body).toBe(201);
});
afterAll(async () => {
  await t?.close();
});

/** Post a GitHub-signed webhook to the source's URL (on this test server's port). */
async function deliver(sourceUrl: string, secret: string, payload: unknown, id: string) {
  const body = JSON.stringify(payload);
  const res = await fetch(`${url}${new URL(sourceUrl).pathname}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
      'x-github-delivery': id,
      'x-github-event': 'push',
    },
    body,
  });
  return { status: res.status, data: (await res.json()) as { id: string; status: string } };
}

describe('switchyard inbound', () => {
  it('creates a source with rules from a file, lists and shows it, browses its events and replays them', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'switchyard-cli-'));
    onTestFinished(() => fs.rmSync(dir, { recursive: true, force: true }));
    const rulesFile = path.join(dir, 'rules.json');
    fs.writeFileSync(
      rulesFile,
      JSON.stringify([
        { name: 'pushes', event_types: ['push'], actions: [{ type: 'publish', event_type: 'push.received' }] },
      ]),
    );
    const created = ok(
      await runCli(['inbound', 'sources', 'create', 'GitHub', '--scheme', 'github', '--rules', `@${rulesFile}`]),
    );
    const id = /Created inbound source (whin_\w+) \(github\)\./.exec(created.stdout)?.[1] as string;
    expect(id).toBeDefined();
    const sourceUrl = /URL: (\S+)/.exec(created.stdout)?.[1] as string;
    const secret = /Secret: (\S+)/.exec(created.stdout)?.[1] as string;
    expect(secret.length).toBeGreaterThan(30);

    const listed = ok(await runCli(['inbound', 'sources', 'list']));
    expect(listed.stdout.split('\n')[0]).toMatch(/^ID +NAME +SCHEME +RULES +STATE +REJECTED +URL$/);
    expect(tableRow(listed.stdout, id)).toMatch(/GitHub +github +1 +enabled +0 +http/);
    // The secret is never shown again.
    const shown = ok(await runCli(['inbound', 'sources', 'get', id]));
    expect(shown.stdout).toContain(sourceUrl);
    expect(shown.stdout).not.toContain(secret);
    expect(shown.stdout).toContain('"pushes"');

    const first = await deliver(sourceUrl, secret, { ref: 'main' }, 'd-1');
    expect(first.status).toBe(202);
    const wrong = await deliver(sourceUrl, 'wrong', { ref: 'x' }, 'd-2');
    expect(wrong.status).toBe(401);
    await t.built.workers.inboundProcessor.drain();

    const events = ok(await runCli(['inbound', 'events', 'list', '--source', id]));
    expect(tableRow(events.stdout, first.data.id)).toMatch(/GitHub +push +processed +\{"ref":"main"\}/);
    expect(events.stdout).toMatch(/rejected \(bad_signature\)/);
    const onlyRejected = json<{ status: string }[]>(
      await runCli(['inbound', 'events', 'list', '--status', 'rejected', '--json']),
    );
    expect(onlyRejected.map((e) => e.status)).toEqual(['rejected']);
    const detail = ok(await runCli(['inbound', 'events', 'get', first.data.id, '--body']));
    expect(detail.stdout).toContain('Matched rules: pushes');
    expect(detail.stdout).toMatch(/pushes +0:publish +yes +evt_/);
    expect(detail.stdout).toContain('{"ref":"main"}');

    const dry = ok(await runCli(['inbound', 'replay', '--since', '1h', '--source', id, '--dry-run']));
    expect(dry.stdout).toBe('1 events would be replayed.\n');
    expect(ok(await runCli(['inbound', 'replay', first.data.id])).stdout).toContain('queued');
    const missing = await runCli(['inbound', 'replay']);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('--since');

    const rotated = ok(await runCli(['inbound', 'sources', 'rotate-token', id, '--grace', '0s']));
    expect(rotated.stdout).toContain('The old URL no longer works.');
    expect((await deliver(sourceUrl, secret, { ref: 'late' }, 'd-3')).status).toBe(404);

    const refused = await runCli(['inbound', 'sources', 'delete', id]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--yes');
    expect(ok(await runCli(['inbound', 'sources', 'delete', id, '--yes'])).stdout).toBe(
      `Deleted inbound source ${id}.\n`,
    );
    expect(ok(await runCli(['inbound', 'sources', 'list'])).stdout).toBe('No inbound sources.\n');
  });

  it('explains what is missing instead of calling the API with a half-formed source', async () => {
    const bare = await runCli(['inbound', 'sources', 'create', 'Nothing']);
    expect(bare.code).not.toBe(0);
    expect(bare.stderr).toContain('--scheme, --verification, or --connection');
    const badJson = await runCli(['inbound', 'sources', 'create', 'X', '--verification', '{nope']);
    expect(badJson.stderr).toContain('--verification is not valid JSON');
    const refused = await runCli(['inbound', 'sources', 'create', 'X', '--scheme', 'carrier_pigeon']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/validation/i);
  });
});
