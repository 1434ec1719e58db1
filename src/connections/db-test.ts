import type pg from 'pg';
import type { Cidr } from '../core/net/cidr.js';
import { DatabaseTargetError } from '../core/net/database-target.js';
import { BlockedAddressError, type ResolveHost } from '../core/net/ssrf.js';
import { createPostgresClient, pinPostgresTarget } from './postgres-target.js';
import type { TestInput, TestOutcome, TestRun } from './test-call.js';
import { render } from './templates.js';

/**
 * The test call of a database connector: connect with the connection string and run a trivial command. The string
 * is read with the driver's own parser and every destination it names goes through the SSRF guard; the driver
 * then gets an explicit config with the checked address (postgres-target.ts, redis-target.ts), never the string.
 * Database errors map onto the same outcomes as HTTP ones; a refused destination is a network_error naming why.
 */

export type DriverTestOptions = { allow: readonly Cidr[]; query: string; timeoutMs: number; lookup?: ResolveHost };

/** What one driver does in a test: connect and run the query (answering the account), and read its errors. */
export type DriverProbe = {
  run(connectionString: string, credentials: Record<string, string>): Promise<{ accountId: string; name: string }>;
  classify(error: unknown): TestOutcome;
};

/** The parts every driver's test shares: the rendered string, the log line, and a refused destination. */
export async function runDriverTest(input: TestInput, query: string, probe: DriverProbe): Promise<TestRun> {
  const auth = input.auth;
  const connectionString =
    auth.type === 'connection_string'
      ? render(auth.value, { config: input.config, credentials: input.credentials })
      : '';
  const started = performance.now();
  const log: TestRun['log'] = {
    method: 'QUERY',
    path: query,
    status: null,
    latencyMs: 0,
    bytesIn: 0,
    bytesOut: 0,
    error: null,
  };
  try {
    const { accountId, name } = await probe.run(connectionString, input.credentials);
    log.latencyMs = performance.now() - started;
    return { outcome: { outcome: 'connected', account_id: accountId, account_name: name, status: null }, log };
  } catch (error) {
    log.latencyMs = performance.now() - started;
    log.error = (error as Error).message;
    if (error instanceof BlockedAddressError || error instanceof DatabaseTargetError)
      return { outcome: { outcome: 'network_error', message: error.message }, log, blocked: true };
    return { outcome: probe.classify(error), log };
  }
}

export async function testDatabase(input: TestInput, options: DriverTestOptions): Promise<TestRun> {
  return runDriverTest(input, options.query, {
    async run(connectionString) {
      let client: pg.Client | undefined;
      try {
        const target = await pinPostgresTarget(connectionString, {
          allow: options.allow,
          ...(options.lookup ? { lookup: options.lookup } : {}),
        });
        client = createPostgresClient(target, {
          connectionTimeoutMillis: options.timeoutMs,
          statement_timeout: options.timeoutMs,
        });
        await client.connect();
        await client.query(options.query);
        return { accountId: target.accountId, name: target.database };
      } finally {
        await client?.end().catch(() => {});
      }
    },
    classify: classifyDatabaseError,
  });
}

function classifyDatabaseError(error: unknown): TestOutcome {
  const code = (error as { code?: string }).code;
  const message = (error as Error).message;
  // pg's SCRAM client refuses an empty password itself, before the server can answer 28P01.
  if (/client password must be a (non-empty )?string/.test(message))
    return { outcome: 'credential_revoked', status: 401, message: 'The server asks for a password; none was given.' };
  // 28P01 invalid_password: a wrong password (or, under password auth, a role that does not exist).
  if (code === '28P01') return { outcome: 'credential_revoked', status: 401, message };
  // 28000 invalid_authorization_specification is the server's configuration refusing the connection, not the
  // password: "no pg_hba.conf entry for host …" / "pg_hba.conf rejects connection …" (this address, or no TLS), or
  // a role that may not log in. The credential may be fine, so it is the vendor's error, its message kept.
  if (code === '28000') return { outcome: 'vendor_error', status: null, vendor_code: code, message };
  if (code === '42501') return { outcome: 'scope_insufficient', status: 403, missing_scopes: [], message };
  if (code && /^[0-9A-Z]{5}$/.test(code)) return { outcome: 'vendor_error', status: null, vendor_code: code, message };
  return { outcome: 'network_error', message };
}
