import http from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import { errors, fetch, request, type Agent } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../errors.js';
import { parseCidr } from './cidr.js';
import {
  assertUrlAllowed,
  BlockedAddressError,
  checkRedirect,
  createGuardedDispatcher,
  UnsupportedUrlError,
  type ResolvedAddress,
} from './ssrf.js';

const loopback = [parseCidr('127.0.0.0/8')];

/** A resolver answering from a table, counting its calls; names not in the table fail like a missing record. */
function fakeLookup(table: Record<string, string[] | (() => string[])>) {
  const calls: string[] = [];
  const lookup = async (hostname: string): Promise<ResolvedAddress[]> => {
    calls.push(hostname);
    const entry = table[hostname];
    if (!entry) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return (typeof entry === 'function' ? entry() : entry).map((address) => ({
      address,
      family: address.includes(':') ? 6 : 4,
    }));
  };
  return { lookup, calls };
}

let server: http.Server;
let port: number;
let connections: Socket[] = [];
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/metadata') res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' });
    res.end(`hello ${req.headers.host}`);
  });
  server.on('connection', (socket) => connections.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const dispatchers: Agent[] = [];
afterEach(async () => {
  await Promise.all(dispatchers.splice(0).map((d) => d.close()));
  connections = [];
});
function dispatcher(options: Parameters<typeof createGuardedDispatcher>[0]) {
  const d = createGuardedDispatcher({ connectTimeoutMs: 2000, ...options });
  dispatchers.push(d);
  return d;
}

async function get(url: string, d: Agent) {
  const response = await request(url, { dispatcher: d });
  return { status: response.statusCode, text: await response.body.text() };
}

describe('createGuardedDispatcher', () => {
  it('refuses a loopback server unless 127.0.0.0/8 is allowed, and then reaches it', async () => {
    const url = `http://127.0.0.1:${port}/`;
    await expect(get(url, dispatcher({ allow: [] }))).rejects.toMatchObject({
      name: 'BlockedAddressError',
      host: '127.0.0.1',
      address: '127.0.0.1',
      range: '127.0.0.0/8',
    });
    expect(connections).toHaveLength(0);
    expect(await get(url, dispatcher({ allow: loopback }))).toEqual({ status: 200, text: `hello 127.0.0.1:${port}` });
    expect(connections).toHaveLength(1);
  });

  it('resolves a name once and connects to the address it checked, whatever the name resolves to later', async () => {
    // A rebinding resolver: the checked answer first, the metadata service on every later query.
    let answers = 0;
    const { lookup, calls } = fakeLookup({
      'api.vendor.test': () => (answers++ === 0 ? ['127.0.0.1'] : ['169.254.169.254']),
    });
    const response = await get(`http://api.vendor.test:${port}/x`, dispatcher({ allow: loopback, lookup }));
    expect(response).toEqual({ status: 200, text: `hello api.vendor.test:${port}` });
    expect(calls).toEqual(['api.vendor.test']);
    expect(connections.map((s) => s.localAddress)).toEqual(['127.0.0.1']);
  });

  it('connects to the first checked address when the socket asks for one address (no happy eyeballs)', async () => {
    const { lookup, calls } = fakeLookup({ 'api.vendor.test': ['127.0.0.1', '127.0.0.2'] });
    const autoSelect = net.getDefaultAutoSelectFamily();
    net.setDefaultAutoSelectFamily(false);
    try {
      expect(await get(`http://api.vendor.test:${port}/`, dispatcher({ allow: loopback, lookup }))).toMatchObject({
        status: 200,
      });
    } finally {
      net.setDefaultAutoSelectFamily(autoSelect);
    }
    expect(calls).toHaveLength(1);
    expect(connections.map((s) => s.localAddress)).toEqual(['127.0.0.1']);
  });

  it('refuses a name that resolves to a non-public address, before connecting', async () => {
    const { lookup, calls } = fakeLookup({ 'api.vendor.test': ['127.0.0.1'] });
    const error = await get(`http://api.vendor.test:${port}/`, dispatcher({ allow: [], lookup })).catch((e) => e);
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect(error).toMatchObject({ host: 'api.vendor.test', address: '127.0.0.1', range: '127.0.0.0/8' });
    expect(error.message).toBe(
      '"api.vendor.test" resolves to a non-public address: 127.0.0.0/8, loopback (allowed only when the server lists it in SWITCHYARD_ALLOW_PRIVATE_NETWORKS, e.g. 127.0.0.0/8 for a local trial)',
    );
    expect(calls).toHaveLength(1);
    expect(connections).toHaveLength(0);
  });

  it.each([
    [['8.8.8.8', '10.0.0.1'], [], '10.0.0.1'],
    [['10.0.0.1', '8.8.8.8'], [], '10.0.0.1'],
    [['2606:4700::1111', 'fd00::1'], [], 'fd00::1'],
    // The allowed address would connect; the other one is reason enough to refuse the name.
    [['127.0.0.1', '192.168.0.10'], loopback, '192.168.0.10'],
  ])('refuses a name resolving to %j when any address is refused', async (addresses, allow, refused) => {
    const { lookup } = fakeLookup({ 'mixed.vendor.test': addresses });
    await expect(get(`http://mixed.vendor.test:${port}/`, dispatcher({ allow, lookup }))).rejects.toMatchObject({
      name: 'BlockedAddressError',
      address: refused,
    });
    expect(connections).toHaveLength(0);
  });

  it.each([
    ['0.0.0.0', '0.0.0.0/8'],
    ['10.20.30.40', '10.0.0.0/8'],
    ['100.64.0.1', '100.64.0.0/10'],
    ['127.0.0.1', '127.0.0.0/8'],
    ['169.254.169.254', '169.254.0.0/16'],
    ['172.16.5.4', '172.16.0.0/12'],
    ['192.0.0.170', '192.0.0.0/24'],
    ['192.0.2.10', '192.0.2.0/24'],
    ['192.168.1.1', '192.168.0.0/16'],
    ['198.18.0.1', '198.18.0.0/15'],
    ['198.51.100.1', '198.51.100.0/24'],
    ['203.0.113.1', '203.0.113.0/24'],
    ['224.0.0.1', '224.0.0.0/4'],
    ['240.0.0.1', '240.0.0.0/4'],
    ['255.255.255.255', '255.255.255.255/32'],
    ['::', '::/128'],
    ['::1', '::1/128'],
    ['100::1', '100::/64'],
    ['2001:db8::1', '2001:db8::/32'],
    ['fc00::1', 'fc00::/7'],
    ['fe80::1', 'fe80::/10'],
    ['ff02::1', 'ff00::/8'],
    ['::ffff:10.0.0.1', '10.0.0.0/8'],
    ['64:ff9b::a9fe:a9fe', '169.254.0.0/16'],
    ['64:ff9b:1::c0a8:1', '192.168.0.0/16'],
    ['2002:7f00:1::1', '127.0.0.0/8'],
  ])('refuses a name resolving to %s (%s)', async (address, range) => {
    const { lookup, calls } = fakeLookup({ 'internal.vendor.test': [address] });
    const url = `http://internal.vendor.test:${port}/`;
    await expect(get(url, dispatcher({ allow: [], lookup }))).rejects.toMatchObject({ address, range });
    await expect(assertUrlAllowed(url, [], { lookup })).rejects.toMatchObject({ address, range });
    expect(calls).toEqual(['internal.vendor.test', 'internal.vendor.test']);
  });

  it.each([
    `http://2130706433:PORT/`,
    `http://0x7f.1:PORT/`,
    `http://017700000001:PORT/`,
    `http://127.1:PORT/`,
    `http://0x7f000001:PORT/`,
  ])('checks the IP literal in %s (no resolver is asked)', async (template) => {
    const url = template.replace('PORT', String(port));
    const { lookup, calls } = fakeLookup({});
    await expect(get(url, dispatcher({ allow: [], lookup }))).rejects.toMatchObject({ range: '127.0.0.0/8' });
    expect(connections).toHaveLength(0);
    expect(await get(url, dispatcher({ allow: loopback, lookup }))).toMatchObject({ status: 200 });
    expect(connections).toHaveLength(1);
    expect(calls).toEqual([]);
  });

  it.each([
    ['http://[::1]/', '::1/128'],
    ['http://[::ffff:127.0.0.1]/', '127.0.0.0/8'],
    ['http://[::ffff:169.254.169.254]/', '169.254.0.0/16'],
    ['http://[0:0:0:0:0:ffff:a9fe:a9fe]/latest/meta-data/', '169.254.0.0/16'],
    ['http://[64:ff9b::a9fe:a9fe]/', '169.254.0.0/16'],
    ['http://[2002:a9fe:a9fe::1]/', '169.254.0.0/16'],
    ['https://[fe80::1]/', 'fe80::/10'],
    ['http://0/', '0.0.0.0/8'],
    ['http://169.254.169.254/latest/meta-data/', '169.254.0.0/16'],
  ])('refuses the literal %s even with 127.0.0.0/8 allowed', async (url, range) => {
    // Refused before any socket exists, so nothing here ever leaves the machine.
    const error = await get(url, dispatcher({ allow: url.includes('127.0.0.1') ? [] : loopback })).catch((e) => e);
    expect(error).toBeInstanceOf(BlockedAddressError);
    expect(error.range).toBe(range);
  });

  it('returns a redirect to request() unfollowed, and refuses the hop when fetch() follows it', async () => {
    const url = `http://127.0.0.1:${port}/metadata`;
    const response = await request(url, { dispatcher: dispatcher({ allow: loopback }) });
    await response.body.dump();
    expect(response.statusCode).toBe(302);
    const error = await fetch(url, { dispatcher: dispatcher({ allow: loopback }) }).catch((e: Error) => e);
    expect((error as Error).cause).toMatchObject({ name: 'BlockedAddressError', address: '169.254.169.254' });
    expect(connections).toHaveLength(2);
  });

  it('surfaces the refusal as the cause of a fetch failure', async () => {
    const { lookup } = fakeLookup({ 'meta.vendor.test': ['169.254.169.254'] });
    const error = await fetch('http://meta.vendor.test/', {
      dispatcher: dispatcher({ allow: loopback, lookup }),
    }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).cause).toBeInstanceOf(BlockedAddressError);
  });

  it('passes resolver failures through and counts resolution against the connect timeout', async () => {
    await expect(
      get('http://missing.vendor.test/', dispatcher({ allow: [], ...fakeLookup({}) })),
    ).rejects.toMatchObject({ code: 'ENOTFOUND' });
    const hanging = () => new Promise<ResolvedAddress[]>(() => {});
    const slow = dispatcher({ allow: [], lookup: hanging, connectTimeoutMs: 100 });
    const started = Date.now();
    await expect(get('http://slow.vendor.test/', slow)).rejects.toBeInstanceOf(errors.ConnectTimeoutError);
    // undici checks connect timeouts on a coarse clock; well under the 10 s default is what matters.
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('assertUrlAllowed', () => {
  it('accepts an http(s) URL whose every address is public, and returns it parsed', async () => {
    const { lookup, calls } = fakeLookup({ 'hooks.vendor.test': ['203.0.114.1', '2606:4700::6810:1'] });
    const url = await assertUrlAllowed('https://hooks.vendor.test/in?x=1', [], { lookup });
    expect(url.href).toBe('https://hooks.vendor.test/in?x=1');
    expect(calls).toEqual(['hooks.vendor.test']);
  });

  it.each([
    'ftp://files.vendor.test/',
    'file:///etc/passwd',
    'gopher://127.0.0.1:6379/_',
    'javascript:alert(1)',
    'data:,x',
  ])('refuses the scheme of %s', async (url) => {
    await expect(assertUrlAllowed(url, loopback, fakeLookup({}))).rejects.toBeInstanceOf(UnsupportedUrlError);
  });

  it('refuses what is not an absolute URL', async () => {
    for (const url of ['/relative', 'vendor.test', 'http://', '']) {
      await expect(assertUrlAllowed(url, [])).rejects.toBeInstanceOf(UnsupportedUrlError);
    }
  });

  it('answers destination_blocked (422) with a detail that names the range but not the internal address', async () => {
    const { lookup } = fakeLookup({ 'db.corp.test': ['10.1.2.3'] });
    const error = (await assertUrlAllowed('https://db.corp.test/', [], { lookup }).catch(
      (e) => e,
    )) as BlockedAddressError;
    const problem = new ApiError(error.code, error.message);
    expect(problem.status).toBe(422);
    expect(problem.detail).toBe(
      '"db.corp.test" resolves to a non-public address: 10.0.0.0/8, private (RFC 1918) (allowed only when the server lists it in SWITCHYARD_ALLOW_PRIVATE_NETWORKS, e.g. 10.0.0.0/8 for a local trial)',
    );
    expect(problem.detail).not.toContain('10.1.2.3');
    const mapped = await assertUrlAllowed('http://[::ffff:169.254.169.254]/', []).catch((e: Error) => e.message);
    expect(mapped).toBe(
      '::ffff:a9fe:a9fe is a non-public address: IPv4-mapped IPv6 ::ffff:0:0/96 carrying 169.254.0.0/16, link-local (cloud metadata) (allowed only when the server lists it in SWITCHYARD_ALLOW_PRIVATE_NETWORKS, e.g. 169.254.0.0/16 for a local trial)',
    );
  });
});

describe('checkRedirect', () => {
  const { lookup } = fakeLookup({
    'api.vendor.test': ['198.51.99.1'],
    'cdn.vendor.test': ['2606:4700::1'],
    'intranet.vendor.test': ['192.168.10.5'],
  });
  const from = 'https://api.vendor.test/v1/things';

  it('resolves relative locations and accepts public targets', async () => {
    expect((await checkRedirect(from, '/v2/things?page=2', [], { lookup })).href).toBe(
      'https://api.vendor.test/v2/things?page=2',
    );
    expect((await checkRedirect(from, 'https://cdn.vendor.test/file', [], { lookup })).hostname).toBe(
      'cdn.vendor.test',
    );
  });

  it.each([
    ['http://169.254.169.254/latest/meta-data/', '169.254.0.0/16'],
    ['http://[::ffff:169.254.169.254]/', '169.254.0.0/16'],
    ['//127.0.0.1:8080/admin', '127.0.0.0/8'],
    ['http://2130706433/', '127.0.0.0/8'],
    ['https://intranet.vendor.test/', '192.168.0.0/16'],
  ])('refuses a redirect to %s', async (location, range) => {
    await expect(checkRedirect(from, location, [], { lookup })).rejects.toMatchObject({
      name: 'BlockedAddressError',
      range,
    });
  });

  it('refuses a redirect to another scheme, and allows a private target only when its network is allowed', async () => {
    await expect(checkRedirect(from, 'file:///etc/passwd', loopback, { lookup })).rejects.toBeInstanceOf(
      UnsupportedUrlError,
    );
    expect((await checkRedirect(from, 'http://127.0.0.1:9/x', loopback, { lookup })).port).toBe('9');
  });
});
