import { expect } from 'vitest';
import type { Json, TestApp } from './app.js';

/** Poll `read` until `done` holds (every 50 ms, for up to `limitMs`): for a run the sync runner carries on its own. */
export async function until<T>(
  read: () => Promise<T>,
  done: (v: T) => boolean,
  what: string,
  limitMs = 30_000,
): Promise<T> {
  for (let i = 0; i < limitMs / 50; i++) {
    const v = await read();
    if (done(v)) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Start a run of a sync through the API (202) and answer its execution id. */
export async function startRun(t: TestApp, syncId: string, body: Json = {}, token?: string): Promise<string> {
  const res = await t.request({ method: 'POST', url: `/v1/syncs/${syncId}/run`, body, token });
  expect(res.statusCode, res.body).toBe(202);
  return (res.data.execution as Json).id as string;
}

/** The execution once it is neither pending nor running. */
export function finishedRun(t: TestApp, executionId: string, token?: string, limitMs?: number): Promise<Json> {
  return until(
    async () => (await t.request({ url: `/v1/syncs/executions/${executionId}`, token })).data,
    (e) => !['pending', 'running'].includes(e.status as string),
    `run ${executionId} to finish`,
    limitMs,
  );
}
