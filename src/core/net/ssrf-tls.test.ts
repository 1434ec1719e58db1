import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCidr } from './cidr.js';
import { createGuardedDispatcher, type ResolvedAddress } from './ssrf.js';

// A self-signed certificate for api.switchyard.test (valid 2000-2100, no extended key usage), used here as the
// server's certificate, the client's certificate and the only trusted CA. Test material, not a secret.
const cert = `-----BEGIN CERTIFICATE-----
MIIBfzCCASWgAwIBAgIBATAKBggqhkjOPQQDAjAeMRwwGgYDVQQDDBNhcGkuc3dp
dGNoeWFyZC50ZXN0MCAXDTAwMDEwMTAwMDAwMFoYDzIxMDAwMTAxMDAwMDAwWjAe
MRwwGgYDVQQDDBNhcGkuc3dpdGNoeWFyZC50ZXN0MFkwEwYHKoZIzj0CAQYIKoZI
zj0DAQcDQgAE7b9cIAQxO1ST7OSMlnLkFgrgg6ehum/e2gn2FwgCSpism5JxUzoJ
hLyveVejMUBMSWmprBz+S6V4L10qSBK9kKNSMFAwHgYDVR0RBBcwFYITYXBpLnN3
aXRjaHlhcmQudGVzdDAPBgNVHRMBAf8EBTADAQH/MB0GA1UdDgQWBBRTllBSW1/M
AUAN7/+KF7WVwV9HfjAKBggqhkjOPQQDAgNIADBFAiBK2BXcHs/4G1Qj+nFVrDf2
0p9J03kfNlb4RN7nyzbV0wIhAJVsZBZIStJadREuBzXN9bHJv64+ZQjzQ3kjPCgt
lyAP
-----END CERTIFICATE-----
`;
const key = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgxGGho5bWL1ce5e4c
O96ulFwLPTB+bTnzEpx4ocE48tihRANCAATtv1wgBDE7VJPs5IyWcuQWCuCDp6G6
b97aCfYXCAJKmKybknFTOgmEvK95V6MxQExJaamsHP5LpXgvXSpIEr2Q
-----END PRIVATE KEY-----
`;

const loopback = [parseCidr('127.0.0.0/8')];
const handshakes: { servername: string | false | null; localAddress: string | undefined; clientCn: unknown }[] = [];
let server: https.Server;
let port: number;

beforeAll(async () => {
  // The server demands a client certificate signed by `cert`, so a handshake only completes with the mTLS option.
  server = https.createServer({ key, cert, ca: cert, requestCert: true, rejectUnauthorized: true }, (req, res) =>
    res.end('secure'),
  );
  server.on('secureConnection', (socket: TLSSocket) => {
    const clientCn = socket.getPeerCertificate().subject?.CN;
    handshakes.push({ servername: socket.servername, localAddress: socket.localAddress, clientCn });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

function lookupTo(address: string) {
  const calls: string[] = [];
  const lookup = async (hostname: string): Promise<ResolvedAddress[]> => {
    calls.push(hostname);
    return [{ address, family: 4 }];
  };
  return { lookup, calls };
}

async function get(url: string, options: Parameters<typeof createGuardedDispatcher>[0]) {
  const dispatcher = createGuardedDispatcher(options);
  try {
    const response = await request(url, { dispatcher });
    return { status: response.statusCode, text: await response.body.text() };
  } finally {
    await dispatcher.close();
  }
}

describe('createGuardedDispatcher over TLS', () => {
  it('connects to the checked address, sends the name as SNI, verifies the certificate and presents the client one', async () => {
    const { lookup, calls } = lookupTo('127.0.0.1');
    handshakes.length = 0;
    const response = await get(`https://api.switchyard.test:${port}/`, {
      allow: loopback,
      lookup,
      tls: { ca: cert, cert, key },
    });
    expect(response).toEqual({ status: 200, text: 'secure' });
    expect(calls).toEqual(['api.switchyard.test']);
    expect(handshakes).toEqual([
      { servername: 'api.switchyard.test', localAddress: '127.0.0.1', clientCn: 'api.switchyard.test' },
    ]);
  });

  it('guards TLS connections the same way', async () => {
    const { lookup } = lookupTo('127.0.0.1');
    await expect(
      get(`https://api.switchyard.test:${port}/`, { allow: [], lookup, tls: { ca: cert, cert, key } }),
    ).rejects.toMatchObject({ name: 'BlockedAddressError', range: '127.0.0.0/8' });
  });

  it('checks the certificate against the requested name, not the address connected to', async () => {
    const { lookup } = lookupTo('127.0.0.1');
    await expect(
      get(`https://other.switchyard.test:${port}/`, { allow: loopback, lookup, tls: { ca: cert, cert, key } }),
    ).rejects.toMatchObject({ code: 'ERR_TLS_CERT_ALTNAME_INVALID' });
  });

  it('trusts only the given CA, and the server refuses a client without the certificate', async () => {
    const { lookup } = lookupTo('127.0.0.1');
    const url = `https://api.switchyard.test:${port}/`;
    await expect(get(url, { allow: loopback, lookup, tls: { cert, key } })).rejects.toMatchObject({
      code: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    });
    handshakes.length = 0;
    // TLS 1.3 finishes the client's side of the handshake first; the server then drops the connection.
    await expect(get(url, { allow: loopback, lookup, tls: { ca: cert } })).rejects.toBeInstanceOf(Error);
    expect(handshakes).toEqual([]);
  });
});
