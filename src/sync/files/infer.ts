import type { FileRecord, ReadSettings } from './batch.js';
import { integerText, isDatetimeText, isDateText, numberText, type FieldType } from './coerce.js';
import type { ByteInput } from './decode.js';
import type { FileFormat, FormatOptionsInput } from './formats.js';
import { readRecords } from './read.js';

/**
 * A schema proposed from a sample of records: per field the narrowest type every sampled value fits (integer ⊂
 * number; date ⊂ datetime; boolean; json; string holds everything), a confidence and, when a few odd values forced
 * a field to text, a note saying which. It never throws and never fails a load on a guess: a field is proposed
 * nullable even when the sample has no null (a later null would otherwise reject its record), and the proposal is
 * for a person to accept or edit before a read uses it.
 */
export type InferredField = {
  name: string;
  type: FieldType;
  nullable: boolean;
  /** 0–1: how sure the type is, from the sample's size and, for text, how close a narrower type came. */
  confidence: number;
  /** Null or missing values in the sample. */
  nulls: number;
  /** Up to three distinct values, as read. */
  examples: unknown[];
  note?: string;
};

/** Usable as a FileSchema as it is. */
export type InferredSchema = { fields: InferredField[]; sampled: number };

export type InferOptions = {
  /** Values are text to be typed (CSV, TSV, XML): "42" is an integer. Otherwise (JSON) only strings' dates are. */
  textValues?: boolean;
  true_values?: string[];
  false_values?: string[];
};

const order: FieldType[] = ['integer', 'number', 'boolean', 'date', 'datetime', 'json', 'string'];

const describeType: Record<FieldType, string> = {
  integer: 'integers',
  number: 'numbers',
  boolean: 'booleans',
  date: 'dates',
  datetime: 'dates and times',
  json: 'JSON',
  string: 'text',
};

/** Which types a value fits (a bit per type in `order`). */
function fits(value: unknown, text: boolean, yes: Set<string>, no: Set<string>): Set<FieldType> {
  const out = new Set<FieldType>(['string']);
  if (typeof value === 'number') {
    if (Number.isFinite(value)) out.add('number');
    if (Number.isSafeInteger(value)) out.add('integer');
  } else if (typeof value === 'boolean') out.add('boolean');
  else if (typeof value === 'object' && value !== null) out.add('json');
  else if (typeof value === 'string') {
    const v = value;
    if (text) {
      // "007" keeps its zeros as text (codes, ZIPs); "0" and "-5" are numbers.
      if (integerText.test(v) && !/^[+-]?0\d/.test(v) && Number.isSafeInteger(Number(v))) out.add('integer');
      if (numberText.test(v) && !/^[+-]?0\d/.test(v)) out.add('number');
      const lower = v.toLowerCase();
      if (yes.has(lower) || no.has(lower)) out.add('boolean');
      if ((v.startsWith('{') || v.startsWith('[')) && parsesAsJson(v)) out.add('json');
    }
    if (isDateText(v)) out.add('date').add('datetime');
    else if (isDatetimeText(v)) out.add('datetime');
  }
  return out;
}

function parsesAsJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Propose a schema from records (the first rows of a file, read without a schema). */
export function inferSchema(records: FileRecord[], options: InferOptions = {}): InferredSchema {
  // The CSV defaults: "1" and "0" fit boolean too, but integer comes first, so a column of 0s and 1s is integer.
  const yes = new Set((options.true_values ?? ['true', 't', 'yes', 'y', '1']).map((v) => v.toLowerCase()));
  const no = new Set((options.false_values ?? ['false', 'f', 'no', 'n', '0']).map((v) => v.toLowerCase()));
  const names: string[] = [];
  const seen = new Set<string>();
  for (const r of records)
    for (const k of Object.keys(r))
      if (!seen.has(k)) {
        seen.add(k);
        names.push(k);
      }
  const fields = names.map((name) => inferField(name, records, options.textValues ?? false, yes, no));
  return { fields, sampled: records.length };
}

function inferField(
  name: string,
  records: FileRecord[],
  text: boolean,
  yes: Set<string>,
  no: Set<string>,
): InferredField {
  const counts = new Map<FieldType, number>(order.map((t) => [t, 0]));
  const misfits = new Map<FieldType, unknown>();
  const examples: unknown[] = [];
  let nulls = 0;
  for (const r of records) {
    const value = r[name];
    if (value === null || value === undefined || (text && value === '')) {
      nulls++;
      continue;
    }
    const types = fits(value, text, yes, no);
    for (const t of order) {
      if (types.has(t)) counts.set(t, (counts.get(t) as number) + 1);
      else if (!misfits.has(t)) misfits.set(t, value);
    }
    if (examples.length < 3 && !examples.some((e) => e === value)) examples.push(value);
  }
  const values = records.length - nulls;
  if (values === 0)
    return { name, type: 'string', nullable: true, confidence: 0, nulls, examples, note: 'no values in the sample' };
  const type = order.find((t) => counts.get(t) === values) as FieldType;
  let confidence = values / (values + 5);
  let note: string | undefined;
  if (type === 'string') {
    // The narrower type most values fit: a few odd ones ("N/A", "-") are worth a person's look.
    const [near, fitting] = order
      .filter((t) => t !== 'string')
      .map((t) => [t, counts.get(t) as number] as const)
      .sort((a, b) => b[1] - a[1])[0] as [FieldType, number];
    const share = fitting / values;
    if (share >= 0.8) {
      confidence *= 1 - share;
      note =
        `${Math.round(share * 100)}% of the values are ${describeType[near]}; others (e.g. ${JSON.stringify(misfits.get(near))}) ` +
        `make it text: add them to null_values, or fix them, then choose ${near}`;
    }
  }
  return {
    name,
    type,
    nullable: true,
    confidence: Math.round(confidence * 100) / 100,
    nulls,
    examples,
    ...(note ? { note } : {}),
  };
}

/**
 * Read the first `sampleSize` records of a file (no schema: values as the file has them) and propose a schema. Stops
 * reading there, so a large file costs one sample. A file that cannot be read still throws its FileFormatError.
 */
export async function inferFileSchema<F extends FileFormat>(
  input: ByteInput,
  format: F,
  options: FormatOptionsInput[F] = {},
  settings: Pick<ReadSettings, 'maxRecordChars' | 'signal'> & { sampleSize?: number } = {},
): Promise<InferredSchema> {
  return (await inferFileSample(input, format, options, settings)).schema;
}

/** inferFileSchema, also answering the sample it read (a preview shows its first records without a second read). */
export async function inferFileSample<F extends FileFormat>(
  input: ByteInput,
  format: F,
  options: FormatOptionsInput[F] = {},
  settings: Pick<ReadSettings, 'maxRecordChars' | 'signal'> & { sampleSize?: number } = {},
): Promise<{ schema: InferredSchema; records: FileRecord[] }> {
  const sampleSize = settings.sampleSize ?? 1000;
  const sample: FileRecord[] = [];
  for await (const batch of readRecords(input, format, options, {
    ...settings,
    batchSize: Math.min(sampleSize, 1000),
  })) {
    sample.push(...batch.records.slice(0, sampleSize - sample.length));
    if (sample.length >= sampleSize) break;
  }
  const csv = options as FormatOptionsInput['csv'];
  const schema = inferSchema(sample, {
    textValues: format === 'csv' || format === 'tsv' || format === 'xml',
    ...(csv.true_values ? { true_values: csv.true_values } : {}),
    ...(csv.false_values ? { false_values: csv.false_values } : {}),
  });
  return { schema, records: sample };
}
