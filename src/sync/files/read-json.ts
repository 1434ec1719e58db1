import { BatchBuilder, type FileRecord, type ReadSettings, type RecordBatch } from './batch.js';
import { countNewlines } from './decode.js';
import { defaultMaxRecordChars, FileFormatError } from './errors.js';
import type { JsonOptions } from './formats.js';
import { JsonScanner } from './json-scanner.js';
import { mustParsePath } from '../mapping/path.js';

/** JSON types a schema's booleans do not apply to: JSON has its own true and false. */
const jsonBooleans = { true_values: ['true'], false_values: ['false'] };

/** A JSON document → batches of the records at `record_path` (json-scanner.ts). */
export async function* readJson(
  text: AsyncIterable<string>,
  options: JsonOptions,
  settings: ReadSettings,
): AsyncGenerator<RecordBatch> {
  const batches = new BatchBuilder(settings, jsonBooleans);
  const path = options.record_path === '' ? [] : (mustParsePath(options.record_path).steps as string[]);
  const scanner = new JsonScanner(path, settings.maxRecordChars ?? defaultMaxRecordChars, (recordText, line, column) =>
    addValue(batches, parseJson(recordText, line, batches.count + 1, column), line),
  );
  try {
    for await (const chunk of text) {
      settings.signal?.throwIfAborted();
      scanner.push(chunk);
      for (let b = batches.take(); b; b = batches.take()) yield b;
    }
    scanner.end();
  } catch (error) {
    yield* batches.rest();
    throw error;
  }
  yield* batches.rest();
}

/** NDJSON (JSON Lines): one JSON object per line; blank lines are skipped. */
export async function* readNdjson(text: AsyncIterable<string>, settings: ReadSettings): AsyncGenerator<RecordBatch> {
  const batches = new BatchBuilder(settings, jsonBooleans);
  const maxChars = settings.maxRecordChars ?? defaultMaxRecordChars;
  let carry = '';
  let line = 1;
  const take = (lineText: string) => {
    if (lineText.length > 0 && lineText.charCodeAt(lineText.length - 1) === 13) lineText = lineText.slice(0, -1);
    if (lineText.trim() !== '') addValue(batches, parseJson(lineText, line, batches.count + 1), line);
    line++;
  };
  try {
    for await (const chunk of text) {
      settings.signal?.throwIfAborted();
      let start = 0;
      let nl = chunk.indexOf('\n');
      if (nl !== -1 && carry !== '') {
        take(carry + chunk.slice(0, nl));
        carry = '';
        start = nl + 1;
        nl = chunk.indexOf('\n', start);
      }
      for (; nl !== -1; nl = chunk.indexOf('\n', start)) {
        take(chunk.slice(start, nl));
        start = nl + 1;
      }
      carry += chunk.slice(start);
      if (carry.length > maxChars)
        throw new FileFormatError(
          'record_too_large',
          `a line is longer than ${maxChars.toLocaleString('en-US')} characters`,
          {
            line,
          },
        );
      for (let b = batches.take(); b; b = batches.take()) yield b;
    }
    if (carry !== '') take(carry);
  } catch (error) {
    yield* batches.rest();
    throw error;
  }
  yield* batches.rest();
}

function addValue(batches: BatchBuilder, value: unknown, line: number): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) batches.add(value as FileRecord, line);
  else
    batches.refuse(
      { value },
      line,
      `a record is a JSON object, not ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}`,
    );
}

/** JSON.parse, its error turned into the line and column in the file (V8 names a position in most messages). */
function parseJson(text: string, line: number, record: number, startColumn = 1): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const at = /at position (\d+)/.exec(message);
    let column: number | undefined;
    if (at) {
      const before = text.slice(0, Number(at[1]));
      line += countNewlines(before);
      const lastNewline = before.lastIndexOf('\n');
      column = lastNewline === -1 ? startColumn + before.length : before.length - lastNewline;
    }
    const reason = message.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*" is not valid JSON$/, '');
    throw new FileFormatError('invalid_json', `not valid JSON: ${reason}`, { line, column, record });
  }
}
