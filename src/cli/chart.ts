/** Small text charts for terminals: one row of unicode block characters per series, on a shared scale. */

const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/**
 * One character per value, its height proportional to `max`. Zero is a space, and any other value at least the
 * lowest block, so a single failure among thousands of deliveries still shows.
 */
export function sparkline(values: number[], max = Math.max(0, ...values)): string {
  return values
    .map((value) => {
      if (value <= 0 || max <= 0) return ' ';
      const level = Math.ceil((value / max) * BLOCKS.length) - 1;
      return BLOCKS[Math.min(BLOCKS.length - 1, Math.max(0, level))];
    })
    .join('');
}

/**
 * Labelled sparklines sharing one scale (so their heights compare), with the scale's top value after each row:
 *
 *     delivered  ▁▂▅█▇▃   (max 120)
 *     failed      ▁  ▂    (max 4)
 */
export function sparkRows(rows: { label: string; values: number[] }[]): string[] {
  const max = Math.max(0, ...rows.flatMap((r) => r.values));
  const width = Math.max(...rows.map((r) => r.label.length));
  return rows.map((r) => `${r.label.padEnd(width)}  ${sparkline(r.values, max)}  (max ${Math.max(0, ...r.values)})`);
}
