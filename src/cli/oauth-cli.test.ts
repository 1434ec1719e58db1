import { describe, expect, it } from 'vitest';
import { cliProcess, cliRunner, json, ok } from '../../test/helpers/cli.js';
import { REDIRECT_URI, WEB_APP } from '../../test/helpers/oauth-connector.js';
import { followCallback, useOAuthFlow } from '../../test/helpers/oauth-flows.js';

/** A connector at the real test authorization server (oidc-provider) with no OAuth app yet: the CLI sets it up. */
const f = useOAuthFlow({ client: null });
let url: string;
const target = () => ({ url, token: f.t.adminToken });
const runCli = cliRunner(target);
const startCli = cliProcess(target);
const listen = async () => {
  url = await f.t.app.listen({ port: 0, host: '127.0.0.1' });
};

describe('switchyard oauth-apps and connections connect', () => {
  it('sets up the OAuth app, connects through the consent screen, then calls the vendor with proxy', async () => {
    await listen();
    const set = ok(
      await runCli(['oauth-apps', 'set', f.slug, '--client-id', WEB_APP.client_id, '--client-secret-stdin'], {
        input: `${WEB_APP.client_secret}\n`,
      }),
    );
    expect(set.stdout).toMatch(
      /^Registered the tenant’s OAuth app for Harness API \(client id web-app; secret sealed\)\.$/m,
    );
    expect(set.stdout).toContain(`Redirect URI to register with the vendor: ${REDIRECT_URI}\n`);
    const shown = ok(await runCli(['oauth-apps', 'show', f.slug])).stdout;
    expect(shown).toMatch(/^Client id: +web-app$/m);
    expect(shown).toMatch(/^Secret: +held \(sealed\)$/m);
    expect(shown).toMatch(/^Owner: +this tenant$/m);
    expect(shown).not.toContain(WEB_APP.client_secret);

    const connecting = startCli([
      'connections',
      'connect',
      f.slug,
      '--config',
      `base_url=${f.server.api.url}`,
      '--scope',
      'read,write',
      '--interval',
      '1s',
    ]);
    const printed = await connecting.waitForStdout(/^Waiting for the connection…$/m);
    const authorizationUrl = /^ {2}(https?:\S+)$/m.exec(printed)?.[1] as string;
    expect(new URL(authorizationUrl).origin).toBe(new URL(f.server.authorizationUrl).origin);
    await followCallback(f.t, await f.server.approve(authorizationUrl, { account: 'alice' }));
    const connected = ok(await connecting.exited);
    const id = /^Connected Harness API \((conn_\w+)\) to Harness API: active\.$/m.exec(connected.stdout)?.[1] as string;
    expect(id, connected.stdout).toBeDefined();
    expect(connected.stdout).toMatch(/^ {2}Account id: +alice$/m);

    const me = ok(await runCli(['proxy', id, 'GET', '/me']));
    expect(JSON.parse(me.stdout)).toMatchObject({ id: 'alice', scopes: expect.arrayContaining(['read', 'write']) });
    const answer = json<{ status: number; headers: Record<string, string>; body: unknown }>(
      await runCli(['proxy', id, 'post', '/things', '--query', 'a=1', '--data', '{"x":1}', '--json']),
    );
    expect(answer).toMatchObject({ status: 200, body: { method: 'POST', path: '/things', account: 'alice' } });
    expect(answer.headers['x-switchyard-retries']).toBe('0');

    // A vendor refusal is the vendor's answer: printed, said on stderr, exit 1.
    const refused = await runCli(['proxy', id, 'GET', '/scoped/admin']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('The vendor answered 403.\n');

    const renamed = json<{ name: string }>(
      await runCli(['connections', 'edit', id, '--name', 'Alice at Harness', '--json']),
    );
    expect(renamed.name).toBe('Alice at Harness');
    const nothing = await runCli(['connections', 'edit', id]);
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toMatch(/^error: Nothing to change/);

    // Consent denied at the vendor: the wait ends at once with the callback page's words, not at the flow's expiry.
    const denying = startCli(['connections', 'connect', f.slug, '--config', `base_url=${f.server.api.url}`]);
    const deniedUrl = /^ {2}(https?:\S+)$/m.exec(await denying.waitForStdout(/^Waiting for the connection…$/m))?.[1];
    await followCallback(f.t, await f.server.approve(deniedUrl as string, { account: 'alice', deny: true }));
    const denied = await denying.exited;
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(
      /^error: The connection was not made \(oauth_refused\): The vendor reports that access was denied/m,
    );
  });

  it('connect without an OAuth app names the problem; --no-wait prints the URL and returns', async () => {
    await listen();
    const missing = await runCli(['connections', 'connect', f.slug, '--config', `base_url=${f.server.api.url}`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error \w+: .*OAuth app/m);

    ok(await runCli(['oauth-apps', 'set', f.slug, '--client-id', 'spa', '--public']));
    expect(
      json<{ client_id: string; has_secret: boolean }>(await runCli(['oauth-apps', 'show', f.slug, '--json'])),
    ).toMatchObject({
      client_id: 'spa',
      has_secret: false,
    });
    const noSecret = await runCli(['oauth-apps', 'set', f.slug, '--client-id', WEB_APP.client_id]);
    expect(noSecret.code).toBe(1);
    expect(noSecret.stderr).toMatch(/--client-secret-stdin or SWITCHYARD_OAUTH_CLIENT_SECRET/);
    const started = ok(
      await runCli(['connections', 'connect', f.slug, '--config', `base_url=${f.server.api.url}`, '--no-wait']),
    );
    expect(started.stdout).toMatch(/^Open this URL in a browser to connect Harness API:\n {2}https?:\S+\n$/);

    ok(await runCli(['oauth-apps', 'delete', f.slug]));
    const gone = await runCli(['oauth-apps', 'show', f.slug, '--json']);
    expect(gone.code).toBe(1);
    expect(JSON.parse(gone.stderr)).toMatchObject({ status: expect.any(Number), code: expect.any(String) });
  });
});
