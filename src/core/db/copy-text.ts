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
