import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sourceDefaultsFromManifest } from '../src/webhooks/inbound/sources/from-manifest.js';
import { expectData, type JsonBody } from './helpers/api.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createApiKeyConnection, createCustomConnector } from './helpers/catalog.js';
import { expectProblem } from './helpers/fixtures.js';

/*
 * Vendors check a webhook URL before sending to it, each in its own way; a source answers the check its vendor
 * makes, over real HTTP: Slack's signed url_verification event (every slack source), Dropbox's GET ?challenge=,
 * Microsoft Graph's POST ?validationToken=, Mailchimp's GET. The answers are plain text, echo only what was asked,
 * store nothing, and a source without the handshake (or a disabled one) answers as an unknown URL does.
 */

let t: TestApp;
let base: string;
beforeEach(async () => {
  t = await createTestApp();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await t.close();
});

async function source(body: Partial<JsonBody<'/v1/inbound/sources', 'post'>>) {
  const { source: s } = await expectData(t.api.POST('/v1/inbound/sources', { body: { name: 'src', ...body } }), 201);
  return { id: s.id, url: `${base}${new URL(s.url).pathname}`, handshake: s.handshake };
}

async function send(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    nosniff: res.headers.get('x-content-type-options'),
    text: await res.text(),
  };
}

async function storedEvents(sourceId: string) {
  const { rows } = await t.db.query('select id from inbound_events where source_id = $1', [sourceId]);
  return rows.length;
}

const plain = (text: string) => ({ status: 200, type: 'text/plain; charset=utf-8', nosniff: 'nosniff', text });

describe(`inbound URL handshakes`, () => {
  it('Slack: a signed url_verification gets its challenge back; a badly signed one is refused', async () => {
    const secret = 'slack-signing-secret';
    const s = await source({ verification: { type: 'slack' }, secret });
    const body = JSON.stringify({
      token: 'Jhj5dZrVaK7ZwHHjRyZWjbDl',
      challenge: '3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P',
      type: 'url_verification',
    });
    const ts = String(Math.floor(Date.now() / 1000));
    const sign = (key: string) => `v0=${createHmac('sha256', key).update(`v0:${ts}:${body}`).digest('hex')}`;
    const headers = { 'content-type': 'application/json', 'x-slack-request-timestamp': ts };
    const ok = await send(s.url, {
      method: 'POST',
      body,
      headers: { ...headers, 'x-slack-signature': sign(secret) },
    });
    expect(ok).toEqual(plain('3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P'));
    const forged = await send(s.url, {
      method: 'POST',
      body,
      headers: { ...headers, 'x-slack-signature': sign('not-the-secret') },
    });
    expect(forged.status).toBe(401);
    expect(forged.text).not.toContain('3eZbrw1a');
    // The handshake is not an event; the forged attempt is logged as a rejection, as any bad signature is.
    const { rows } = await t.db.query<{ status: string }>('select status from inbound_events where source_id = $1', [
      s.id,
    ]);
    expect(rows.map((r) => r.status)).toEqual(['rejected']);
  });

  it('Dropbox GET ?challenge=, Microsoft Graph ?validationToken=, Mailchimp GET; others answer 404', async () => {
    const dropbox = await source({ verification: { type: 'none' }, handshake: 'challenge_query' });
    expect(await send(`${dropbox.url}?challenge=abc%3Cscript%3E`)).toEqual(plain('abc<script>'));

    const graph = await source({ verification: { type: 'none' }, handshake: 'validation_token' });
    const token = 'Validation: Testing client application reachability for subscription Request-Id: 1b8';
    const validated = await send(`${graph.url}?validationToken=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
    expect(validated).toEqual(plain(token));

    const mailchimp = await source({ verification: { type: 'none' }, handshake: 'get_ok' });
    expect((await send(mailchimp.url)).status).toBe(200);
    for (const s of [dropbox, graph, mailchimp]) expect(await storedEvents(s.id)).toBe(0);

    // No handshake, the wrong one, a disabled source, an unknown URL: the same 404.
    const none = await source({ verification: { type: 'none' } });
    const unknown = await send(`${base}/hooks/hook_${'A'.repeat(27)}?challenge=x`);
    expect(unknown.status).toBe(404);
    await t.request({ method: 'PATCH', url: `/v1/inbound/sources/${mailchimp.id}`, body: { enabled: false } });
    for (const url of [`${none.url}?challenge=x`, `${graph.url}?challenge=x`, mailchimp.url]) {
      const res = await send(url);
      expect({ status: res.status, type: res.type }).toEqual({ status: unknown.status, type: unknown.type });
      expect(JSON.parse(res.text)).toMatchObject({ code: 'not_found', detail: JSON.parse(unknown.text).detail });
    }
    expectProblem(
      await t.request({ method: 'PATCH', url: `/v1/inbound/sources/${none.id}`, body: { handshake: 'tcp' } }),
      400,
      'validation_failed',
    );
  });

  it('connectors declare their handshake, which a source for their connection takes by default', async () => {
    for (const [slug, handshake] of [
      ['dropbox', 'challenge_query'],
      ['mailchimp', 'get_ok'],
      ['microsoft_teams', 'validation_token'],
      ['onedrive', 'validation_token'],
      ['stripe', null],
    ] as const) {
      const connector = await t.built.registry.get(slug);
      expect(connector, slug).toBeDefined();
      expect(sourceDefaultsFromManifest(connector!.manifest).handshake, slug).toBe(handshake);
    }
    const slug = await createCustomConnector(t, {
      webhooks: { scheme: 'hmac', header: 'X-Sig', algorithm: 'sha256', handshake: 'challenge_query' },
    });
    const s = await source({ connection_id: await createApiKeyConnection(t, { connector: slug }) });
    expect(s.handshake).toBe('challenge_query');
    expect(await send(`${s.url}?challenge=ping`)).toEqual(plain('ping'));
  });
});
