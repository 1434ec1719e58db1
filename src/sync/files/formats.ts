import { z } from 'zod';
import { parsePath } from '../mapping/path.js';

/**
 * The file formats the sync engine reads and writes, and their options as zod schemas. A parsed options object has
 * every default filled in (`csvOptionsSchema.parse({})` is a complete CSV dialect), so readers and writers never
 * look a default up again. Option names are snake_case, as stored in a sync configuration and sent to the API.
 */
export const fileFormats = ['csv', 'tsv', 'json', 'ndjson', 'xml'] as const;

export type FileFormat = (typeof fileFormats)[number];

/**
 * Encodings a file may be read in. `auto`: the byte order mark decides (UTF-8, UTF-16LE, UTF-16BE), else UTF-8.
 * `latin1` is read as windows-1252, as browsers and the WHATWG Encoding Standard do (they agree on every byte except
 * 0x80–0x9F, where windows-1252 has printable characters and latin1 has unused control codes).
 */
export const encodings = ['auto', 'utf-8', 'utf-16le', 'utf-16be', 'latin1', 'windows-1252'] as const;

export type Encoding = (typeof encodings)[number];

const oneCharacter = z.string().length(1, 'one character');

export const csvOptionsSchema = z
  .strictObject({
    delimiter: oneCharacter.default(',').describe('The field separator: `,` `;` `|` or a tab'),
    quote: z
      .union([oneCharacter, z.literal('')])
      .default('"')
      .describe('The quote character; empty: fields are never quoted'),
    escape: oneCharacter
      .default('"')
      .describe('Escapes a quote inside a quoted field; the quote itself (`""`, the RFC 4180 way) or `\\`'),
    encoding: z.enum(encodings).default('auto'),
    header: z.boolean().default(true).describe('The first row (after skip_rows) names the columns'),
    column_names: z
      .array(z.string().min(1).max(500))
      .max(10_000)
      .optional()
      .describe('Column names to use instead of the header row (or when there is none)'),
    null_values: z
      .array(z.string().max(100))
      .max(100)
      .default([''])
      .describe('Unquoted values read as null; a quoted value (`""`) is always text'),
    skip_rows: z.int().min(0).max(1_000_000).default(0).describe('Lines to skip before the header (or the first row)'),
    true_values: z.array(z.string().min(1).max(100)).max(100).default(['true', 't', 'yes', 'y', '1']),
    false_values: z.array(z.string().min(1).max(100)).max(100).default(['false', 'f', 'no', 'n', '0']),
    escape_formulas: z
      .boolean()
      .default(true)
      .describe(
        "Writing only: a text value starting with = + - @, a tab or a carriage return gets a leading `'` so a " +
          'spreadsheet shows it instead of running it as a formula (OWASP "CSV injection")',
      ),
    bom: z.boolean().default(false).describe('Writing only: start the file with a byte order mark (for Excel)'),
  })
  .superRefine((o, ctx) => {
    const special = [o.delimiter, '\n', '\r'];
    if (o.quote !== '' && special.includes(o.quote))
      ctx.addIssue({ code: 'custom', message: 'the quote cannot be the delimiter or a line break' });
    if (['\n', '\r'].includes(o.delimiter))
      ctx.addIssue({ code: 'custom', message: 'the delimiter cannot be a line break' });
    const overlap = o.true_values.filter((v) => o.false_values.includes(v));
    if (overlap.length > 0)
      ctx.addIssue({ code: 'custom', message: `true_values and false_values share ${overlap.join(', ')}` });
  })
  .meta({ id: 'CsvFileOptions' });

const recordPath = z
  .string()
  .max(500)
  .superRefine((text, ctx) => {
    if (text === '') return;
    const parsed = parsePath(text);
    if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
    else if (parsed.steps.some((s) => typeof s === 'number'))
      ctx.addIssue({ code: 'custom', message: 'a record path names object keys only (`data.items`), no index' });
  });

export const jsonOptionsSchema = z
  .strictObject({
    record_path: recordPath
      .default('')
      .describe(
        'Where the records are: empty for a top-level array (or one top-level object, one record), or the path of ' +
          'the array inside the top-level object (`data.items`)',
      ),
    encoding: z.enum(encodings).default('auto'),
  })
  .meta({ id: 'JsonFileOptions' });

export const ndjsonOptionsSchema = z
  .strictObject({ encoding: z.enum(encodings).default('auto') })
  .meta({ id: 'NdjsonFileOptions' });

/** `/feed/{http://www.w3.org/2005/Atom}entry` → its steps (a `/` inside a `{namespace URI}` does not split). */
export function splitElementPath(text: string): string[] {
  return text.replace(/^\/+/, '').match(/\{[^}]*\}[^/]*|[^/]+/g) ?? [];
}

const xmlName = /^[A-Za-z_][\w.-]*(:[A-Za-z_][\w.-]*)?$|^\{[^}]*\}[A-Za-z_][\w.-]*$/;

export const xmlOptionsSchema = z
  .strictObject({
    record_element: z
      .string()
      .max(500)
      .default('')
      .superRefine((text, ctx) => {
        if (text === '') return;
        const steps = splitElementPath(text);
        if (steps.length === 0 || steps.some((s) => !xmlName.test(s)))
          ctx.addIssue({ code: 'custom', message: `'${text}' is not an element path (\`rows/row\`, \`/feed/entry\`)` });
      })
      .describe(
        'The record element: `row` (any `row` element not inside another record), `rows/row` (a `row` inside a ' +
          '`rows`, at any depth) or `/feed/rows/row` (that path from the root). Empty: every child of the root',
      ),
    attributes: z.boolean().default(true).describe('Read attributes as fields (writing: fields stay elements)'),
    attribute_prefix: z.string().max(10).default('').describe('Put before an attribute field name (`@` gives `@id`)'),
    text_field: z
      .string()
      .min(1)
      .max(100)
      .default('#text')
      .describe('The field for an element’s text when it also has attributes or children'),
    namespaces: z
      .enum(['strip', 'prefix', 'uri'])
      .default('strip')
      .describe(
        'How element and attribute names read: strip: the local name (`title`); prefix: as written (`dc:title`); ' +
          'uri: `{http://purl.org/dc/elements/1.1/}title`. The record element path uses the same form',
      ),
    encoding: z.enum(encodings).default('auto'),
  })
  .meta({ id: 'XmlFileOptions' });

export type CsvOptions = z.output<typeof csvOptionsSchema>;
export type JsonOptions = z.output<typeof jsonOptionsSchema>;
export type NdjsonOptions = z.output<typeof ndjsonOptionsSchema>;
export type XmlOptions = z.output<typeof xmlOptionsSchema>;

export type FormatOptions = {
  csv: CsvOptions;
  tsv: CsvOptions;
  json: JsonOptions;
  ndjson: NdjsonOptions;
  xml: XmlOptions;
};

/** Options as given (every field optional), per format. */
export type FormatOptionsInput = {
  csv: z.input<typeof csvOptionsSchema>;
  tsv: z.input<typeof csvOptionsSchema>;
  json: z.input<typeof jsonOptionsSchema>;
  ndjson: z.input<typeof ndjsonOptionsSchema>;
  xml: z.input<typeof xmlOptionsSchema>;
};

/** TSV: CSV whose delimiter is a tab unless said otherwise. */
const tsvOptionsSchema = csvOptionsSchema.safeExtend({
  delimiter: oneCharacter.default('\t').describe('The field separator: a tab unless said otherwise'),
});

/**
 * A format and its options, as a file source or target stores it: `{ format: 'csv', options: { delimiter: ';' } }`.
 * TSV is CSV whose delimiter defaults to a tab.
 */
export const fileFormatSchema = z
  .discriminatedUnion('format', [
    z.strictObject({ format: z.literal('csv'), options: csvOptionsSchema.default(csvOptionsSchema.parse({})) }),
    z.strictObject({ format: z.literal('tsv'), options: tsvOptionsSchema.default(tsvOptionsSchema.parse({})) }),
    z.strictObject({ format: z.literal('json'), options: jsonOptionsSchema.default(jsonOptionsSchema.parse({})) }),
    z.strictObject({
      format: z.literal('ndjson'),
      options: ndjsonOptionsSchema.default(ndjsonOptionsSchema.parse({})),
    }),
    z.strictObject({ format: z.literal('xml'), options: xmlOptionsSchema.default(xmlOptionsSchema.parse({})) }),
  ])
  .meta({ id: 'FileFormat' });

export type FileFormatSpec = z.output<typeof fileFormatSchema>;

/** Parse a format's options over its defaults (throws a ZodError listing every problem). */
export function parseFormatOptions<F extends FileFormat>(
  format: F,
  options: FormatOptionsInput[F] = {},
): FormatOptions[F] {
  const parsed = fileFormatSchema.parse({ format, options });
  return parsed.options as FormatOptions[F];
}

/** Conventional file name extensions and media types per format (detect.ts reads them as a hint). */
export const formatHints = {
  csv: { extensions: ['.csv'], mediaTypes: ['text/csv', 'application/csv'] },
  tsv: { extensions: ['.tsv', '.tab'], mediaTypes: ['text/tab-separated-values'] },
  json: { extensions: ['.json'], mediaTypes: ['application/json', 'text/json'] },
  ndjson: {
    extensions: ['.ndjson', '.jsonl', '.ldjson'],
    mediaTypes: ['application/x-ndjson', 'application/jsonl', 'application/x-jsonlines', 'application/ndjson'],
  },
  xml: { extensions: ['.xml'], mediaTypes: ['application/xml', 'text/xml'] },
} satisfies Record<FileFormat, { extensions: string[]; mediaTypes: string[] }>;
