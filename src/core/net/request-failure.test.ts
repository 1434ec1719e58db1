import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { fetch } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverCert, serverKey } from '../../../test/helpers/tls-certs.js';
import { parseCidr } from './cidr.js';
import { createOutbound, type Outbound } from './http-client.js';
import { classifyRequestError, type RequestFailure } from './request-failure.js';

const loopback = [parseCidr('127.0.0.0/8')];

/** Listen on a loopback port; returns the origin and a close that also ends open sockets. */
async function listen(server: net.Server): Promise<{ origin: string; port: number; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  const scheme = server instanceof https.Server ? 'https' : 'http';
  return {
    origin: `${scheme}://127.0.0.1:${port}`,
    port,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What `send` threw for `url`, classified. */
async function sendFailure(outbound: Outbound, url: string, timeoutMs = 2000): Promise<RequestFailure> {
  const error = await outbound
    .send({ method: 'GET', url: new URL(url), headers: {} }, { timeoutMs })
    .then(() => expect.unreachable('the request should have failed'))
    .catch((e: unknown) => e);
  return classifyRequestError(error, { url, timeoutMs });
}

/** What undici's fetch over the same guarded dispatcher threw (its failures come wrapped in a TypeError). */
async function fetchFailure(outbound: Outbound, url: string): Promise<RequestFailure> {
  const error = await fetch(url, { dispatcher: outbound.dispatcherFor(), signal: AbortSignal.timeout(2000) })
    .then((res) => res.text())
    .then(() => expect.unreachable('the request should have failed'))
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TypeError);
  return classifyRequestError(error, { url });
}

describe('classifyRequestError, against real loopback servers', () => {
  let outbound: Outbound;
  const servers: { close: () => Promise<void> }[] = [];
  beforeAll(() => {
    outbound = createOutbound({ allow: loopback, connectTimeoutMs: 2000 });
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await outbound.close();
  });

  it('a closed port: connect, refused, nothing sent', async () => {
    const gone = await listen(net.createServer());
    await gone.close();
    const url = `${gone.origin}/x`;
    const host = `127.0.0.1:${gone.port}`;
    expect(await sendFailure(outbound, url)).toEqual({
      kind: 'connect',
      code: 'ECONNREFUSED',
      message: `${host} refused the connection.`,
      detail: `connect ECONNREFUSED ${host}`,
      summary: `ECONNREFUSED: connect ECONNREFUSED ${host}`,
      sent: false,
    });
    expect(await fetchFailure(outbound, url)).toMatchObject({ kind: 'connect', code: 'ECONNREFUSED', sent: false });
  });

  it('a server that never answers: timeout, after the request was sent', async () => {
    const hanging = await listen(http.createServer(() => {}));
    servers.push(hanging);
    const failure = await sendFailure(outbound, `${hanging.origin}/slow`, 200);
    expect(failure).toMatchObject({
      kind: 'timeout',
      message: `127.0.0.1:${hanging.port} did not answer in time.`,
      summary: 'timed out after 200 ms',
      sent: true,
    });
    // undici's own headers timeout (the proxy's dispatcher.request) is the same kind.
    const error = await outbound
      .dispatcherFor()
      .request({ origin: hanging.origin, path: '/slow', method: 'GET', headersTimeout: 200 })
      .catch((e: unknown) => e);
    expect(classifyRequestError(error)).toMatchObject({ kind: 'timeout', code: 'UND_ERR_HEADERS_TIMEOUT', sent: true });
  });

  it('a socket reset or closed in the middle of the response: reset', async () => {
    const resetting = await listen(
      net.createServer((socket) => {
        socket.once('data', () => {
          socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial');
          setTimeout(() => socket.resetAndDestroy(), 20);
        });
      }),
    );
    servers.push(resetting);
    expect(await sendFailure(outbound, `${resetting.origin}/`)).toMatchObject({
      kind: 'reset',
      code: 'ECONNRESET',
      message: `127.0.0.1:${resetting.port} closed the connection.`,
      summary: 'ECONNRESET: read ECONNRESET',
      sent: true,
    });
    const closing = await listen(
      net.createServer((socket) => {
        socket.once('data', () => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial'));
      }),
    );
    servers.push(closing);
    // Closed rather than reset: undici's SocketError, which attempt logs have always called "connection closed".
    expect(await sendFailure(outbound, `${closing.origin}/`)).toMatchObject({
      kind: 'reset',
      code: 'UND_ERR_SOCKET',
      message: `127.0.0.1:${closing.port} closed the connection.`,
      summary: 'connection closed: other side closed',
      sent: true,
    });
    expect(await fetchFailure(outbound, `${closing.origin}/`)).toMatchObject({ kind: 'reset', code: 'UND_ERR_SOCKET' });
  });

  it('a certificate from an issuer the client does not trust: tls, nothing sent', async () => {
    const untrusted = await listen(https.createServer({ cert: serverCert, key: serverKey }, (_, res) => res.end()));
    servers.push(untrusted);
    const failure = await sendFailure(outbound, `${untrusted.origin}/`);
    expect(failure).toEqual({
      kind: 'tls',
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
      message: `Could not reach 127.0.0.1:${untrusted.port}: unable to verify the first certificate`,
      detail: 'unable to verify the first certificate',
      summary: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate',
      sent: false,
    });
  });

  it('a server that answers, even 503, is not a failure: the status is the caller’s to judge', async () => {
    const unavailable = await listen(
      http.createServer((_, res) => {
        res.writeHead(503, { 'retry-after': '7' }).end('busy');
      }),
    );
    servers.push(unavailable);
    const res = await outbound.send(
      { method: 'GET', url: new URL(unavailable.origin), headers: {} },
      { timeoutMs: 2000 },
    );
    expect(res).toMatchObject({ status: 503, headers: { 'retry-after': '7' } });
    expect(res.body.toString()).toBe('busy');
  });

  it('the SSRF guard’s refusal: blocked, naming the range and not the address', async () => {
    const guarded = createOutbound({ allow: [] });
    try {
      const expected = {
        kind: 'blocked',
        code: 'destination_blocked',
        message:
          '127.0.0.1 is a non-public address: 127.0.0.0/8, loopback (allowed only when the server lists it in SWITCHYARD_ALLOW_PRIVATE_NETWORKS, e.g. 127.0.0.0/8 for a local trial)',
        summary:
          'destination_blocked: 127.0.0.1 is a non-public address: 127.0.0.0/8, loopback (allowed only when the server lists it in SWITCHYARD_ALLOW_PRIVATE_NETWORKS, e.g. 127.0.0.0/8 for a local trial)',
        sent: false,
      };
      const sent = await sendFailure(guarded, 'http://127.0.0.1:8080/');
      expect(sent).toMatchObject(expected);
      expect(sent.blocked).toMatchObject({ address: '127.0.0.1', range: '127.0.0.0/8' });
      expect(await fetchFailure(guarded, 'http://127.0.0.1:8080/')).toMatchObject(expected);
    } finally {
      await guarded.close();
    }
  });

  it('a name without addresses: dns, naming the host without its port', async () => {
    const nowhere = createOutbound({ allow: loopback, lookup: () => Promise.resolve([]) });
    try {
      expect(await sendFailure(nowhere, 'http://nowhere.test:8080/')).toMatchObject({
        kind: 'dns',
        code: 'ENOTFOUND',
        message: 'nowhere.test does not resolve.',
        sent: false,
      });
    } finally {
      await nowhere.close();
    }
  });
});

describe('classifyRequestError, on errors as thrown', () => {
  const coded = (code: string, message = code, extra: object = {}) =>
    Object.assign(new Error(message), { code, ...extra });

  it('walks the cause chain: the first error that says what happened is the one reported', () => {
    const wrapped = new TypeError('fetch failed', { cause: coded('UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error') });
    expect(classifyRequestError(wrapped)).toMatchObject({
      kind: 'timeout',
      code: 'UND_ERR_CONNECT_TIMEOUT',
      detail: 'Connect Timeout Error',
      summary: 'timed out',
      sent: false,
    });
    const abort = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(classifyRequestError(abort, { timeoutMs: 300 })).toMatchObject({
      kind: 'timeout',
      code: undefined,
      summary: 'timed out after 300 ms',
      sent: true,
    });
  });

  it('tells a timeout while connecting (nothing sent) from one after sending', () => {
    expect(classifyRequestError(coded('ETIMEDOUT', 'connect ETIMEDOUT', { syscall: 'connect' }))).toMatchObject({
      kind: 'timeout',
      sent: false,
    });
    expect(classifyRequestError(coded('ETIMEDOUT', 'read ETIMEDOUT', { syscall: 'read' }))).toMatchObject({
      kind: 'timeout',
      sent: true,
    });
    expect(classifyRequestError(coded('UND_ERR_BODY_TIMEOUT'))).toMatchObject({ kind: 'timeout', sent: true });
  });

  it('names the other kinds', () => {
    const host = { url: 'https://api.example.com/v1' };
    expect(classifyRequestError(coded('EAI_AGAIN'), host)).toMatchObject({
      kind: 'dns',
      message: 'api.example.com does not resolve.',
    });
    expect(classifyRequestError(coded('EHOSTUNREACH', 'connect EHOSTUNREACH 203.0.113.9:443'), host)).toEqual({
      kind: 'connect',
      code: 'EHOSTUNREACH',
      message: 'Could not reach api.example.com: connect EHOSTUNREACH 203.0.113.9:443',
      detail: 'connect EHOSTUNREACH 203.0.113.9:443',
      summary: 'EHOSTUNREACH: connect EHOSTUNREACH 203.0.113.9:443',
      sent: false,
    });
    expect(classifyRequestError(coded('EPIPE', 'write EPIPE'), host)).toMatchObject({ kind: 'reset', sent: true });
    for (const code of ['CERT_HAS_EXPIRED', 'ERR_TLS_CERT_ALTNAME_INVALID', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'EPROTO']) {
      expect(classifyRequestError(coded(code)), code).toMatchObject({ kind: 'tls', code, sent: false });
    }
    expect(classifyRequestError(new DOMException('This operation was aborted', 'AbortError'), host)).toMatchObject({
      kind: 'aborted',
      message: 'The request to api.example.com was cancelled.',
    });
    expect(classifyRequestError(coded('UND_ERR_ABORTED'))).toMatchObject({ kind: 'aborted' });
    expect(classifyRequestError(coded('HPE_INVALID_CONSTANT', 'Expected HTTP/'))).toMatchObject({
      kind: 'network',
      summary: 'HPE_INVALID_CONSTANT: Expected HTTP/',
      sent: true,
    });
  });

  it('anything else is not a network failure: its own text, and "sent" since that is not known', () => {
    expect(classifyRequestError(coded('secret_reference_invalid', 'No secret named X'))).toMatchObject({
      kind: 'other',
      code: 'secret_reference_invalid',
      summary: 'secret_reference_invalid: No secret named X',
      sent: true,
    });
    expect(classifyRequestError(coded('UND_ERR_INVALID_ARG', 'invalid method'))).toMatchObject({ kind: 'other' });
    expect(classifyRequestError(new Error('boom'))).toMatchObject({
      kind: 'other',
      code: undefined,
      message: 'Could not reach the server: boom',
      summary: 'Error: boom',
    });
    expect(classifyRequestError('weird')).toMatchObject({ kind: 'other', detail: 'weird', summary: 'weird' });
  });

  it('never throws, even for a URL that does not parse (it runs in catch blocks)', () => {
    expect(classifyRequestError(coded('ECONNREFUSED'), { url: 'http://' })).toMatchObject({
      kind: 'connect',
      message: 'the server refused the connection.',
    });
    expect(classifyRequestError(null)).toMatchObject({ kind: 'other', detail: 'null' });
  });
});
