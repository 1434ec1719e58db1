import { BatchBuilder, type FileRecord, type ReadSettings, type RecordBatch } from './batch.js';
import { CsvTokenizer, type CsvField } from './csv-tokenizer.js';
import { defaultMaxRecordChars } from './errors.js';
import type { CsvOptions } from './formats.js';

/**
 * CSV/TSV text → batches of records keyed by the header (or `column_names`, or `column_1…`). A row with a different
 * number of fields than the header is rejected with its line (a broken quote shows up as an error of its own, where
 * the quote opened).
 */
export async function* readCsv(
  text: AsyncIterable<string>,
  options: CsvOptions,
  settings: ReadSettings,
): AsyncGenerator<RecordBatch> {
  const batches = new BatchBuilder(settings, options);
  let names: string[] | undefined = options.column_names ? uniqueNames(options.column_names) : undefined;
  let headerLeft = options.header;
  const onRow = (fields: CsvField[], line: number) => {
    if (headerLeft) {
      headerLeft = false;
      names ??= uniqueNames(fields.map((f) => f ?? ''));
      return;
    }
    names ??= fields.map((_, i) => `column_${i + 1}`);
    if (fields.length !== names.length) {
      const record: FileRecord = {};
      fields.forEach((f, i) => (record[names?.[i] ?? `column_${i + 1}`] = f));
      batches.refuse(record, line, `${fields.length} field(s) where the header has ${names.length}`);
      return;
    }
    const record: FileRecord = {};
    for (let i = 0; i < fields.length; i++) record[names[i] as string] = fields[i];
    batches.add(record, line);
  };
  const tokenizer = new CsvTokenizer(
    {
      delimiter: options.delimiter,
      quote: options.quote,
      escape: options.escape,
      nullValues: options.null_values,
      skipRows: options.skip_rows,
      maxRecordChars: settings.maxRecordChars ?? defaultMaxRecordChars,
    },
    onRow,
  );
  try {
    for await (const chunk of text) {
      settings.signal?.throwIfAborted();
      tokenizer.push(chunk);
      for (let b = batches.take(); b; b = batches.take()) yield b;
    }
    tokenizer.end();
  } catch (error) {
    yield* batches.rest();
    throw error;
  }
  yield* batches.rest();
}

/** Header names made usable as keys: an empty one becomes `column_N`, a repeated one gets `_2`, `_3`. */
export function uniqueNames(raw: string[]): string[] {
  // `__proto__` cannot be a record's key (see fieldKey): it is taken from the start, so it is read as `__proto___2`.
  const seen = new Set<string>(['__proto__']);
  return raw.map((name, i) => {
    let base = name.trim() || `column_${i + 1}`;
    if (i === 0) base = base.replace(/^\uFEFF/, '');
    let candidate = base;
    for (let n = 2; seen.has(candidate); n++) candidate = `${base}_${n}`;
    seen.add(candidate);
    return candidate;
  });
}
