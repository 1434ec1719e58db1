import dns from 'node:dns';
import net from 'node:net';
import pg from 'pg';
import type { Cidr } from '../core/net/cidr.js';
import { assertUrlAllowed, BlockedAddressError } from '../core/net/ssrf.js';
import type { TestInput, TestRun } from './test-call.js';
import { render } from './templates.js';

/**
 * The test call of a database connector: connect with the connection string and run a trivial query. The host
 * goes through the SSRF guard like any HTTP destination, and the driver connects to the checked address (the
 * original name is kept for TLS). Database errors map onto the same outcomes as HTTP ones.
 */
export async function testDatabase(
  input: TestInput,
  options: { allow: readonly Cidr[]; query: string; timeoutMs: number },
): Promise<TestRun> {
  const auth = input.auth;
  const connectionString =
    auth.type === 'connection_string'
      ? render(auth.value, { config: input.config, credentials: input.credentials })
      : '';
  const started = performance.now();
  const log: TestRun['log'] = {
    method: 'QUERY',
    path: options.query,
    status: null,
    latencyMs: 0,
    bytesIn: 0,
    bytesOut: 0,
    error: null,
  };
  let client: pg.Client | undefined;
  try {
    const url = new URL(connectionString);
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:')
      throw new Error('The connection string must start with postgres://');
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const checked = net.isIP(host) ? host : await resolveChecked(host, options.allow);
    if (net.isIP(host)) await assertUrlAllowed(`http://${url.host}/`, options.allow);
    client = new pg.Client({
      connectionString,
      host: checked,
      connectionTimeoutMillis: options.timeoutMs,
      statement_timeout: options.timeoutMs,
      ...(url.searchParams.get('sslmode') && url.searchParams.get('sslmode') !== 'disable'
        ? { ssl: { servername: host } }
        : {}),
    });
    await client.connect();
    await client.query(options.query);
    log.latencyMs = performance.now() - started;
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || 'postgres';
    return {
      outcome: { outcome: 'connected', account_id: `${database}@${url.host}`, account_name: database, status: null },
      log,
    };
  } catch (error) {
    log.latencyMs = performance.now() - started;
    log.error = (error as Error).message;
    return { outcome: classifyDatabaseError(error), log };
  } finally {
    await client?.end().catch(() => {});
  }
}

async function resolveChecked(host: string, allow: readonly Cidr[]): Promise<string> {
  // Check every address the name has, then resolve once more for the one to use and check that one too: whatever
  // the resolver answers the second time, the driver only ever connects to a checked address.
  await assertUrlAllowed(`http://${host}/`, allow);
  const { address } = await dns.promises.lookup(host);
  await assertUrlAllowed(`http://${net.isIPv6(address) ? `[${address}]` : address}/`, allow);
  return address;
}

function classifyDatabaseError(error: unknown): TestRun['outcome'] {
  if (error instanceof BlockedAddressError) return { outcome: 'network_error', message: error.message };
  const code = (error as { code?: string }).code;
  const message = (error as Error).message;
  if (code === '28P01' || code === '28000') return { outcome: 'credential_revoked', status: 401, message };
  if (code === '42501') return { outcome: 'scope_insufficient', status: 403, missing_scopes: [], message };
  if (code && /^[0-9A-Z]{5}$/.test(code)) return { outcome: 'vendor_error', status: null, vendor_code: code, message };
  return { outcome: 'network_error', message };
}
