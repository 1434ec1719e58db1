import { isProblem, type ProblemDetails } from './problem.js';

/** The methods the proxy forwards. */
export type ProxyMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

export type ProxyRequestOptions = {
  /** Query parameters added to the vendor path (after any already in it); `undefined` values are left out. */
  query?: Record<string, string | number | boolean | undefined>;
  /**
   * The request body: a string, bytes or a stream are sent as they are; anything else is sent as JSON (with
   * `content-type: application/json` unless `headers` says otherwise).
   */
  body?: unknown;
  /**
   * Headers for the vendor (the connection's credentials are added by Switchyard), and `Switchyard-*` instructions
   * to the proxy itself (`Switchyard-Retries`, `Switchyard-Timeout`, `Switchyard-Required-Scopes`).
   */
  headers?: Record<string, string>;
  signal?: AbortSignal;
};

/**
 * What a proxied call resolves to. Any status the vendor answered is an answer, not an error: `status`, `headers`
 * and `data` are the vendor's (`data` parsed as JSON when the vendor said JSON, text otherwise, undefined when
 * empty). `error` is set only when Switchyard itself refused or failed the call (a paused connection, a missing
 * capability, the vendor unreachable, …): its problem, with `status` its status.
 */
export type ProxyResult<T = unknown> = {
  status: number;
  headers: Headers;
  data?: T;
  error?: ProblemDetails;
  response: Response;
};

/** What `fetch` takes as a body (named here: Node's types do not export `BodyInit` globally). */
type RequestBody = NonNullable<ConstructorParameters<typeof Request>[1]>['body'];

export type ProxyTransport = {
  baseUrl: string;
  headers: Record<string, string>;
  fetch: (request: Request) => Promise<Response>;
};

/**
 * Send one request to a vendor through a connection (`/v1/connections/{id}/proxy/<path>`). Used as
 * `client.proxy(…)`; the client's token and tenant go with it.
 */
export async function proxyCall<T = unknown>(
  transport: ProxyTransport,
  connectionId: string,
  method: ProxyMethod,
  path: string,
  options: ProxyRequestOptions = {},
): Promise<ProxyResult<T>> {
  const url = new URL(
    `${transport.baseUrl}/v1/connections/${encodeURIComponent(connectionId)}/proxy/${path.replace(/^\/+/, '')}`,
  );
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined) url.searchParams.append(key, String(value));
  }
  const headers = new Headers(transport.headers);
  for (const [key, value] of Object.entries(options.headers ?? {})) headers.set(key, value);
  const body = requestBody(options.body, headers);
  const request = new Request(url, {
    method,
    headers,
    ...(body !== undefined ? { body, duplex: 'half' } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  } as RequestInit);
  const response = await transport.fetch(request);
  const data = await responseData(response.clone(), method);
  const result: ProxyResult<T> = { status: response.status, headers: response.headers, response };
  // Switchyard's own problems carry its error catalogue's type; a vendor's problem+json body is the vendor's answer.
  if (!response.ok && isProblem(data) && data.type.startsWith('/docs/errors#')) result.error = data;
  else if (data !== undefined) result.data = data as T;
  return result;
}

function requestBody(body: unknown, headers: Headers): RequestBody | undefined {
  if (body === undefined || body === null) return undefined;
  if (
    typeof body === 'string' ||
    body instanceof Uint8Array ||
    body instanceof ArrayBuffer ||
    body instanceof ReadableStream ||
    body instanceof Blob ||
    body instanceof URLSearchParams ||
    body instanceof FormData
  ) {
    return body as RequestBody;
  }
  if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  return JSON.stringify(body);
}

async function responseData(response: Response, method: string): Promise<unknown> {
  if (method === 'HEAD') return undefined;
  const text = await response.text();
  if (text === '') return undefined;
  if (/^application\/([\w.+-]+\+)?json\b/i.test(response.headers.get('content-type') ?? '')) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
