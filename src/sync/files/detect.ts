import { TextDecoder } from 'node:util';
import { CsvTokenizer, type CsvField } from './csv-tokenizer.js';
import { binaryKind, bomEncoding, invalidUtf8Offset, type ByteInput } from './decode.js';
import { formatHints, type Encoding, type FileFormat } from './formats.js';
import { inferSchema } from './infer.js';

/**
 * A guess at a file's format and options from its first bytes (and its name or media type, as a hint the content
 * overrides): the encoding from a byte order mark or from whether the bytes are valid UTF-8; XML, JSON or NDJSON from
 * the first characters; otherwise CSV, with the delimiter whose field counts agree best over the first rows, and
 * whether the first row is a header (a column whose values share a type its first cell does not have). Shown to a
 * person with its reasons and confidence, to accept or change.
 */
export type Detection = {
  /** Undefined when the bytes are not text at all (see `error`). */
  format: FileFormat | undefined;
  /** Options to read it with (the format's defaults fill the rest). */
  options: Record<string, unknown>;
  confidence: number;
  reasons: string[];
  warnings: string[];
  error?: string;
};

export type DetectHints = { fileName?: string; mediaType?: string };

export const detectSampleBytes = 64 * 1024;

/** Detect from a stream: reads its first 64 KiB (the caller opens the file again to read it). */
export async function detectFile(input: ByteInput, hints: DetectHints = {}): Promise<Detection> {
  const parts: Buffer[] = [];
  let size = 0;
  let cut = false;
  for await (const chunk of input) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
    parts.push(bytes);
    size += bytes.length;
    if (size >= detectSampleBytes) {
      cut = true;
      break;
    }
  }
  return detectFormat(Buffer.concat(parts).subarray(0, detectSampleBytes), hints, { complete: !cut });
}

/** Detect from a file's first bytes; `complete`: they are the whole file (its last line is not cut). */
export function detectFormat(head: Uint8Array, hints: DetectHints = {}, { complete = false } = {}): Detection {
  const reasons: string[] = [];
  const warnings: string[] = [];
  const hinted = hintedFormat(hints);
  const kind = binaryKind(head);
  if (kind)
    return { format: undefined, options: {}, confidence: 1, reasons, warnings, error: `the file is ${kind}, not text` };

  const encoding = detectEncoding(head, reasons);
  let text = new TextDecoder(encoding === 'utf-8' ? 'utf-8' : encoding, { ignoreBOM: false }).decode(head, {
    stream: !complete,
  });
  if (text.includes('\0'))
    return {
      format: undefined,
      options: {},
      confidence: 0.9,
      reasons,
      warnings,
      error: 'NUL characters: the file is binary, not text',
    };
  if (!complete && text.lastIndexOf('\n') > 0) text = text.slice(0, text.lastIndexOf('\n') + 1); // drop a cut line
  const options: Record<string, unknown> = encoding === 'utf-8' ? {} : { encoding };
  const start = text.trimStart();
  let found: { format: FileFormat; confidence: number; options?: Record<string, unknown> };
  if (start.startsWith('<')) found = detectXml(start, reasons, warnings);
  else if (start.startsWith('{') || start.startsWith('[')) found = detectJson(start, reasons, complete);
  else found = detectCsv(text, reasons, hinted);
  if (hinted && hinted !== found.format && !(hinted === 'tsv' && found.format === 'csv'))
    warnings.push(
      `the name or media type says ${hinted.toUpperCase()}, the content looks like ${found.format.toUpperCase()}`,
    );
  return {
    format: found.format,
    options: { ...options, ...found.options },
    confidence: found.confidence,
    reasons,
    warnings,
  };
}

function hintedFormat(hints: DetectHints): FileFormat | undefined {
  const name = hints.fileName?.toLowerCase() ?? '';
  const media = hints.mediaType?.toLowerCase().split(';')[0]?.trim() ?? '';
  for (const [format, h] of Object.entries(formatHints) as [FileFormat, (typeof formatHints)[FileFormat]][])
    if (h.extensions.some((e) => name.endsWith(e)) || h.mediaTypes.includes(media)) return format;
  return undefined;
}

function detectEncoding(head: Uint8Array, reasons: string[]): Exclude<Encoding, 'auto' | 'latin1'> {
  const bom = bomEncoding(head);
  if (bom) {
    reasons.push(`a ${bom.toUpperCase()} byte order mark`);
    return bom;
  }
  // UTF-16 without a BOM: ASCII text has a zero in every other byte.
  if (head.length >= 4 && head[1] === 0 && head[3] === 0 && head[0] !== 0) {
    reasons.push('every other byte is zero: UTF-16LE without a byte order mark');
    return 'utf-16le';
  }
  if (head.length >= 4 && head[0] === 0 && head[2] === 0 && head[1] !== 0) {
    reasons.push('every other byte is zero: UTF-16BE without a byte order mark');
    return 'utf-16be';
  }
  if (invalidUtf8Offset(head) !== -1) {
    reasons.push('not valid UTF-8: windows-1252 (latin1) is the likely encoding');
    return 'windows-1252';
  }
  return 'utf-8';
}

function detectXml(text: string, reasons: string[], warnings: string[]) {
  if (/<!DOCTYPE/.test(text)) warnings.push('the file declares a DTD, which the reader refuses');
  // Element names after the prolog, comments and processing instructions.
  const body = text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>]*>/g, '');
  const names = [...body.matchAll(/<([A-Za-z_][\w.:-]*)/g)].map((m) => m[1] as string);
  const [root, child] = names;
  reasons.push(root ? `starts with an XML element <${root}>` : 'starts with <');
  if (!child) return { format: 'xml' as const, confidence: 0.7 };
  const local = child.includes(':') ? child.slice(child.indexOf(':') + 1) : child;
  const repeats = names.filter((n) => n === child).length;
  reasons.push(`<${child}> repeats ${repeats} time(s) under <${root}>: the record element`);
  return { format: 'xml' as const, confidence: repeats > 1 ? 0.95 : 0.8, options: { record_element: local } };
}

function detectJson(text: string, reasons: string[], complete: boolean) {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const whole = complete || lines.length > 1 ? lines.slice(0, complete ? 20 : Math.min(20, lines.length - 1)) : [];
  const objectLine = (l: string) => {
    try {
      const v = JSON.parse(l) as unknown;
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    } catch {
      return false;
    }
  };
  if (whole.length >= 2 && whole.every(objectLine)) {
    reasons.push(`${whole.length} lines, each a JSON object: NDJSON`);
    return { format: 'ndjson' as const, confidence: 0.95 };
  }
  if (text.startsWith('[')) {
    reasons.push('starts with [: a JSON array of records');
    return { format: 'json' as const, confidence: 0.9 };
  }
  const path = firstArrayOfObjects(text);
  if (path) {
    reasons.push(`the first array of objects is at ${path}`);
    return { format: 'json' as const, confidence: 0.85, options: { record_path: path } };
  }
  reasons.push('starts with {: one JSON object (no array of records found in the first bytes)');
  return { format: 'json' as const, confidence: 0.6 };
}

/** The key path of the first `[ {` inside nested objects (not inside an array), from the start of a JSON document. */
function firstArrayOfObjects(text: string): string | undefined {
  const frames: { array: boolean; key: string | null }[] = [];
  const re = /"((?:[^"\\]|\\.)*)"\s*:|([{}[\]])|"(?:[^"\\]|\\.)*"/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const top = frames[frames.length - 1];
    if (m[1] !== undefined) {
      if (top && !top.array) top.key = JSON.parse(`"${m[1]}"`) as string;
    } else if (m[2] === '{' || m[2] === '[') {
      const onPath = frames.every((f) => !f.array && f.key !== null);
      if (m[2] === '[' && onPath && frames.length > 0 && /^\s*\{/.test(text.slice(re.lastIndex)))
        return frames
          .map((f) => (/^[A-Za-z_$][\w$]*$/.test(f.key as string) ? `.${f.key}` : `["${f.key}"]`))
          .join('')
          .slice(1);
      frames.push({ array: m[2] === '[', key: null });
    } else if (m[2] === '}' || m[2] === ']') frames.pop();
  }
  return undefined;
}

const delimiters = [',', ';', '\t', '|'];

function detectCsv(text: string, reasons: string[], hinted: FileFormat | undefined) {
  let best = { delimiter: ',', rows: [] as CsvField[][], consistency: 0, fields: 1 };
  for (const delimiter of delimiters) {
    const rows = sampleRows(text, delimiter);
    if (rows.length === 0) continue;
    const counts = new Map<number, number>();
    for (const r of rows) counts.set(r.length, (counts.get(r.length) ?? 0) + 1);
    const [fields, agreeing] = [...counts].sort((a, b) => b[1] - a[1] || b[0] - a[0])[0] as [number, number];
    const consistency = agreeing / rows.length;
    if (fields > 1 && (consistency > best.consistency || (consistency === best.consistency && fields > best.fields)))
      best = { delimiter, rows, consistency, fields };
  }
  if (best.fields === 1) {
    best.rows = sampleRows(text, hinted === 'tsv' ? '\t' : ',');
    reasons.push('no delimiter splits the rows evenly: one column');
  } else
    reasons.push(
      `${JSON.stringify(best.delimiter)} splits ${Math.round(best.consistency * 100)}% of the first ${best.rows.length} rows into ${best.fields} fields`,
    );
  const header = detectHeader(best.rows, reasons);
  const format = best.delimiter === '\t' ? ('tsv' as const) : ('csv' as const);
  const options: Record<string, unknown> = { header };
  if (best.delimiter !== (format === 'tsv' ? '\t' : ',')) options.delimiter = best.delimiter;
  return { format, confidence: Math.round(best.consistency * (best.fields > 1 ? 0.95 : 0.5) * 100) / 100, options };
}

function sampleRows(text: string, delimiter: string): CsvField[][] {
  const rows: CsvField[][] = [];
  const tokenizer = new CsvTokenizer(
    { delimiter, quote: '"', escape: '"', nullValues: [], skipRows: 0, maxRecordChars: text.length + 1 },
    (fields) => {
      if (rows.length < 100) rows.push(fields.slice());
    },
  );
  try {
    tokenizer.push(text);
    tokenizer.end();
  } catch {
    // A quote the sample cuts, or a broken file: judge on the rows read so far.
  }
  return rows;
}

/** Whether the first row names the columns: some column's values share a type (not text) its first cell lacks. */
function detectHeader(rows: CsvField[][], reasons: string[]): boolean {
  const [first, ...body] = rows;
  if (!first || body.length === 0) return true;
  const names = first.map((f, i) => f ?? `column_${i + 1}`);
  const schema = inferSchema(
    body.map((r) => Object.fromEntries(names.map((n, i) => [n, r[i] ?? null]))),
    { textValues: true },
  );
  const typedColumn = schema.fields.find((f, i) => {
    if (f.type === 'string' || f.confidence === 0) return false;
    const cell = first[i];
    const head = inferSchema([{ v: cell ?? null }], { textValues: true }).fields[0];
    return (
      cell !== null && cell !== undefined && head?.type !== f.type && !(f.type === 'number' && head?.type === 'integer')
    );
  });
  if (typedColumn) {
    reasons.push(`the first row has text where column ${typedColumn.name} holds ${typedColumn.type} values: a header`);
    return true;
  }
  if (schema.fields.some((f) => f.type !== 'string' && f.confidence > 0)) {
    reasons.push('the first row has the types of the rows below it: no header');
    return false;
  }
  const distinct = new Set(first).size === first.length && first.every((f) => f !== null && f !== '');
  const repeated = first.some((f, i) => body.some((r) => r[i] === f));
  if (distinct && !repeated) {
    reasons.push('the first row’s cells are distinct and appear nowhere below them: probably a header');
    return true;
  }
  reasons.push('the first row looks like the rows below it: no header');
  return false;
}
