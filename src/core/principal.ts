/** Who is calling: an API key (bearer) or a signed-in user (bearer session or console cookie). */
export type Principal = {
  kind: 'api_key' | 'user';
  /** The API key id or the user id. */
  id: string;
  /** A human label for logs and the audit log: the key's name and prefix, or the user's email. */
  label: string;
  /** The tenant this request acts in (a superuser may pick another with the `Switchyard-Tenant` header). */
  tenantId: string;
  /** The tenant the key or user belongs to. */
  homeTenantId: string;
  /** Name and slug of the tenant the request acts in, as resolved with the credential (cached with it). */
  /** The tenant's features (`financial_data`, `provider_routing`): what its subscription turns on. */
  tenant: { name: string; slug: string; features: readonly string[] };
  role: string;
  capabilities: ReadonlySet<string>;
  superuser: boolean;
  via: 'bearer' | 'cookie';
  /** For console sessions: the session id (sign-out, CSRF). */
  sessionId?: string;
  /** Per-key override of the default rate limit. */
  rateLimitPerMinute?: number | null;
};
