import { createHash } from 'node:crypto';
import { matchesRule } from '../../connections/responses.js';
import { readJsonPath } from '../../core/json-path.js';
import type { Rejected, SyncRecord, WriteRequest } from '../engine/types.js';
import { vendorMessage } from '../sources/rest/errors.js';
import type { ManifestStream } from '../sources/rest/request.js';

export type Write = NonNullable<ManifestStream['write']>;

/** What one record's push came to: written (with its vendor id where known) or refused with the vendor's reason. */
export type PushResult = { outcome: 'created' | 'updated'; id: string | undefined } | { rejected: Rejected };

/**
 * The answers a write takes as the vendor's refusal of that write (the records are rejected, the run goes on); any
 * other non-2xx is an error of the call (401/403: the credential; 429: waited out by `send`; 5xx: an outage).
 */
export const isRefusal = (status: number) =>
  status >= 400 && status < 500 && status !== 401 && status !== 403 && status !== 429;

/** The record carries the vendor's id: it is an update. */
export function hasVendorId(write: Write, record: SyncRecord): boolean {
  const id = record[write.id_field];
  return id !== undefined && id !== null && id !== '';
}

/**
 * The fields a record writes: all but the vendor id, unwrapped when the template puts the record under one key
 * (HubSpot's `{properties: "{{record}}"}`) and the record holds that key as an object (as HubSpot's listing answers
 * it), so that a record read in the vendor's own shape is written in it too, not nested twice.
 */
export function recordFields(write: Write, template: unknown, record: SyncRecord): SyncRecord {
  const fields = Object.fromEntries(Object.entries(record).filter(([k]) => k !== write.id_field));
  if (!template || typeof template !== 'object' || Array.isArray(template)) return fields;
  const wrapping = Object.entries(template).find(([k, v]) => k !== SPREAD && typeof v === 'string' && RECORD.test(v));
  const key = wrapping?.[0];
  const inner = key === undefined ? undefined : fields[key];
  if (key === undefined || !inner || typeof inner !== 'object' || Array.isArray(inner)) return fields;
  const rest = Object.fromEntries(Object.entries(fields).filter(([k]) => k !== key));
  return { ...rest, ...(inner as SyncRecord) };
}

const RECORD = /^\{\{\s*record\s*\}\}$/;
const FIELD = /^\{\{\s*record\.([A-Za-z0-9_]+)\s*\}\}$/;
const REF = /^\{\{\s*ref\s*\}\}$/;
const INPUTS = /^\{\{\s*inputs\s*\}\}$/;
/** The key that spreads "{{record}}" into the object holding it (Salesforce's `{attributes: {type}, ...fields}`). */
export const SPREAD = '...';

export type TemplateValues = { fields?: SyncRecord; record?: SyncRecord; ref?: string; inputs?: unknown[] };

/**
 * A body template filled in: "{{record}}" by the record's fields, "{{record.f}}" by one field's value (left out when
 * the record lacks it), "{{ref}}" by the input's reference in a batch, "{{inputs}}" by a batch's inputs. An object's
 * `"...": "{{record}}"` puts the record's fields beside the object's other keys, which win over a field of the same
 * name (`{"...": "{{record}}", attributes: {type: Contact}}`).
 */
export function fillTemplate(template: unknown, values: TemplateValues): unknown {
  if (typeof template === 'string') {
    if (RECORD.test(template)) return values.fields ?? {};
    if (REF.test(template)) return values.ref;
    if (INPUTS.test(template)) return values.inputs ?? [];
    const one = FIELD.exec(template);
    return one ? values.record?.[one[1] as string] : template;
  }
  if (Array.isArray(template)) return template.map((t) => fillTemplate(t, values));
  if (template && typeof template === 'object') {
    const entries = Object.entries(template);
    const own = entries.filter(([k]) => k !== SPREAD).map(([k, v]) => [k, fillTemplate(v, values)] as const);
    const spread = entries.some(([k, v]) => k === SPREAD && typeof v === 'string' && RECORD.test(v));
    return { ...(spread ? values.fields : {}), ...Object.fromEntries(own) };
  }
  return template;
}

/**
 * The same run writing the same content to the same records gets the same key (a resumed run's repeat is a replay
 * at the vendor); different content or another run gets another key (a real change is sent).
 */
export function idempotencyKey(request: WriteRequest, records: SyncRecord[], payload: Buffer): string {
  const keys = records.map((record) => request.primaryKey.map((k) => record[k] ?? null));
  // One record keeps the key it always had (its key values alone), so a run resumed across an upgrade still replays.
  const key = JSON.stringify(keys.length === 1 ? keys[0] : keys);
  return `sy-${createHash('sha256').update(request.executionId).update('\0').update(key).update('\0').update(payload).digest('hex').slice(0, 48)}`;
}

export type WriteAnswer = { ok: true; id?: string } | { ok: false; reason: string };

/**
 * What the vendor said to one write, as the stream's `write` declares: a refusal (a 4xx, or a 2xx failing `success`
 * where the vendor reports each record's outcome in the body) with the vendor's message at `error_path`; otherwise
 * the vendor id at `id_path` when the answer carries one (a create's new id).
 */
export function readWriteAnswer(
  write: Write,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): WriteAnswer {
  const parsed = safeJson(body);
  const flat = Object.fromEntries(
    Object.entries(headers).map(([k, v]): [string, string] => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
  );
  const refused =
    status >= 400 ||
    (write.success !== undefined &&
      !matchesRule({ status, headers: flat, text: body.toString('utf8'), json: parsed }, write.success));
  if (refused) {
    const said = write.error_path && parsed !== undefined ? safeRead(parsed, write.error_path) : undefined;
    return { ok: false, reason: `${status}: ${typeof said === 'string' ? said : vendorMessage(body)}` };
  }
  const id = write.id_path && parsed !== undefined ? safeRead(parsed, write.id_path) : undefined;
  return typeof id === 'string' || typeof id === 'number' ? { ok: true, id: String(id) } : { ok: true };
}

export function safeRead(json: unknown, path: string): unknown {
  try {
    return readJsonPath(json, path);
  } catch {
    return undefined;
  }
}

export function safeJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
