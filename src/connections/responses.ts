import type { ResponseRule, ValueSource } from '../catalog/manifest/manifest.js';
import { readJsonPath } from '../core/json-path.js';

/** A vendor response as the test call sees it: status, lower-case headers, the body as text and (if any) JSON. */
export type VendorResponse = { status: number; headers: Record<string, string>; text: string; json: unknown };

/** Does the response match a manifest rule? Every condition given must hold. */
export function matchesRule(res: VendorResponse, rule: ResponseRule): boolean {
  if (rule.status !== undefined) {
    const statuses = Array.isArray(rule.status) ? rule.status : [rule.status];
    if (!statuses.includes(res.status)) return false;
  }
  if (rule.json) {
    const value = safeRead(res.json, rule.json.path);
    if (rule.json.exists !== undefined && (value !== undefined) !== rule.json.exists) return false;
    if (rule.json.equals !== undefined && value !== rule.json.equals) return false;
    if (rule.json.in !== undefined && !rule.json.in.includes(value as string | number)) return false;
  }
  if (rule.header) {
    const value = res.headers[rule.header.name.toLowerCase()];
    if (value === undefined || !new RegExp(rule.header.pattern, 'i').test(value)) return false;
  }
  if (rule.body_contains !== undefined && !res.text.includes(rule.body_contains)) return false;
  return true;
}

/** Read a value the manifest points at (JSON path in the body, or a header), optionally through a regex. */
export function readValue(res: VendorResponse, source: ValueSource): string | undefined {
  const raw = source.from === 'header' ? res.headers[source.path.toLowerCase()] : safeRead(res.json, source.path);
  if (raw === undefined || raw === null) return undefined;
  const text = typeof raw === 'string' ? raw : typeof raw === 'object' ? JSON.stringify(raw) : String(raw);
  if (!source.pattern) return text;
  const match = new RegExp(source.pattern).exec(text);
  return match ? (match[1] ?? match[0]) : undefined;
}

function safeRead(json: unknown, path: string): unknown {
  try {
    return readJsonPath(json, path);
  } catch {
    return undefined;
  }
}
