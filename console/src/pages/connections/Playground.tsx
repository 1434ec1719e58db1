import { useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { csrfToken } from '../../api.js';
import { Field, prettyJson } from '../../ui/components.js';
import { connectionKeys } from '../../query-keys.js';
import type { Connection } from './shared.js';

const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof methods)[number];
type Header = { id: number; name: string; value: string };
type Result =
  | {
      kind: 'response';
      status: number;
      statusText: string;
      headers: [string, string][];
      body: string;
      contentType: string;
      ms: number;
      serverTiming: string | null;
      retries: string | null;
      fromSwitchyard: boolean;
    }
  | { kind: 'failed'; message: string; ms: number };

/** The proxy path for `path`, which is relative to the connector's base URL; a query string is kept. */
export function proxyUrl(connectionId: string, path: string): string {
  const trimmed = path.trim().replace(/^\/+/, '');
  return `/v1/connections/${encodeURIComponent(connectionId)}/proxy/${trimmed}`;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The API Playground: a request through the connection's proxy (the connection's credentials are added by
 * Switchyard; yours never reach the vendor), with the vendor's status, headers, timing and body.
 */
export function Playground({ connection }: { connection: Connection }) {
  const client = useQueryClient();
  const [method, setMethod] = useState<Method>('GET');
  const [path, setPath] = useState('/');
  const [headers, setHeaders] = useState<Header[]>([]);
  const [nextId, setNextId] = useState(1);
  const [body, setBody] = useState('');
  const [sending, setSending] = useState(false);
  const [result, setResult] = useState<Result | undefined>();
  const resultId = useId();

  const hasBody = method !== 'GET' && method !== 'DELETE';
  const bodyError = hasBody ? jsonProblem(body) : undefined;
  const headerErrors = new Map(
    headers
      .filter((h) => h.name.trim() !== '' && !HEADER_NAME.test(h.name.trim()))
      .map((h) => [h.id, 'Not a valid header name (letters, digits and - only).']),
  );
  const blocked = Boolean(bodyError) || headerErrors.size > 0;
  const base = typeof connection.config.base_url === 'string' ? connection.config.base_url : undefined;

  const send = async (e: FormEvent) => {
    e.preventDefault();
    if (blocked || sending) return;
    setSending(true);
    const requestHeaders = new Headers();
    for (const h of headers) if (h.name.trim()) requestHeaders.append(h.name.trim(), h.value);
    if (hasBody && body.trim() && !requestHeaders.has('content-type')) {
      requestHeaders.set('content-type', 'application/json');
    }
    const token = csrfToken();
    if (token) requestHeaders.set('x-csrf-token', token);
    const started = performance.now();
    try {
      const response = await fetch(proxyUrl(connection.id, path), {
        method,
        credentials: 'same-origin',
        headers: requestHeaders,
        ...(hasBody && body.trim() ? { body } : {}),
      });
      const text = await response.text();
      const ms = performance.now() - started;
      const contentType = response.headers.get('content-type') ?? '';
      setResult({
        kind: 'response',
        status: response.status,
        statusText: response.statusText,
        headers: [...response.headers.entries()],
        body: text,
        contentType,
        ms,
        serverTiming: response.headers.get('server-timing'),
        retries: response.headers.get('x-switchyard-retries'),
        // Switchyard's own refusals are problem documents; a vendor's answers come back as the vendor sent them.
        fromSwitchyard: contentType.includes('application/problem+json'),
      });
    } catch {
      setResult({
        kind: 'failed',
        message: 'The request did not complete: the server could not be reached.',
        ms: performance.now() - started,
      });
    } finally {
      setSending(false);
      // The call is in the request log now.
      void client.invalidateQueries({ queryKey: connectionKeys.requests(connection.id) });
    }
  };

  return (
    <section className="card playground" aria-labelledby="playground-title">
      <h2 id="playground-title">API Playground</h2>
      <p className="muted small">
        Requests go through Switchyard with this connection’s credentials
        {base ? (
          <>
            {' '}
            to <code>{base}</code>
          </>
        ) : null}
        . The path is relative to the connector’s base URL.
      </p>
      <form noValidate onSubmit={send} aria-describedby={result ? resultId : undefined}>
        <div className="playground-line">
          <Field label="Method">
            {(props) => (
              <select {...props} value={method} onChange={(e) => setMethod(e.target.value as Method)}>
                {methods.map((m) => (
                  <option key={m}>{m}</option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Path" help="e.g. /me or /items?limit=10">
            {(props) => (
              <input
                {...props}
                className="playground-path"
                value={path}
                spellCheck={false}
                autoComplete="off"
                onChange={(e) => setPath(e.target.value)}
              />
            )}
          </Field>
        </div>
        <fieldset className="headers-editor">
          <legend>Headers</legend>
          {headers.length === 0 && <p className="muted small">No extra headers.</p>}
          {headers.map((h, index) => (
            <div className="header-row" key={h.id}>
              <Field label={`Header ${index + 1} name`} error={headerErrors.get(h.id)}>
                {(props) => (
                  <input
                    {...props}
                    value={h.name}
                    spellCheck={false}
                    autoComplete="off"
                    placeholder="Accept"
                    onChange={(e) =>
                      setHeaders((all) => all.map((x) => (x.id === h.id ? { ...x, name: e.target.value } : x)))
                    }
                  />
                )}
              </Field>
              <Field label={`Header ${index + 1} value`}>
                {(props) => (
                  <input
                    {...props}
                    value={h.value}
                    spellCheck={false}
                    autoComplete="off"
                    placeholder="application/json"
                    onChange={(e) =>
                      setHeaders((all) => all.map((x) => (x.id === h.id ? { ...x, value: e.target.value } : x)))
                    }
                  />
                )}
              </Field>
              <button
                type="button"
                className="button button-small"
                aria-label={`Remove header ${index + 1}`}
                onClick={() => setHeaders((all) => all.filter((x) => x.id !== h.id))}
              >
                Remove
              </button>
            </div>
          ))}
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              setHeaders((all) => [...all, { id: nextId, name: '', value: '' }]);
              setNextId((n) => n + 1);
            }}
          >
            Add header
          </button>
          <p className="help">
            Authentication is added by Switchyard; <code>Authorization</code> and <code>Cookie</code> headers are not
            forwarded.
          </p>
        </fieldset>
        {hasBody && (
          <Field label="Body (JSON)" error={bodyError} help="Leave empty to send no body.">
            {(props) => (
              <textarea
                {...props}
                rows={6}
                spellCheck={false}
                value={body}
                placeholder='{"name": "value"}'
                onChange={(e) => setBody(e.target.value)}
              />
            )}
          </Field>
        )}
        <div className="actions">
          <button type="submit" className="button button-primary" disabled={blocked || sending}>
            {sending ? 'Sending…' : 'Send'}
          </button>
        </div>
      </form>
      {result && <PlaygroundResult id={resultId} result={result} />}
    </section>
  );
}

function jsonProblem(text: string): string | undefined {
  if (!text.trim()) return undefined;
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return `Not valid JSON: ${(error as Error).message}`;
  }
}

function PlaygroundResult({ id, result }: { id: string; result: Result }) {
  if (result.kind === 'failed') {
    return (
      <div id={id} className="callout callout-error" role="alert">
        {result.message} ({result.ms.toFixed(0)} ms)
      </div>
    );
  }
  const ok = result.status >= 200 && result.status < 300;
  const isJson = /[/+]json\b/.test(result.contentType);
  return (
    <div
      id={id}
      className="playground-result stack"
      role="region"
      aria-label="Response"
      data-testid="playground-result"
    >
      <div className="row">
        <span className={`badge ${ok ? 'badge-good' : result.status >= 500 ? 'badge-bad' : 'badge-warn'}`}>
          <span className="visually-hidden">Status </span>
          <span data-testid="playground-status">{result.status}</span> {result.statusText}
        </span>
        <span className="small" data-testid="playground-timing">
          {result.ms.toFixed(0)} ms in the browser
        </span>
        {result.serverTiming && <span className="small muted">Server timing: {result.serverTiming}</span>}
        {result.retries !== null && result.retries !== '0' && (
          <span className="small muted">
            {result.retries} retr{result.retries === '1' ? 'y' : 'ies'} by Switchyard
          </span>
        )}
      </div>
      {result.fromSwitchyard && (
        <p className="small muted">This answer comes from Switchyard, not the vendor: the request was refused.</p>
      )}
      <details>
        <summary>Response headers ({result.headers.length})</summary>
        <dl className="details response-headers small">
          {result.headers.map(([name, value]) => (
            <div key={name} className="contents">
              <dt>
                <code>{name}</code>
              </dt>
              <dd>
                <code>{value}</code>
              </dd>
            </div>
          ))}
        </dl>
      </details>
      <div>
        <h3 className="small-heading">Body</h3>
        {result.body === '' ? (
          <p className="muted small">Empty body.</p>
        ) : (
          <pre className="code" tabIndex={0} aria-label="Response body" data-testid="playground-body">
            {isJson ? prettyJson(result.body) : result.body}
          </pre>
        )}
      </div>
    </div>
  );
}
