/** What commands print: aligned tables and short sentences for people, JSON for scripts. */

export type Column<T> = { header: string; value: (row: T) => string | number | boolean | null | undefined };

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printLine(text: string): void {
  process.stdout.write(`${text}\n`);
}

/** Progress and advice go to stderr, so stdout stays clean for pipes and `--json`. */
export function printNote(text: string): void {
  process.stderr.write(`${text}\n`);
}

/** A table with a header row and columns padded to their widest cell; empty values show as `-`. */
export function formatTable<T>(rows: T[], columns: Column<T>[]): string {
  const cells = rows.map((row) => columns.map((c) => cellText(c.value(row))));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...cells.map(line)].join('\n');
}

/** Print rows as a table, or `No <what>.` when there are none; with `json`, print the rows as a JSON array. */
export function printRows<T>(rows: T[], columns: Column<T>[], options: { json?: boolean; what: string }): void {
  if (options.json) return printJson(rows);
  if (rows.length === 0) return printLine(`No ${options.what}.`);
  printLine(formatTable(rows, columns));
}

function cellText(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined || value === '') return '-';
  return String(value);
}

/** `2025-01-31T09:05:00.000Z` → `2025-01-31 09:05Z`: minutes are enough in a table, and it stays UTC. */
export function shortTime(iso: string | null | undefined): string | null {
  if (!iso) return null;
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z`;
}
