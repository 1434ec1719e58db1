import { FileFormatError } from './errors.js';

/**
 * A streaming CSV tokenizer: text chunks in, rows of fields out, with the line each row starts on. It keeps its state
 * between chunks (inside a quoted field, after a closing quote, …), so a field split across chunks is never scanned
 * twice and memory is one chunk plus the row being read. Unquoted fields are found with `indexOf` (the delimiter's
 * and the newline's next positions are cached per chunk), which is what makes it fast; see bench/files for how it
 * compares with csv-parse, PapaParse and uDSV.
 *
 * Dialect: RFC 4180 with `\n` or `\r\n` line ends; a quote character (or none), an escape that is the quote doubled
 * (`""`) or another character (`\"`); a quote inside an unquoted field is kept as text; empty lines are skipped. An
 * unquoted field listed in `nullValues` is read as null (a quoted one never is: `""` is the empty string).
 */
export type CsvDialect = {
  delimiter: string;
  quote: string;
  escape: string;
  nullValues: string[];
  skipRows: number;
  maxRecordChars: number;
};

export type CsvField = string | null;

/** A row's fields and the line it starts on. The array is reused for the next row: copy what you keep. */
export type RowHandler = (fields: CsvField[], line: number) => void;

/** Where the tokenizer is between characters (kept across chunks). Plain numbers: the hot loop switches on them. */
const State = {
  /** At the start of a field. */
  FieldStart: 0,
  /** Inside an unquoted field begun in an earlier chunk (its text so far in `partial`). */
  Unquoted: 1,
  /** Inside a quoted field. */
  Quoted: 2,
  /** A quote ended the last chunk inside a quoted field: the next character says whether it was doubled. */
  QuoteAtChunkEnd: 3,
  /** An escape character (not the quote) ended the last chunk inside a quoted field. */
  EscapeAtChunkEnd: 4,
  /** After a closing quote: a delimiter or a line end must follow. */
  AfterQuote: 5,
} as const;

type State = (typeof State)[keyof typeof State];

const NL = 10;
const CR = 13;

export class CsvTokenizer {
  private readonly delim: string;
  private readonly quoteCode: number;
  private readonly quote: string;
  private readonly escape: string;
  private readonly escapeIsQuote: boolean;
  private readonly nullOnlyEmpty: boolean;
  private readonly nulls: Set<string>;
  private readonly maxRecordChars: number;
  private skipLeft: number;

  private state: State = State.FieldStart;
  private readonly fields: CsvField[] = [];
  private partial = '';
  /** 1-based line of the current position, and the absolute offset (in characters) where that line starts. */
  private line = 1;
  private lineStart = 0;
  /** Characters in earlier chunks. */
  private base = 0;
  private rowLine = 1;
  private rowStart = 0;
  private quoteLine = 0;
  private quoteColumn = 0;

  constructor(
    dialect: CsvDialect,
    private readonly onRow: RowHandler,
  ) {
    this.delim = dialect.delimiter;
    this.quote = dialect.quote;
    this.quoteCode = dialect.quote === '' ? -1 : dialect.quote.charCodeAt(0);
    this.escape = dialect.escape;
    this.escapeIsQuote = dialect.escape === dialect.quote;
    this.nullOnlyEmpty = dialect.nullValues.length === 1 && dialect.nullValues[0] === '';
    this.nulls = new Set(dialect.nullValues);
    this.maxRecordChars = dialect.maxRecordChars;
    this.skipLeft = dialect.skipRows;
  }

  push(text: string): void {
    const len = text.length;
    let pos = 0;
    // Next newline and next delimiter at or after pos, cached (-1: not computed for this position; len: none).
    let nl = -1;
    let dl = -1;
    while (pos < len) {
      switch (this.state) {
        case State.FieldStart:
        case State.Unquoted: {
          if (this.skipLeft > 0) {
            const at = text.indexOf('\n', pos);
            if (at === -1) {
              pos = len;
              break;
            }
            this.newLine(at);
            this.skipLeft--;
            pos = at + 1;
            this.rowLine = this.line;
            this.rowStart = this.base + pos;
            continue;
          }
          if (this.state === State.FieldStart && text.charCodeAt(pos) === this.quoteCode) {
            this.quoteLine = this.line;
            this.quoteColumn = this.base + pos - this.lineStart + 1;
            this.state = State.Quoted;
            pos++;
            continue;
          }
          if (nl < pos) {
            nl = text.indexOf('\n', pos);
            if (nl === -1) nl = len;
          }
          if (dl < pos) {
            dl = text.indexOf(this.delim, pos);
            if (dl === -1) dl = len;
          }
          if (dl < nl) {
            this.fields.push(this.unquoted(this.partial + text.slice(pos, dl)));
            this.partial = '';
            this.state = State.FieldStart;
            pos = dl + 1;
            continue;
          }
          if (nl < len) {
            let end = nl;
            if (end > pos && text.charCodeAt(end - 1) === CR) end--;
            let value = this.partial + text.slice(pos, end);
            if (end === pos && value.length > 0 && value.charCodeAt(value.length - 1) === CR)
              value = value.slice(0, -1);
            this.partial = '';
            this.state = State.FieldStart;
            if (value.length === 0 && this.fields.length === 0) {
              this.newLine(nl); // an empty line: no row
              pos = nl + 1;
              this.rowLine = this.line;
              this.rowStart = this.base + pos;
              continue;
            }
            this.fields.push(this.unquoted(value));
            this.newLine(nl);
            pos = nl + 1;
            this.endRow(this.base + pos);
            continue;
          }
          // Neither a delimiter nor a line end in the rest of the chunk.
          this.partial += text.slice(pos);
          this.state = State.Unquoted;
          pos = len;
          break;
        }
        case State.Quoted: {
          let q = text.indexOf(this.quote, pos);
          if (!this.escapeIsQuote) {
            const e = text.indexOf(this.escape, pos);
            if (e !== -1 && (q === -1 || e < q)) {
              this.countLines(text, pos, e);
              if (e + 1 === len) {
                this.partial += text.slice(pos, e);
                this.state = State.EscapeAtChunkEnd;
                pos = len;
                break;
              }
              this.partial += text.slice(pos, e) + text[e + 1];
              pos = e + 2;
              continue;
            }
          }
          if (q === -1) q = len;
          this.countLines(text, pos, q);
          this.partial += text.slice(pos, q);
          if (q === len) {
            pos = len;
            break;
          }
          if (this.escapeIsQuote) {
            if (q + 1 === len) {
              this.state = State.QuoteAtChunkEnd;
              pos = len;
              break;
            }
            if (text.charCodeAt(q + 1) === this.quoteCode) {
              this.partial += this.quote;
              pos = q + 2;
              continue;
            }
          }
          this.state = State.AfterQuote;
          pos = q + 1;
          continue;
        }
        case State.QuoteAtChunkEnd: {
          if (text.charCodeAt(pos) === this.quoteCode) {
            this.partial += this.quote;
            this.state = State.Quoted;
            pos++;
          } else this.state = State.AfterQuote;
          continue;
        }
        case State.EscapeAtChunkEnd: {
          this.partial += text[pos];
          this.state = State.Quoted;
          pos++;
          continue;
        }
        case State.AfterQuote: {
          const c = text.charCodeAt(pos);
          if (c === CR) {
            pos++;
            continue;
          }
          if (c !== NL && text[pos] !== this.delim) throw this.textAfterQuote(this.base + pos);
          this.fields.push(this.partial);
          this.partial = '';
          this.state = State.FieldStart;
          pos++;
          if (c === NL) {
            this.newLine(pos - 1);
            this.endRow(this.base + pos);
          }
          continue;
        }
      }
    }
    this.base += len;
    if (this.base - this.rowStart > this.maxRecordChars && this.inRow()) throw this.tooLarge();
  }

  /** The end of the input: the last row, or the error of a quote still open. */
  end(): void {
    switch (this.state) {
      case State.Quoted:
      case State.EscapeAtChunkEnd:
        throw this.unclosed(`the file ends ${this.line - this.quoteLine} line(s) later, inside it`);
      case State.QuoteAtChunkEnd:
      case State.AfterQuote:
        this.fields.push(this.partial);
        break;
      case State.Unquoted:
      case State.FieldStart:
        if (this.fields.length === 0 && this.partial.length === 0) return;
        this.fields.push(this.unquoted(this.partial.endsWith('\r') ? this.partial.slice(0, -1) : this.partial));
        break;
    }
    this.partial = '';
    this.endRow(this.base);
  }

  private inRow(): boolean {
    return this.fields.length > 0 || this.state !== State.FieldStart || this.partial.length > 0;
  }

  private unquoted(value: string): CsvField {
    if (this.nullOnlyEmpty) return value.length === 0 ? null : value;
    return this.nulls.has(value) ? null : value;
  }

  private newLine(at: number): void {
    this.line++;
    this.lineStart = this.base + at + 1;
  }

  /** Count the line ends in text[from, to) (inside a quoted field). */
  private countLines(text: string, from: number, to: number): void {
    for (let at = text.indexOf('\n', from); at !== -1 && at < to; at = text.indexOf('\n', at + 1)) this.newLine(at);
  }

  private endRow(nextStart: number): void {
    this.onRow(this.fields, this.rowLine);
    this.fields.length = 0;
    this.rowLine = this.line;
    this.rowStart = nextStart;
  }

  private unclosed(why: string): FileFormatError {
    return new FileFormatError('unclosed_quote', `a quoted field is not closed (${why})`, {
      line: this.quoteLine,
      column: this.quoteColumn,
    });
  }

  private textAfterQuote(offset: number): FileFormatError {
    if (this.line > this.quoteLine) return this.unclosed(`it runs on to line ${this.line}, where text follows a quote`);
    return new FileFormatError(
      'text_after_quote',
      'text follows the closing quote of a field; a quote inside a quoted field is written twice ("")',
      {
        line: this.line,
        column: offset - this.lineStart + 1,
      },
    );
  }

  private tooLarge(): FileFormatError {
    if (this.state === State.Quoted || this.state === State.QuoteAtChunkEnd || this.state === State.EscapeAtChunkEnd)
      return this.unclosed(
        `it runs past ${this.maxRecordChars.toLocaleString('en-US')} characters, to line ${this.line}`,
      );
    return new FileFormatError(
      'record_too_large',
      `a row is longer than ${this.maxRecordChars.toLocaleString('en-US')} characters (are the line ends \\r only?)`,
      { line: this.rowLine },
    );
  }
}
