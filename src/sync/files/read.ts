import type { ReadSettings, RecordBatch } from './batch.js';
import { decodeText, type ByteInput } from './decode.js';
import { parseFormatOptions, type FileFormat, type FormatOptionsInput } from './formats.js';
import { readCsv } from './read-csv.js';
import { readJson, readNdjson } from './read-json.js';
import { readXml } from './read-xml.js';

export type { FileRecord, ReadSettings, RecordBatch, RejectedRecord } from './batch.js';

/**
 * Read a file's records in batches, streamed: bytes are decoded and parsed a chunk at a time, and the next chunk is
 * pulled only when the caller asks for the next batch (`for await`), so a slow consumer slows the read instead of
 * filling memory, and a file of any size is read in about one chunk plus one batch.
 *
 * Problems with the file itself (a broken quote, bytes not in the encoding, invalid JSON or XML, a DTD) throw a
 * `FileFormatError` naming the line; records that do not fit the schema are rejected one by one (`batch.rejected`)
 * unless `invalid: 'fail'`.
 *
 * @example
 * for await (const batch of readRecords(fs.createReadStream('people.csv'), 'csv', { delimiter: ';' }, {
 *   batchSize: 5000,
 *   schema: { fields: [{ name: 'id', type: 'integer' }, { name: 'joined', type: 'date' }] },
 * })) {
 *   await target.write(batch.records);
 * }
 */
export function readRecords<F extends FileFormat>(
  input: ByteInput,
  format: F,
  options: FormatOptionsInput[F] = {},
  settings: ReadSettings = {},
): AsyncGenerator<RecordBatch> {
  switch (format) {
    case 'csv':
    case 'tsv': {
      const o = parseFormatOptions(format as 'csv', options as FormatOptionsInput['csv']);
      return readCsv(decodeText(input, o.encoding), o, settings);
    }
    case 'json': {
      const o = parseFormatOptions('json', options as FormatOptionsInput['json']);
      return readJson(decodeText(input, o.encoding), o, settings);
    }
    case 'ndjson': {
      const o = parseFormatOptions('ndjson', options as FormatOptionsInput['ndjson']);
      return readNdjson(decodeText(input, o.encoding), settings);
    }
    case 'xml': {
      const o = parseFormatOptions('xml', options as FormatOptionsInput['xml']);
      return readXml(decodeText(input, o.encoding), o, settings);
    }
  }
  throw new Error(`unknown file format ${String(format)}`);
}
