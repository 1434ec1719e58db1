import { Field } from '../../../ui/components.js';

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
          <DateTimeField label="From" value={value.from} onChange={(from) => onChange({ ...value, from })} />
          <DateTimeField label="To" value={value.to} onChange={(to) => onChange({ ...value, to })} />
        </>
      )}
    </>
  );
}

/** A local date and time input (minutes). */
export function DateTimeField({
  label,
  value,
  onChange,
  ...field
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  required?: boolean;
  help?: string | undefined;
  error?: string | undefined;
}) {
  return (
    <Field label={label} {...field}>
      {(props) => <input {...props} type="datetime-local" value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}
