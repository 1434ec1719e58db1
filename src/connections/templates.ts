/**
 * Manifest templates: `{{config.key}}`, `{{credentials.key}}` and bare variables a strategy provides (`{{method}}`,
 * `{{signature}}`, `{{access_token}}` …). Secret references (`{{secrets.NAME}}`) are resolved before rendering,
 * when credentials are opened, so they never reach a template here. A missing value renders as empty; required
 * fields are enforced when a connection is saved.
 */
export type TemplateContext = {
  config: Record<string, unknown>;
  credentials: Record<string, string>;
  vars?: Record<string, string>;
  /** The OAuth app, where a template may name it (revocation: `{{client.client_id}}`). Never its secret. */
  client?: { client_id: string };
};

const PLACEHOLDER = /\{\{\s*(?:([a-z_]+)\.)?([A-Za-z0-9_]+)\s*\}\}/g;

export function render(template: string, ctx: TemplateContext): string {
  return template.replace(PLACEHOLDER, (_match, scope: string | undefined, key: string) => {
    const value =
      scope === 'config'
        ? ctx.config[key]
        : scope === 'credentials'
          ? ctx.credentials[key]
          : scope === 'client'
            ? ctx.client?.[key as 'client_id']
            : scope
              ? undefined
              : ctx.vars?.[key];
    return value === undefined || value === null ? '' : String(value);
  });
}

/**
 * A JSON value with every string in it rendered as a template (keys are left alone): a test call's body, such as a
 * query naming the configured site, `{"site_id": "{{config.site_id}}"}`. Numbers, booleans and null stay as they are.
 */
export function renderJson(value: unknown, ctx: TemplateContext): unknown {
  if (typeof value === 'string') return render(value, ctx);
  if (Array.isArray(value)) return value.map((v) => renderJson(v, ctx));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderJson(v, ctx)]));
  }
  return value;
}

/** The placeholders a template uses, e.g. to check that required fields are present. */
export function placeholders(template: string): { scope: string | undefined; key: string }[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => ({ scope: m[1], key: m[2] as string }));
}
