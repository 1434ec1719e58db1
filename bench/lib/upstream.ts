import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { BenchApi } from './api.js';
import { startProcess } from './processes.js';

/** What the upstream answers: a vendor's customer, the body bench/api's baseline answers too. */
export const CUSTOMER_BODY = JSON.stringify({
  id: 'cus_8Xq2Lm',
  object: 'customer',
  name: 'Acme Ltd',
  email: 'billing@acme.test',
});
export const CUSTOMER_PATH = '/v1/customers/cus_8Xq2Lm';

/**
 * The vendor a proxy bench calls: a bare Node http server (bench/api/bare-server.ts) answering CUSTOMER_BODY to
 * any request, started behind `prefix` (a taskset pinning, or nothing: then it runs where this process may).
 */
export async function startUpstream(prefix: string[], port: number): Promise<ChildProcess> {
  const [command = process.execPath, ...args] = [...prefix, process.execPath];
  const url = `http://127.0.0.1:${port}`;
  return startProcess(
    command,
    [...args, '--import', 'tsx', path.resolve(import.meta.dirname, '../api/bare-server.ts')],
    { PORT: String(port), BENCH_BODY: CUSTOMER_BODY },
    async () => (await fetch(url)).ok,
  );
}

/**
 * A generic_rest connection to the upstream with an API key, created (and tested) through the API; then one call
 * through its proxy with `token` must answer the customer. Returns the proxied path of CUSTOMER_PATH.
 */
export async function upstreamConnection(api: BenchApi, upstreamUrl: string, token: string): Promise<string> {
  const connection = await api.call('POST', '/v1/connections', {
    connector: 'generic_rest',
    name: 'bench upstream',
    auth_method: 'api_key',
    config: { base_url: upstreamUrl, test_path: CUSTOMER_PATH },
    credentials: { api_key: 'bench-vendor-key' },
  });
  const proxied = `/v1/connections/${connection.id as string}/proxy${CUSTOMER_PATH}`;
  const check = await api.request('GET', proxied, undefined, token);
  if (check.status !== 200 || JSON.stringify(check.data) !== CUSTOMER_BODY)
    throw new Error(`proxied call answered ${check.status}`);
  return proxied;
}
