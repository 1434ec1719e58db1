import { useId } from 'react';

type HeaderRow = { key: number; name: string; value: string };

/**
 * Custom headers as the API treats them: names are shown, values are write-only (sealed, never returned). Left
 * alone, the current headers are kept; replacing them sends the whole new set, so every value is entered again.
 */
export type HeadersState = { replace: boolean; rows: HeaderRow[] };

let nextKey = 1;
const row = (name = ''): HeaderRow => ({ key: nextKey++, name, value: '' });

/** The starting state: existing headers are kept until the user chooses to replace them. */
export const initialHeaders = (names: readonly string[] | undefined): HeadersState =>
  names && names.length > 0 ? { replace: false, rows: [] } : { replace: true, rows: [] };

/** The `headers` a write sends: undefined keeps the current ones. */
export function headersPayload(state: HeadersState): Record<string, string> | undefined {
  if (!state.replace) return undefined;
  return Object.fromEntries(state.rows.filter((r) => r.name.trim()).map((r) => [r.name.trim(), r.value]));
}

/** Problems to fix before sending: a named header without a value (values are never shown, so none is kept). */
export function headerProblems(state: HeadersState): Map<number, string> {
  const out = new Map<number, string>();
  if (!state.replace) return out;
  for (const r of state.rows) {
    if (r.name.trim() && r.value === '') out.set(r.key, 'Enter the value: values are never shown, so none is kept.');
  }
  return out;
}

export function HeaderEditor({
  names,
  state,
  onChange,
  errorAt,
  local,
  label = 'Custom headers',
}: {
  /** The headers set now (names only). */
  names: readonly string[];
  state: HeadersState;
  onChange: (state: HeadersState) => void;
  /** The API's message for a header name (`headers.X-Api-Key`), if any. */
  errorAt: (name: string) => string | undefined;
  local: Map<number, string>;
  label?: string;
}) {
  const id = useId();
  const update = (key: number, change: Partial<HeaderRow>) =>
    onChange({ ...state, rows: state.rows.map((r) => (r.key === key ? { ...r, ...change } : r)) });
  return (
    <fieldset className="wh-fieldset" aria-describedby={`${id}-help`}>
      <legend>{label}</legend>
      <p id={`${id}-help`} className="help">
        Sent with every request. Values may be <code>{'{{secrets.NAME}}'}</code>; they are sealed and never shown again.
      </p>
      {!state.replace ? (
        <div className="row">
          <span data-testid="header-names">
            {names.map((n, i) => (
              <span key={n}>
                {i > 0 && ', '}
                <code>{n}</code>
              </span>
            ))}{' '}
            <span className="muted small">(values hidden)</span>
          </span>
          <button
            type="button"
            className="button button-small"
            onClick={() => onChange({ replace: true, rows: names.map((n) => row(n)) })}
          >
            Replace headers…
          </button>
        </div>
      ) : (
        <>
          {names.length > 0 && (
            <p className="callout callout-info small">
              The new set replaces {names.join(', ')}: enter every value again, or remove a header.
            </p>
          )}
          {state.rows.length === 0 && <p className="muted small">No custom headers.</p>}
          {state.rows.map((r, i) => {
            const error = local.get(r.key) ?? errorAt(r.name.trim());
            return (
              <div key={r.key} className="wh-header-edit">
                <input
                  aria-label={`Header ${i + 1} name`}
                  value={r.name}
                  placeholder="X-Api-Key"
                  onChange={(e) => update(r.key, { name: e.target.value })}
                  {...(error ? { 'aria-invalid': true, 'aria-describedby': `${id}-${r.key}-error` } : {})}
                />
                <input
                  aria-label={`Header ${i + 1} value`}
                  type="password"
                  autoComplete="off"
                  value={r.value}
                  onChange={(e) => update(r.key, { value: e.target.value })}
                />
                <button
                  type="button"
                  className="button button-small"
                  onClick={() => onChange({ ...state, rows: state.rows.filter((x) => x.key !== r.key) })}
                >
                  Remove<span className="visually-hidden"> header {i + 1}</span>
                </button>
                {error && (
                  <p id={`${id}-${r.key}-error`} className="field-error" role="alert">
                    {error}
                  </p>
                )}
              </div>
            );
          })}
          <div className="row">
            <button
              type="button"
              className="button button-small"
              onClick={() => onChange({ ...state, rows: [...state.rows, row()] })}
            >
              Add header
            </button>
            {names.length > 0 && (
              <button
                type="button"
                className="button button-small"
                onClick={() => onChange({ replace: false, rows: [] })}
              >
                Keep current headers
              </button>
            )}
          </div>
        </>
      )}
    </fieldset>
  );
}
