export type BenchApi = {
  /** The answer's status and its JSON body ({} when empty, the text when it is not JSON). */
  request(method: string, url: string, payload?: unknown, token?: string): Promise<{ status: number; data: unknown }>;
  /** The JSON body of a 2xx answer; any other answer throws. */
  call(method: string, url: string, payload?: unknown, token?: string): Promise<Record<string, unknown>>;
};

/** Switchyard's management API for a bench's set-up and checks, as the admin token unless another is given. */
export function benchApi(origin: string, admin: string): BenchApi {
  const request: BenchApi['request'] = async (method, url, payload, token = admin) => {
    const res = await fetch(`${origin}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(payload !== undefined ? { body: JSON.stringify(payload) } : {}),
    });
    const text = await res.text();
    let data: unknown = {};
    try {
      if (text) data = JSON.parse(text);
    } catch {
      data = text;
    }
    return { status: res.status, data };
  };
  return {
    request,
    async call(method, url, payload, token) {
      const { status, data } = await request(method, url, payload, token);
      if (status >= 300) throw new Error(`${method} ${url}: ${status} ${JSON.stringify(data)}`);
      return data as Record<string, unknown>;
    },
  };
}

/** An editor API key (it may publish events and use the proxy) with a rate limit counted but never reached. */
export async function editorKey(api: BenchApi): Promise<string> {
  const { token } = (await api.call('POST', '/v1/api-keys', {
    name: 'bench',
    role: 'editor',
    rate_limit_per_minute: 100_000_000,
  })) as { token: string };
  return token;
}

/** A sync run as the benches read it. */
export type BenchExecution = {
  id: string;
  status: string;
  duration_ms: number;
  error: string | null;
  records: { processed: number; created: number; updated: number; deleted: number; failed: number };
};

/** Run a sync and wait for its end (polled every 50 ms); its duration is the execution's own. Any end but success throws. */
export async function runSyncToEnd(api: BenchApi, syncId: string): Promise<BenchExecution> {
  const started = (await api.call('POST', `/v1/syncs/${syncId}/run`, {})) as { execution: { id: string } };
  for (;;) {
    await new Promise((r) => setTimeout(r, 50));
    const e = (await api.call('GET', `/v1/syncs/executions/${started.execution.id}`)) as BenchExecution;
    if (e.status === 'pending' || e.status === 'running') continue;
    if (e.status !== 'success') throw new Error(`run ${e.id} ended ${e.status}: ${e.error}`);
    return e;
  }
}
