import type { FileRecord } from './batch.js';
import { textEncoder } from './encode.js';
import { FileFormatError } from './errors.js';
import {
  parseFormatOptions,
  type CsvOptions,
  type FileFormat,
  type FormatOptionsInput,
  type JsonOptions,
} from './formats.js';
import { mustParsePath } from '../mapping/path.js';
import { xmlWriter } from './write-xml.js';

export type WriteSettings = {
  /**
   * CSV/TSV: the columns, in order. Without them, the keys of the first batch's records (in the order first seen);
   * a later record with a field not among them stops the write (a column cannot be added once the header is out).
   */
  columns?: string[];
};

/** Serialises one batch of records (numbered from `first`) to text; `start`/`end` frame the document. */
export type FormatWriter = { start(): string; batch(records: FileRecord[], first: number): string; end(): string };

/**
 * Write records to a file format, streamed: one chunk of bytes per batch, in the options' encoding. The caller pipes
 * them where they go, and backpressure holds the batches back:
 *
 * @example
 * await pipeline(Readable.from(writeRecords(batches, 'csv', { delimiter: ';' })), fs.createWriteStream('out.csv'));
 *
 * CSV values that a spreadsheet would run as a formula (text starting with = + - @, a tab or a carriage return)
 * get a leading `'` unless `escape_formulas: false` (OWASP "CSV injection"); numbers are never touched.
 */
export async function* writeRecords<F extends FileFormat>(
  batches: AsyncIterable<FileRecord[]> | Iterable<FileRecord[]>,
  format: F,
  options: FormatOptionsInput[F] = {},
  settings: WriteSettings = {},
): AsyncGenerator<Buffer> {
  const parsed = parseFormatOptions(format, options);
  const encoder = textEncoder(
    parsed.encoding,
    format === 'csv' || format === 'tsv' ? (parsed as CsvOptions).bom : false,
  );
  let writer: FormatWriter | undefined;
  let count = 0;
  const open = (first: FileRecord[]): FormatWriter => {
    switch (format) {
      case 'csv':
      case 'tsv':
        return csvWriter(parsed as CsvOptions, settings.columns ?? columnsOf(first));
      case 'json':
        return jsonWriter(parsed as JsonOptions);
      case 'ndjson':
        return {
          start: () => '',
          batch: (records, n) => records.map((r, i) => stringify(r, n + i) + '\n').join(''),
          end: () => '',
        };
      case 'xml':
        return xmlWriter(parseFormatOptions('xml', options as FormatOptionsInput['xml']));
    }
    throw new Error(`unknown file format ${String(format)}`);
  };
  for await (const records of batches) {
    if (records.length === 0) continue;
    if (!writer) {
      writer = open(records);
      const head = writer.start();
      yield Buffer.concat([encoder.bom, encoder.encode(head, 1)]);
    }
    yield encoder.encode(writer.batch(records, count + 1), count + 1);
    count += records.length;
  }
  if (!writer) {
    writer = open([]);
    yield Buffer.concat([encoder.bom, encoder.encode(writer.start(), 0)]);
  }
  const tail = writer.end();
  if (tail) yield encoder.encode(tail, count);
}

function columnsOf(records: FileRecord[]): string[] {
  const seen = new Set<string>();
  for (const r of records) for (const k of Object.keys(r)) seen.add(k);
  return [...seen];
}

const formulaStart = /^[=+\-@\t\r]/;

/**
 * A CSV value's text. Null is the first null value (empty by default); an empty string is written `""` so it reads
 * back as text, not null, and so is text equal to a null value.
 */
function csvWriter(o: CsvOptions, columns: string[]): FormatWriter {
  const known = new Set(columns);
  const nullText = o.null_values[0] ?? '';
  const nulls = new Set(o.null_values);
  const specials = [
    o.delimiter,
    '\n',
    '\r',
    ...(o.quote ? [o.quote] : []),
    ...(o.escape !== o.quote ? [o.escape] : []),
  ];
  const needsQuote = new RegExp(`[${specials.map((c) => c.replace(/[\\\]^-]/g, '\\$&')).join('')}]`);
  const escapeQuotes = o.quote
    ? o.escape === o.quote
      ? (s: string) => s.replaceAll(o.quote, o.quote + o.quote)
      : (s: string) => s.replaceAll(o.escape, o.escape + o.escape).replaceAll(o.quote, o.escape + o.quote)
    : (s: string) => s;
  const text = (value: unknown, record: number, column: string): string => {
    if (value === null || value === undefined) return nullText;
    let s: string;
    if (typeof value === 'string') {
      s = o.escape_formulas && formulaStart.test(value) ? `'${value}` : value;
      if (s === '' || nulls.has(s)) return o.quote ? o.quote + s + o.quote : unquotable(s, record, column);
    } else if (typeof value === 'number' || typeof value === 'bigint') return String(value);
    else if (typeof value === 'boolean') return value ? (o.true_values[0] as string) : (o.false_values[0] as string);
    else if (value instanceof Date) return value.toISOString();
    else s = stringify(value, record);
    if (!needsQuote.test(s)) return s;
    if (!o.quote) return unquotable(s, record, column);
    return o.quote + escapeQuotes(s) + o.quote;
  };
  const row = (values: string[]) => values.join(o.delimiter) + '\n';
  return {
    start: () => (o.header ? row(columns.map((c, i) => text(c, 0, `header ${i + 1}`))) : ''),
    batch: (records, first) => {
      let out = '';
      for (let r = 0; r < records.length; r++) {
        const record = records[r] as FileRecord;
        for (const key in record)
          if (!known.has(key) && record[key] !== undefined)
            throw new FileFormatError(
              'unknown_field',
              `field ${key} is not among the columns (${columns.length} set at the start)`,
              {
                record: first + r,
              },
            );
        for (let c = 0; c < columns.length; c++) {
          const column = columns[c] as string;
          out += (c === 0 ? '' : o.delimiter) + text(record[column], first + r, column);
        }
        out += '\n';
      }
      return out;
    },
    end: () => '',
  };
}

function unquotable(value: string, record: number, column: string): never {
  throw new FileFormatError(
    'unwritable_value',
    `${column}: ${JSON.stringify(value)} needs quoting, and the quote is set to none`,
    {
      record,
    },
  );
}

function jsonWriter(o: JsonOptions): FormatWriter {
  const path = o.record_path === '' ? [] : (mustParsePath(o.record_path).steps as string[]);
  let wrote = false;
  return {
    start: () => path.map((key) => `{${JSON.stringify(key)}:`).join('') + '[',
    batch: (records, first) => {
      const out = records.map((r, i) => stringify(r, first + i)).join(',\n');
      const text = (wrote ? ',\n' : '\n') + out;
      wrote = true;
      return text;
    },
    end: () => '\n]' + '}'.repeat(path.length) + '\n',
  };
}

function stringify(value: unknown, record: number): string {
  try {
    return JSON.stringify(value);
  } catch (error) {
    throw new FileFormatError('unwritable_value', `cannot be written as JSON: ${(error as Error).message}`, { record });
  }
}
