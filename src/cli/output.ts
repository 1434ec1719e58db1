/** What commands print: aligned tables and short sentences for people, JSON for scripts. */

export type Column<T> = {
  header: string;
  value: (row: T) => string | number | boolean | null | undefined;
  /** The width a table printed as rows arrive (`followTable`) keeps for the column at least. */
  width?: number;
};

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

/**
 * A table printed as its rows arrive (`--follow`): the header and the first rows fix the column widths (each at least
 * its `width`), and a later cell wider than its column is cut with `…` (never the last column's), so every row lines
 * up with the header. Each `print` writes the rows given; the first writes the header too, even with no rows.
 */
export function followTable<T>(columns: Column<T>[]): { print(rows: T[]): void } {
  let widths: number[] | undefined;
  const fit = (text: string, i: number) => {
    const width = widths?.[i] ?? 0;
    if (i === columns.length - 1) return text;
    return text.length > width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
  };
  const line = (values: string[]) => values.map(fit).join('  ').trimEnd();
  return {
    print(rows) {
      const cells = rows.map((row) => columns.map((c) => cellText(c.value(row))));
      if (!widths) {
        widths = columns.map((c, i) =>
          Math.max(c.header.length, c.width ?? 0, ...cells.map((r) => (r[i] ?? '').length)),
        );
        printLine(line(columns.map((c) => c.header)));
      }
      for (const row of cells) printLine(line(row));
    },
  };
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

/** `2025-01-31T09:05:01.123Z` → `2025-01-31 09:05:01Z`: a log line or a change needs the seconds. */
export function secondTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}Z`;
}

/** `label: value` lines with the values aligned; pairs without a value are left out. */
export function formatFields(pairs: [label: string, value: string | number | null | undefined][]): string {
  const shown = pairs.filter(([, value]) => value !== null && value !== undefined && value !== '');
  const width = Math.max(0, ...shown.map(([label]) => label.length + 1));
  return shown.map(([label, value]) => `${`${label}:`.padEnd(width)}  ${value}`).join('\n');
}

/** A connector test outcome as the API returns it (`TestOutcome`), or in a `connection_test_failed` problem. */
export type TestOutcomeView = {
  outcome: string;
  account_id?: string | null;
  account_name?: string | null;
  status?: number | null;
  missing_scopes?: string[];
  vendor_code?: string | null;
  message?: string;
};

const outcomeMeanings: Record<string, string> = {
  connected: 'the credentials work',
  connected_limited: 'the credentials work, with limited access',
  unverified: 'not verified: the vendor cannot check credentials',
  credential_expired: 'the credentials have expired',
  credential_revoked: 'the vendor rejected the credentials',
  scope_insufficient: 'the credentials lack a permission the connector needs',
  vendor_error: 'the vendor answered with an error',
  network_error: 'the vendor could not be reached',
};

/** A test outcome in words: what it means, the vendor account, the HTTP status, missing scopes, the vendor's message. */
export function formatOutcome(outcome: TestOutcomeView): string {
  const meaning = outcomeMeanings[outcome.outcome];
  const account = outcome.account_name ? `${outcome.account_id ?? '-'} (${outcome.account_name})` : outcome.account_id;
  return formatFields([
    ['Outcome', meaning ? `${outcome.outcome} (${meaning})` : outcome.outcome],
    ['Account id', account],
    ['HTTP status', outcome.status],
    ['Missing scopes', outcome.missing_scopes?.join(', ')],
    ['Vendor code', outcome.vendor_code],
    // An unverified outcome's message is the connector's reason, not something the vendor said.
    [outcome.outcome === 'unverified' ? 'Reason' : 'Vendor message', outcome.message],
  ]);
}

/** Indent every line of a block, for sections under a heading. */
export function indent(text: string, by = '  '): string {
  return text
    .split('\n')
    .map((line) => (line ? `${by}${line}` : line))
    .join('\n');
}
