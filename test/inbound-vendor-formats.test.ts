import { createHmac } from 'node:crypto';
import { sign as signGithub } from '@octokit/webhooks-methods';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { expectProblem } from './helpers/fixtures.js';

/*
 * Vendor presets accept every media type their vendor can be set to send, whatever the source's own
 * `content_types` (which default to JSON): GitHub's form-encoded deliveries (`payload=<JSON>`, signed over the raw
 * form bytes by @octokit/webhooks-methods), Slack's form posts (slash commands, interactivity), Shopify's XML.
 * Rules see the JSON a form carries, as they would a JSON delivery.
 */

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
  await t.built.workers.inboundProcessor.start();
});
afterEach(async () => {
  await t.built.workers.inboundProcessor.stop(1000);
  await t.close();
});

const FORM = 'application/x-www-form-urlencoded';

async function source(body: Record<string, unknown>) {
  const res = await t.request({ method: 'POST', url: '/v1/inbound/sources', body: { name: 'src', ...body } });
  expect(res.statusCode, res.body).toBe(201);
  const s = res.data.source as { id: string; url: string };
  return { id: s.id, path: new URL(s.url).pathname };
}

const post = (path: string, body: string, headers: Record<string, string>) =>
  t.request({ method: 'POST', url: path, body, headers, token: null });

describe(`vendor media types`, () => {
  it('GitHub form-encoded deliveries verify, deduplicate and route with the JSON of their payload field', async () => {
    const created = await t.request({ method: 'POST', url: '/v1/event-types', body: { name: 'code.pushed' } });
    expect(created.statusCode, created.body).toBe(201);
    const secret = 'github-form-secret';
    const s = await source({
      verification: { type: 'github' },
      secret,
      rules: [
        {
          name: 'main',
          condition: '$.payload.ref == "refs/heads/main"',
          actions: [{ type: 'publish', event_type: 'code.pushed' }],
        },
      ],
    });
    const push = { ref: 'refs/heads/main', after: 'abc123', repository: { full_name: 'acme/app' } };
    const body = `payload=${encodeURIComponent(JSON.stringify(push))}`;
    const headers = {
      'content-type': FORM,
      'x-hub-signature-256': await signGithub(secret, body),
      'x-github-delivery': '0b989ba4-242f-11e5-81e1-c7b6966d2516',
      'x-github-event': 'push',
    };
    const ok = await post(s.path, body, headers);
    expect(ok.statusCode, ok.body).toBe(202);
    expect((await post(s.path, body, headers)).data).toMatchObject({ status: 'duplicate', duplicate_of: ok.data.id });
    expectProblem(await post(s.path, body.replace('main', 'evil'), headers), 401, 'signature_invalid');

    const event = async () => (await t.request({ url: `/v1/inbound/events/${ok.data.id as string}` })).data;
    await expect.poll(async () => (await event()).status).toBe('processed');
    expect(await event()).toMatchObject({ event_type: 'push', matched_rules: ['main'] });
    const { rows } = await t.db.query<{ data: unknown }>(`select data from events where type = 'code.pushed'`);
    expect(rows.map((r) => r.data)).toEqual([push]);
  });

  it('Slack form posts (slash commands, interactivity) and Shopify XML are accepted; JSON-only presets are not widened', async () => {
    const slackSecret = 'slack-form-secret';
    const slack = await source({ verification: { type: 'slack' }, secret: slackSecret });
    const command = 'token=x&team_id=T1&command=%2Fdeploy&text=prod&response_url=https%3A%2F%2Fhooks.slack.test%2F1';
    const ts = String(Math.floor(Date.now() / 1000));
    const signSlack = (b: string) => `v0=${createHmac('sha256', slackSecret).update(`v0:${ts}:${b}`).digest('hex')}`;
    const slash = await post(slack.path, command, {
      'content-type': FORM,
      'x-slack-request-timestamp': ts,
      'x-slack-signature': signSlack(command),
    });
    expect(slash.statusCode, slash.body).toBe(202);

    const shopifySecret = 'shopify-xml-secret';
    const shopify = await source({ verification: { type: 'shopify' }, secret: shopifySecret });
    const xml = '<?xml version="1.0" encoding="UTF-8"?><order><id type="integer">820982911946154508</id></order>';
    const xmlRes = await post(shopify.path, xml, {
      'content-type': 'application/xml',
      'x-shopify-hmac-sha256': createHmac('sha256', shopifySecret).update(xml).digest('base64'),
      'x-shopify-topic': 'orders/create',
    });
    expect(xmlRes.statusCode, xmlRes.body).toBe(202);

    // Stripe only ever sends JSON: a form body is still refused.
    const stripe = await source({ verification: { type: 'stripe' }, secret: 'whsec_x' });
    expectProblem(await post(stripe.path, 'a=1', { 'content-type': FORM }), 415, 'unsupported_media_type');
  });
});
