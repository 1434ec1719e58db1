import type { Schemas } from '../api.js';

/**
 * The connect session API as the hosted Connect UI uses it: plain fetch on this origin, the session token in a
 * header on every call (never in a URL), problem+json errors turned into `ConnectProblem`s. Deliberately not the
 * typed SDK client the console uses: this page must stay small and load nothing the end user does not need.
 */

export type FormField = Schemas['ConnectorFormField'];

export type AuthMethod = {
  /** What a connection names the method by; the contract gives `type`, and `id` where two methods share one. */
  id?: string;
  type: string;
  label: string;
  fields: FormField[];
  scopes?: { name: string; description?: string | null }[];
};

export type SessionConnector = {
  slug: string;
  name: string;
  description: string;
  category: string;
  logo: { initials: string; color: string };
  docs_url?: string | null;
  config: FormField[];
  auth: AuthMethod[];
};

export type ExistingConnection = {
  id: string;
  connector: string;
  name: string;
  state: string;
  state_reason?: string | null;
  vendor_account_name?: string | null;
  auth_method?: string | null;
};

export type Branding = { name?: string | null; logo_url?: string | null; primary_color?: string | null };

export type ConnectSession = {
  id: string;
  end_user: { id: string; display_name?: string | null; email?: string | null };
  branding: Branding;
  expires_at: string;
  reconnect: string | null;
  connectors: SessionConnector[];
  connections: ExistingConnection[];
};

export type MadeConnection = {
  id: string;
  connector: string;
  name: string;
  state: string;
  vendor_account_name?: string | null;
  vendor_account_id?: string | null;
};

export type OAuthStart = { authorization_url: string; flow_id: string; state_expires_at?: string };

export type FlowStatus = {
  status: 'pending' | 'completing' | 'connected' | 'failed' | 'expired';
  connection_id: string | null;
  error: { code: string; message: string } | null;
};

export type Problem = {
  status: number;
  code: string;
  title: string;
  detail?: string;
  /** connect_session_invalid: why the session cannot be used. */
  reason?: 'expired' | 'used' | 'unknown';
  /** connect_session_invalid for a session the token names: the product's name, to say where to go back to. */
  branding?: { name?: string | null };
  /** connection_test_failed: the test call's outcome and what it means for the end user. */
  outcome?: { outcome: string; status?: number | null; message?: string | null };
  explanation?: string;
  errors?: { path: string; message: string }[];
};

export class ConnectProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ConnectProblem';
  }
  /** The session cannot be used any more (expired, used, unknown): nothing on this page can work now. */
  get sessionDead(): boolean {
    return this.problem.code === 'connect_session_invalid';
  }
}

export type ConnectApi = ReturnType<typeof connectApi>;

/** The calls of one session, bound to its token. */
export function connectApi(token: string) {
  async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(path, {
        method,
        headers: {
          accept: 'application/json',
          'switchyard-connect-session': token,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      throw new ConnectProblem({
        status: 0,
        code: 'network_error',
        title: 'The connection to the server was lost',
        detail: 'Check your internet connection and try again.',
      });
    }
    const text = await response.text();
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : undefined;
    } catch {
      data = undefined;
    }
    if (!response.ok) {
      const problem = (data && typeof data === 'object' ? data : {}) as Partial<Problem>;
      throw new ConnectProblem({
        ...problem,
        status: response.status,
        code: problem.code ?? `http_${response.status}`,
        title: problem.title ?? `The server answered ${response.status}`,
      });
    }
    return data as T;
  }
  return {
    session: () => request<ConnectSession>('GET', '/v1/connect/session'),
    createConnection: (body: {
      connector: string;
      auth_method?: string;
      config?: Record<string, unknown>;
      credentials: Record<string, unknown>;
    }) => request<MadeConnection>('POST', '/v1/connect/connections', body),
    replaceCredentials: (
      id: string,
      body: { credentials: Record<string, unknown>; config?: Record<string, unknown> },
    ) => request<MadeConnection>('POST', `/v1/connect/connections/${encodeURIComponent(id)}/credentials`, body),
    authorize: (body: { connector: string; scopes?: string[]; connection_id?: string }) =>
      request<OAuthStart>('POST', '/v1/connect/oauth/authorize', body),
    flow: (id: string) => request<FlowStatus>('GET', `/v1/connect/oauth/flows/${encodeURIComponent(id)}`),
  };
}
