import type { Manifest } from '../../../catalog/manifest/manifest.js';
import type { PageRequest } from './pages.js';

export type ManifestStream = Manifest['streams'][number];

/** Values a stream's templates may name: `{{config.k}}`, `{{cursor}}`, `{{parent.k}}`, `{{record.k}}`. */
export type TemplateValues = {
  config: Record<string, unknown>;
  cursor?: string;
  parent?: Record<string, unknown>;
  record?: Record<string, unknown>;
};

const PLACEHOLDER = /\{\{\s*(config|parent|record)?\.?([A-Za-z0-9_]+)\s*\}\}/g;

/** Render a template; `encode` percent-encodes each value (path segments). A missing value renders empty. */
export function renderTemplate(template: string, values: TemplateValues, encode = false): string {
  return template.replace(PLACEHOLDER, (whole, scope: string | undefined, key: string) => {
    const source =
      scope === undefined ? (key === 'cursor' ? { cursor: values.cursor } : undefined) : values[scope as 'config'];
    if (source === undefined) return whole;
    const value = (source as Record<string, unknown>)[key];
    const text = value === undefined || value === null ? '' : String(value);
    return encode ? encodeURIComponent(text) : text;
  });
}

/** Every string of a JSON value rendered (keys left alone). */
export function renderDeep(value: unknown, values: TemplateValues): unknown {
  if (typeof value === 'string') return renderTemplate(value, values);
  if (Array.isArray(value)) return value.map((v) => renderDeep(v, values));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderDeep(v, values)]));
  }
  return value;
}

const renderRecord = (r: Record<string, string>, values: TemplateValues) =>
  Object.fromEntries(Object.entries(r).map(([k, v]) => [k, renderTemplate(v, values)]));

/**
 * The listing request of a stream as declared: its path (relative to the connection's base URL, or to its own base
 * URL's path), method, constant params, body and headers, and its pagination (its own or the manifest's). An
 * incremental read lays its own request over it, with the cursor rendered in.
 */
export function streamRequest(
  manifest: Manifest,
  stream: ManifestStream,
  values: TemplateValues,
  mode: 'full' | 'incremental' | 'delta',
): PageRequest {
  const inc = mode === 'incremental' ? stream.incremental : undefined;
  const delta = mode === 'delta' ? stream.delta : undefined;
  const path = inc?.path ?? delta?.path ?? stream.path ?? '';
  return {
    method: inc?.method ?? stream.method,
    path: basePrefix(manifest, stream, values) + renderTemplate(path, values, true),
    params: { ...renderRecord(stream.params, values), ...(inc ? renderRecord(inc.params, values) : {}) },
    body:
      (inc?.body ?? stream.body) === undefined
        ? undefined
        : (renderDeep(inc?.body ?? stream.body, values) as Record<string, unknown>),
    headers: {
      ...renderRecord(stream.headers ?? {}, values),
      ...(inc?.headers ? renderRecord(inc.headers, values) : {}),
    },
    pagination: inc?.pagination ?? stream.pagination ?? manifest.pagination,
    primaryKey: stream.primary_key,
    stream: stream.name,
  };
}

/**
 * A stream served from its own base URL reaches it through the connection by the path relative to the manifest's
 * base URL (the proxy sends nothing outside the connection's base URL): `/v1` next to a `/v3` API is `/../v1`,
 * which is refused, so such streams must share the origin and lie under the base path.
 */
function basePrefix(manifest: Manifest, stream: ManifestStream, values: TemplateValues): string {
  if (!stream.base_url || !manifest.base_url) return '';
  const pathOf = (url: string) =>
    renderTemplate(url, values)
      .replace(/^https?:\/\/[^/]+/, '')
      .replace(/\/$/, '');
  const own = pathOf(stream.base_url);
  const top = pathOf(manifest.base_url);
  return own.startsWith(top) ? own.slice(top.length) : own;
}
