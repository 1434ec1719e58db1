/**
 * Why a file could not be read (or written): a broken quote, bytes that are not the encoding, a refused DTD, a record
 * over the size limit. It says where — the line (1-based), the record (1-based, data records only) and the column
 * (1-based, in characters) when known — and its message starts with that place, so it can be shown as it is:
 * `line 2000000, column 14: a quoted field is not closed`.
 */
export type FileFormatErrorCode =
  | 'unclosed_quote'
  | 'text_after_quote'
  | 'invalid_encoding'
  | 'encoding_mismatch'
  | 'not_text'
  | 'record_too_large'
  | 'invalid_json'
  | 'not_a_record'
  | 'invalid_xml'
  | 'dtd_refused'
  | 'record_path_not_found'
  | 'invalid_value'
  | 'unknown_field'
  | 'unwritable_value';

export type FilePosition = { line?: number; record?: number; column?: number };

export class FileFormatError extends Error {
  override readonly name = 'FileFormatError';
  readonly code: FileFormatErrorCode;
  readonly line: number | undefined;
  readonly record: number | undefined;
  readonly column: number | undefined;
  /** The message without the place, for a UI that shows the place in columns of its own. */
  readonly reason: string;

  constructor(code: FileFormatErrorCode, reason: string, at: FilePosition = {}) {
    super(`${describePosition(at)}${reason}`);
    this.code = code;
    this.reason = reason;
    this.line = at.line;
    this.record = at.record;
    this.column = at.column;
  }
}

/** `line 12, column 3 (record 11): ` — or nothing when the place is unknown. */
export function describePosition(at: FilePosition): string {
  const parts: string[] = [];
  if (at.line !== undefined) parts.push(`line ${at.line}`);
  if (at.column !== undefined) parts.push(`column ${at.column}`);
  let text = parts.join(', ');
  if (at.record !== undefined) text += text ? ` (record ${at.record})` : `record ${at.record}`;
  return text ? `${text}: ` : '';
}

/**
 * The largest record (or XML text, or JSON value outside the records) a reader holds, in characters. A broken quote
 * makes the rest of a CSV file one field: the reader stops here with an error naming the line the quote opened on,
 * instead of buffering the file.
 */
export const defaultMaxRecordChars = 16 * 2 ** 20;
