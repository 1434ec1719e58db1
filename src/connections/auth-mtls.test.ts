import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.js';
import {
  caCert,
  clientCert,
  clientKey,
  rogueCert,
  rogueKey,
  serverCert,
  serverKey,
} from '../../test/helpers/tls-certs.js';

/**
 * Mutual TLS against HTTPS fake vendors on 127.0.0.1 that trust one CA for client certificates:
 * - `strict` refuses the handshake without a certificate from that CA (rejectUnauthorized);
 * - `lenient` completes it and answers 400 itself, as nginx does with `ssl_verify_client optional`.
 */

type Seen = { path: string; authorized: boolean; subject: Record<string, string> | undefined };

async function startTlsVendor(mode: 'strict' | 'lenient') {
  const seen: Seen[] = [];
  const server = https.createServer(
    { key: serverKey, cert: serverCert, ca: caCert, requestCert: true, rejectUnauthorized: mode === 'strict' },
    (req, res) => {
      const socket = req.socket as TLSSocket;
      const peer = socket.getPeerCertificate();
      const subject = peer.subject ? { CN: peer.subject.CN, O: peer.subject.O } : undefined;
      seen.push({ path: req.url ?? '', authorized: socket.authorized, subject: subject as Seen['subject'] });
      if (!socket.authorized) {
        res.writeHead(400, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: 'The SSL certificate error', code: 'client_cert_invalid' }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: `cert:${String(peer.subject.CN)}` }));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let t: TestApp;
let strict: Awaited<ReturnType<typeof startTlsVendor>>;
let lenient: Awaited<ReturnType<typeof startTlsVendor>>;
beforeEach(async () => {
  t = await createTestApp();
  strict = await startTlsVendor('strict');
  lenient = await startTlsVendor('lenient');
});
afterEach(async () => {
  await t.close();
  await strict.close();
  await lenient.close();
});

const connect = (baseUrl: string, credentials: Record<string, string>) =>
  t.request({
    method: 'POST',
    url: '/v1/connections',
    body: {
      connector: 'generic_rest',
      auth_method: 'mtls',
      config: { base_url: baseUrl, test_path: '/me', account_id_path: '$.id' },
      credentials,
    },
  });

describe('mutual TLS', () => {
  it('the right client certificate connects, and the vendor sees its subject', async () => {
    const res = await connect(strict.url, { certificate: clientCert, private_key: clientKey, ca: caCert });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.data).toMatchObject({ state: 'active', vendor_account_id: 'cert:switchyard-test-client' });
    expect(strict.seen).toEqual([
      { path: '/me', authorized: true, subject: { CN: 'switchyard-test-client', O: 'Switchyard Tests' } },
    ]);
    expect(res.body).not.toContain('PRIVATE KEY');

    // The stored certificate and key are used again for a later test.
    const tested = await t.request({ method: 'POST', url: `/v1/connections/${res.data.id as string}/test` });
    expect(tested.data).toMatchObject({ state: 'active', last_test_outcome: { outcome: 'connected' } });
    expect(strict.seen).toHaveLength(2);
  });

  it('a certificate the vendor does not trust fails the handshake: network_error, nothing saved', async () => {
    const res = await connect(strict.url, { certificate: rogueCert, private_key: rogueKey, ca: caCert });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data.outcome).toMatchObject({ outcome: 'network_error' });
    expect(String((res.data.outcome as { message: string }).message)).toContain(new URL(strict.url).host);
    expect(strict.seen).toEqual([]);
    expect((await t.db.query('select count(*)::int as n from connections')).rows).toEqual([{ n: 0 }]);
  });

  it('a vendor that checks the certificate itself answers 400: vendor_error with its status and message', async () => {
    const res = await connect(lenient.url, { certificate: rogueCert, private_key: rogueKey, ca: caCert });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data.outcome).toMatchObject({ outcome: 'vendor_error', status: 400 });
    expect(lenient.seen).toEqual([{ path: '/me', authorized: false, subject: { CN: 'Rogue Client', O: undefined } }]);

    const good = await connect(lenient.url, { certificate: clientCert, private_key: clientKey, ca: caCert });
    expect(good.statusCode, good.body).toBe(201);
    expect(lenient.seen.at(-1)).toMatchObject({ authorized: true, subject: { CN: 'switchyard-test-client' } });
  });

  it('without a client certificate (another auth method) the strict vendor never answers: network_error', async () => {
    // The bearer method presents no certificate; the vendor's own certificate is not trusted either (no CA given).
    const res = await t.request({
      method: 'POST',
      url: '/v1/connections',
      body: {
        connector: 'generic_rest',
        auth_method: 'bearer',
        config: { base_url: strict.url, test_path: '/me' },
        credentials: { token: 't' },
      },
    });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data.outcome).toMatchObject({ outcome: 'network_error' });
    expect(strict.seen).toEqual([]);
  });

  it('a server certificate from another CA than the one given is refused: network_error', async () => {
    const res = await connect(strict.url, { certificate: clientCert, private_key: clientKey, ca: rogueCert });
    expect(res.statusCode, res.body).toBe(422);
    expect(res.data.outcome).toMatchObject({ outcome: 'network_error' });
    expect(strict.seen).toEqual([]);
  });
});
