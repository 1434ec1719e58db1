/**
 * COPY text format (`COPY … FROM STDIN`, the default format): one line per row, tab-separated, `\N` for NULL, and
 * backslash, newline, carriage return and tab inside a value escaped with a backslash. PostgreSQL reads every other
 * character as it is.
 */
const needsEscape = /[\\\n\r\t]/;
const escapes: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A value's text as a COPY text field. */
export function copyTextField(text: string): string {
  return needsEscape.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => escapes[c] as string) : text;
}

/**
 * Below a Unix socket's send buffer, so a chunk goes to the server whole and the next is made while it is parsed
 * (chunks of 8 KB to 256 KB measured alike within bench/sync/record-store-writer's spread).
 */
const CHUNK_BYTES = 64 * 1024;

/**
 * Items as the chunks a COPY sends, each item's line (ending in its newline) written into a chunk of about 64 KB as
 * it is made: no chunk-sized string is built (appending to one makes a rope that has to be flattened before it is
 * encoded, which cost more than the lines' text). Items are read and their lines made as the chunks are asked for,
 * so they are made while the server parses the chunk before.
 */
export function* copyChunks<T>(items: Iterable<T>, lineOf: (item: T) => string): Generator<Buffer> {
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  for (const item of items) {
    const line = lineOf(item);
    // A UTF-16 code unit is at most 3 bytes of UTF-8.
    if (used + line.length * 3 > chunk.length) {
      if (used > 0) yield chunk.subarray(0, used);
      chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, line.length * 3));
      used = 0;
    }
    used += chunk.write(line, used);
  }
  if (used > 0) yield chunk.subarray(0, used);
}
