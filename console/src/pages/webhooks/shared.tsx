import { useState } from 'react';
import { CopyButton, Dialog, Field } from '../../ui/components.js';

/** A time-range filter: a preset relative to now, or explicit bounds. */
export type TimeRange = { preset: string; from: string; to: string };

export const anyTime: TimeRange = { preset: 'any', from: '', to: '' };

const presets: { value: string; label: string; ms?: number }[] = [
  { value: 'any', label: 'Any time' },
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
  { value: 'custom', label: 'Custom range' },
];

/** The `since`/`until` query values of a range (ISO strings), omitting open ends. */
export function rangeQuery(range: TimeRange): { since?: string; until?: string } {
  const preset = presets.find((p) => p.value === range.preset);
  if (preset?.ms) return { since: new Date(Date.now() - preset.ms).toISOString() };
  if (range.preset !== 'custom') return {};
  return {
    ...(range.from ? { since: new Date(range.from).toISOString() } : {}),
    ...(range.to ? { until: new Date(range.to).toISOString() } : {}),
  };
}

/** A `datetime-local` value (local time, minutes) for a date. */
export function localInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function TimeRangeFilter({ value, onChange }: { value: TimeRange; onChange: (range: TimeRange) => void }) {
  return (
    <>
      <Field label="Time range">
        {(props) => (
          <select
            {...props}
            value={value.preset}
            onChange={(e) => {
              const preset = e.target.value;
              if (preset === 'custom' && !value.from) {
                onChange({ preset, from: localInput(new Date(Date.now() - 86_400_000)), to: '' });
              } else onChange({ ...value, preset });
            }}
          >
            {presets.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {value.preset === 'custom' && (
        <>
          <Field label="From">
            {(props) => (
              <input
                {...props}
                type="datetime-local"
                value={value.from}
                onChange={(e) => onChange({ ...value, from: e.target.value })}
              />
            )}
          </Field>
          <Field label="To">
            {(props) => (
              <input
                {...props}
                type="datetime-local"
                value={value.to}
                onChange={(e) => onChange({ ...value, to: e.target.value })}
              />
            )}
          </Field>
        </>
      )}
    </>
  );
}

/** Milliseconds as a short duration: 840 ms, 1.2 s, 3.5 min. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;
}

/** Header names and values as a definition list (response headers, received headers). */
export function HeaderList({ headers, label }: { headers: Record<string, string> | null | undefined; label: string }) {
  const entries = Object.entries(headers ?? {});
  if (entries.length === 0) return <p className="muted small">No headers recorded.</p>;
  return (
    <dl className="details wh-headers" aria-label={label}>
      {entries.map(([name, value]) => (
        <div key={name} className="wh-header-row">
          <dt>
            <code>{name}</code>
          </dt>
          <dd>
            <code>{value}</code>
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** A secret (or URL) revealed once, with a copy button and a warning that it will not be shown again. */
export function SecretOnce({
  title,
  open,
  onClose,
  items,
  note,
}: {
  title: string;
  open: boolean;
  onClose: () => void;
  items: { label: string; value: string; secret?: boolean }[];
  note?: string;
}) {
  return (
    <Dialog title={title} open={open} onClose={onClose}>
      <div className="stack">
        {items.some((i) => i.secret) && (
          <p className="callout callout-warn" role="note">
            Copy the secret now and store it where the other side can use it: Switchyard shows it only this once.
          </p>
        )}
        {note && <p className="muted">{note}</p>}
        {items.map((item) => (
          <div key={item.label} className="wh-secret" data-testid={item.secret ? 'secret-once' : undefined}>
            <p className="wh-secret-label">{item.label}</p>
            <div className="wh-secret-value">
              <code>{item.value}</code>
              <CopyButton text={item.value} label={`Copy ${item.label.toLowerCase()}`} />
            </div>
          </div>
        ))}
      </div>
      <div className="actions">
        <button type="button" className="button button-primary" onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}

/** Auto-refresh controls for a live log: an interval select, pause/resume and a Refresh button. */
export function useAutoRefresh(initialSeconds = 15) {
  const [seconds, setSeconds] = useState(initialSeconds);
  const [paused, setPaused] = useState(false);
  return {
    seconds,
    setSeconds,
    paused,
    setPaused,
    interval: paused || seconds === 0 ? (false as const) : seconds * 1000,
  };
}

export function AutoRefreshControls({
  state,
  onRefresh,
  fetching,
  updatedAt,
}: {
  state: ReturnType<typeof useAutoRefresh>;
  onRefresh: () => void;
  fetching: boolean;
  updatedAt: number;
}) {
  return (
    <div className="filters wh-refresh">
      <Field label="Auto-refresh">
        {(props) => (
          <select {...props} value={state.seconds} onChange={(e) => state.setSeconds(Number(e.target.value))}>
            <option value={2}>Every 2 s</option>
            <option value={5}>Every 5 s</option>
            <option value={15}>Every 15 s</option>
            <option value={30}>Every 30 s</option>
            <option value={60}>Every minute</option>
            <option value={0}>Off</option>
          </select>
        )}
      </Field>
      <button
        type="button"
        className="button"
        aria-pressed={state.paused}
        disabled={state.seconds === 0}
        onClick={() => state.setPaused(!state.paused)}
      >
        {state.paused ? 'Resume' : 'Pause'}
      </button>
      <button type="button" className="button" onClick={onRefresh} disabled={fetching}>
        {fetching ? 'Refreshing…' : 'Refresh'}
      </button>
      <span className="muted small">
        {state.interval ? `Live, every ${state.seconds} s` : 'Auto-refresh paused'}
        {updatedAt > 0 && ` · updated ${new Date(updatedAt).toLocaleTimeString()}`}
      </span>
    </div>
  );
}

/** Split a comma- or newline-separated list, dropping blanks. */
export function splitList(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}
