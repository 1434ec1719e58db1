import { useId } from 'react';

export type ChartSeries = { name: string; tone: 'good' | 'bad' | 'info' | 'warn' | 'neutral'; values: number[] };

/**
 * Stacked bars over time buckets, drawn as SVG (no chart library): one bar per bucket, one colour per series, with
 * a legend, axis labels and a table-like text alternative for screen readers.
 */
export function BarChart({
  title,
  labels,
  series,
  height = 180,
}: {
  title: string;
  labels: string[];
  series: ChartSeries[];
  height?: number;
}) {
  const id = useId();
  const width = 640;
  const pad = { left: 40, right: 8, top: 8, bottom: 24 };
  const totals = labels.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const ticks = niceTicks(max);
  const top = ticks[ticks.length - 1] ?? max;
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const slot = plotW / Math.max(1, labels.length);
  const barW = Math.max(2, slot * 0.7);
  const y = (v: number) => pad.top + plotH - (v / top) * plotH;
  const every = Math.ceil(labels.length / 8);
  const summary = series.map((s) => `${s.name}: ${s.values.reduce((a, b) => a + b, 0)}`).join(', ');
  return (
    <figure className="chart" aria-labelledby={`${id}-title`}>
      <figcaption id={`${id}-title`} className="chart-title">
        {title}
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}. ${summary}`} data-testid="chart">
        {ticks.map((t) => (
          <g key={t}>
            <line x1={pad.left} x2={width - pad.right} y1={y(t)} y2={y(t)} className="chart-grid" />
            <text x={pad.left - 6} y={y(t) + 4} textAnchor="end" className="chart-axis">
              {t}
            </text>
          </g>
        ))}
        {labels.map((label, i) => {
          let base = 0;
          const x = pad.left + i * slot + (slot - barW) / 2;
          return (
            <g key={label + i}>
              {series.map((s) => {
                const v = s.values[i] ?? 0;
                if (v === 0) return null;
                const rect = (
                  <rect
                    key={s.name}
                    x={x}
                    y={y(base + v)}
                    width={barW}
                    height={y(base) - y(base + v)}
                    className={`chart-bar chart-${s.tone}`}
                  >
                    <title>{`${label}: ${v} ${s.name}`}</title>
                  </rect>
                );
                base += v;
                return rect;
              })}
              {i % every === 0 && (
                <text x={x + barW / 2} y={height - 6} textAnchor="middle" className="chart-axis">
                  {label}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <ul className="chart-legend">
        {series.map((s) => (
          <li key={s.name}>
            <span className={`chart-swatch chart-${s.tone}`} aria-hidden="true" /> {s.name} (
            {s.values.reduce((a, b) => a + b, 0)})
          </li>
        ))}
      </ul>
    </figure>
  );
}

/** Whole-number ticks (the charts count things): a step under 1 would round into repeated ticks (0, 1, 1, 2). */
function niceTicks(max: number): number[] {
  const rough = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough) ?? rough);
  const ticks: number[] = [];
  for (let t = 0; t <= max + step - 1e-9; t += step) ticks.push(Math.round(t));
  return ticks.length > 1 ? ticks : [0, 1];
}
