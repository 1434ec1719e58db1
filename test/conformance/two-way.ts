import { expect } from 'vitest';
import { createRestSource } from '../../src/sync/sources/rest/index.js';
import { renderTemplate, type ManifestStream } from '../../src/sync/sources/rest/request.js';
import { createRestPushTarget, readWriteAnswer } from '../../src/sync/targets/rest-push.js';
import type { SyncRecord, WriteOutcome } from '../../src/sync/engine/types.js';
import { drain, writeThrough } from '../fakes/connect.js';
import type { RecordedRequest, VendorReply } from '../helpers/fake-vendor.js';
import type { Conformance } from './harness.js';

/**
 * The two halves of a two-way stream driven through the shipped manifest: one record pushed through its `write`
 * endpoints (as an outbound or two-way sync writes it) while the fake gives the vendor's documented answer, and an
 * incremental read from a cursor (as the next run asks for what changed).
 */

const bodyOf = (sent: RecordedRequest) =>
  sent.body.length ? (JSON.parse(sent.body.toString()) as Record<string, unknown>) : undefined;

/** Write `records` to a stream through the REST push target, as a sync run does. */
function pushThrough(
  c: Conformance,
  connectionId: string,
  stream: Pick<ManifestStream, 'name' | 'primary_key'>,
  config: Record<string, unknown>,
  executionId: string,
  records: SyncRecord[],
): Promise<WriteOutcome> {
  const target = createRestPushTarget({
    call: c.t.built.proxy.call,
    tenantId: c.t.tenantId,
    connectionId,
    manifest: c.manifest,
    config,
  });
  return writeThrough(target, stream.name, stream.primary_key, records, executionId);
}

/**
 * Push `record` to `streamName` (update when it carries the vendor id, create otherwise) while the vendor answers
 * `reply`. Answers the outcome, the request the vendor received and what the platform reads from the answer (the
 * new id at `id_path`, or the refusal's message).
 */
export async function pushRecord(
  c: Conformance,
  connectionId: string,
  streamName: string,
  record: SyncRecord,
  reply: VendorReply,
  config: Record<string, unknown> = {},
): Promise<{ outcome: WriteOutcome; sent: RecordedRequest; body: Record<string, unknown> | undefined; id?: string }> {
  const stream = c.manifest.streams.find((s) => s.name === streamName);
  const write = stream?.write;
  if (!stream || !write) throw new Error(`${c.slug} declares no write for ${streamName}`);
  const key = record[write.id_field];
  const endpoint = key !== undefined && key !== null && key !== '' ? write.update : write.create;
  if (!endpoint) throw new Error(`${streamName} has no endpoint for this write`);
  const route = c.routeOf(endpoint.method, renderTemplate(endpoint.path, { config, record }, true), config);
  c.vendor.on(route, reply);
  const before = c.requestsTo(route).length;
  const outcome = await pushThrough(c, connectionId, stream, config, 'exec_conformance_push', [record]);
  const sent = c.requestsTo(route)[before];
  expect(sent, `the write did not reach ${route}`).toBeDefined();
  const raw = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.body ?? '');
  const answer = readWriteAnswer(write, reply.status ?? 200, reply.headers ?? {}, Buffer.from(raw));
  return {
    outcome,
    sent: sent as RecordedRequest,
    body: bodyOf(sent as RecordedRequest),
    ...(answer.ok && answer.id !== undefined ? { id: answer.id } : {}),
  };
}

/**
 * Push `records` (all creates, or all updates, two or more) to `streamName` through its batch endpoint (`write.batch`)
 * while the vendor answers `reply`. Answers the outcome and the request the vendor received.
 */
export async function pushBatch(
  c: Conformance,
  connectionId: string,
  streamName: string,
  records: SyncRecord[],
  reply: VendorReply,
  config: Record<string, unknown> = {},
): Promise<{ outcome: WriteOutcome; sent: RecordedRequest; body: Record<string, unknown> | undefined }> {
  const stream = c.manifest.streams.find((s) => s.name === streamName);
  const batch = stream?.write?.batch;
  if (!stream || !batch) throw new Error(`${c.slug} declares no batch write for ${streamName}`);
  const key = records[0]?.[stream.write?.id_field ?? 'id'];
  const endpoint = key !== undefined && key !== null && key !== '' ? batch.update : batch.create;
  if (!endpoint) throw new Error(`${streamName} has no batch endpoint for these records`);
  const route = c.routeOf(endpoint.method, endpoint.path, config);
  c.vendor.on(route, reply);
  const before = c.requestsTo(route).length;
  const outcome = await pushThrough(c, connectionId, stream, config, 'exec_conformance_batch', records);
  const sent = c.requestsTo(route)[before];
  expect(sent, `the batch did not reach ${route}`).toBeDefined();
  return { outcome, sent: sent as RecordedRequest, body: bodyOf(sent as RecordedRequest) };
}

/**
 * Read `streamName` incrementally from `cursor` (ISO 8601) while the vendor answers `reply` to the changes request.
 * Answers the records read, the checkpoint and what the vendor received (query, JSON body, headers).
 */
export async function readChanges(
  c: Conformance,
  connectionId: string,
  streamName: string,
  cursor: string,
  reply: VendorReply,
  config: Record<string, unknown> = {},
) {
  const stream = c.manifest.streams.find((s) => s.name === streamName);
  const incremental = stream?.incremental;
  if (!stream?.path || !incremental) throw new Error(`${c.slug} declares no incremental read for ${streamName}`);
  const route = c.routeOf(incremental.method ?? stream.method, incremental.path ?? stream.path, config);
  c.vendor.on(route, reply);
  const before = c.requestsTo(route).length;
  const source = createRestSource({
    call: c.t.built.proxy.call,
    tenantId: c.t.tenantId,
    connectionId,
    manifest: c.manifest,
    config,
    requestId: 'exec_conformance_read',
  });
  const read = await drain(source, streamName, 'incremental', { cursor });
  expect(read.error).toBeUndefined();
  const sent = c.requestsTo(route)[before];
  expect(sent, `the incremental read did not reach ${route}`).toBeDefined();
  return {
    records: read.records,
    state: read.state,
    sent: sent as RecordedRequest,
    query: new URL((sent as RecordedRequest).url, c.vendor.url).searchParams,
    body: bodyOf(sent as RecordedRequest),
  };
}
