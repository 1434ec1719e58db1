import { FileFormatError } from './errors.js';

/**
 * A streaming scanner for one JSON document that finds the records at a path and hands each one's text to
 * `onRecord`, where JSON.parse turns it into a value (fast, exact, and the only place values are built). Outside the
 * records it walks the structure itself, a character at a time with a stack of open containers, keeping only the
 * keys that lead to the records; inside a record it only counts brackets and skips strings with `indexOf`. State
 * survives chunk ends, so memory is one chunk plus one record (bounded by `maxRecordChars`).
 *
 * Records: the elements of the array at `path` (`[]`: the top-level value); an object there is one record.
 */
type Frame = { array: boolean; key: string | null; onPath: boolean; records: boolean; expect: Expect };
type Expect = 'value' | 'key' | 'colon' | 'comma-or-end' | 'value-or-end' | 'key-or-end';

export class JsonScanner {
  private stack: Frame[] = [];
  private rootDone = false;
  private found = false;
  private line = 1;
  private lineStart = 0;
  private base = 0;
  // Inside a string outside the records (a key, or a value being skipped).
  private inString = false;
  private stringIsKey = false;
  private stringText = '';
  private stringEscape = false;
  // Inside a number or literal outside the records.
  private inLiteral = false;
  // Inside a record.
  private inRecord = false;
  private recordParts: string[] = [];
  private recordChars = 0;
  private recordLine = 0;
  private recordColumn = 0;
  private depth = 0;
  private recordInString = false;
  private recordEscape = false;
  private recordScalar = false;
  /** Where the record starts in the current chunk (0 once it has crossed a chunk's end). */
  private recordSliceStart = 0;

  constructor(
    private readonly path: string[],
    private readonly maxRecordChars: number,
    private readonly onRecord: (text: string, line: number, column: number) => void,
  ) {}

  push(text: string): void {
    let i = 0;
    const len = text.length;
    while (i < len) {
      if (this.inRecord) {
        i = this.scanRecord(text, i);
        continue;
      }
      if (this.inString) {
        i = this.scanString(text, i);
        continue;
      }
      const c = text.charCodeAt(i);
      if (this.inLiteral) {
        if (isLiteralChar(c)) {
          i++;
          continue;
        }
        this.inLiteral = false;
        this.valueDone();
      }
      if (c === 10) this.newLine(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) {
        i++;
        continue;
      }
      this.token(c, text, i);
      if (!this.inRecord) i++; // a record is scanned from its first character
    }
    if (this.inRecord) {
      this.recordParts.push(text.slice(this.recordSliceStart, len));
      this.recordChars += len - this.recordSliceStart;
      this.recordSliceStart = 0;
      if (this.recordChars > this.maxRecordChars)
        throw new FileFormatError(
          'record_too_large',
          `a record is longer than ${this.maxRecordChars.toLocaleString('en-US')} characters`,
          { line: this.recordLine },
        );
    }
    if (this.inString && this.stringText.length > this.maxRecordChars)
      throw this.error(`a string longer than ${this.maxRecordChars.toLocaleString('en-US')} characters`, len - 1);
    this.base += len;
  }

  end(): void {
    if (this.inLiteral) {
      this.inLiteral = false;
      this.valueDone();
    }
    if (this.inRecord || this.inString || this.stack.length > 0)
      throw new FileFormatError('invalid_json', 'the file ends inside a JSON value (is it cut short?)', {
        line: this.inRecord ? this.recordLine : this.line,
      });
    if (this.rootDone && !this.found)
      throw new FileFormatError(
        'record_path_not_found',
        `there is no array or object at ${this.path.join('.')} in the file`,
      );
  }

  private token(c: number, text: string, i: number): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) {
      if (this.rootDone) throw this.error('more than one top-level JSON value (is the file NDJSON?)', i);
      if (c !== 123 && c !== 91) throw this.error(`not JSON: the file starts with ${describe(text, i)}, not [ or {`, i);
      return this.value(c, text, i, this.path.length === 0);
    }
    switch (top.expect) {
      case 'key-or-end':
      case 'key':
        if (c === 125 /* } */ && top.expect === 'key-or-end') return this.close();
        if (c !== 34) throw this.error(`expected a key in quotes, found ${describe(text, i)}`, i);
        this.inString = true;
        this.stringIsKey = true;
        this.stringText = '';
        return;
      case 'colon':
        if (c !== 58) throw this.error(`expected ':' after a key, found ${describe(text, i)}`, i);
        top.expect = 'value';
        return;
      case 'comma-or-end':
        if (c === 44) {
          top.expect = top.array ? 'value' : 'key';
          return;
        }
        if (c === (top.array ? 93 : 125)) return this.close();
        throw this.error(`expected ',' or '${top.array ? ']' : '}'}', found ${describe(text, i)}`, i);
      case 'value-or-end':
        if (c === 93) return this.close();
        return this.value(c, text, i, top.records);
      case 'value': {
        const atRecords =
          !top.array && top.onPath && this.stack.length === this.path.length && top.key === this.path.at(-1);
        return this.value(c, text, i, atRecords);
      }
    }
  }

  /** A value starts at text[i]; `atRecords`: it is the array of the records, or the one record. */
  private value(c: number, text: string, i: number, atRecords: boolean): void {
    const top = this.stack[this.stack.length - 1];
    if (top?.records || (atRecords && c === 123)) return this.startRecord(text, i, c);
    if (atRecords && c !== 91)
      throw this.error(`expected an array or object of records here, found ${describe(text, i)}`, i);
    if (c === 123 || c === 91) {
      // A new object is on the path when its parent is and its key is the path's next step.
      const depth = this.stack.length;
      const onPath =
        c === 123 &&
        (top === undefined
          ? this.path.length > 0
          : top.onPath && !top.array && depth < this.path.length && top.key === this.path[depth - 1]);
      this.stack.push({
        array: c === 91,
        key: null,
        onPath,
        records: atRecords,
        expect: c === 91 ? 'value-or-end' : 'key-or-end',
      });
      if (atRecords) this.found = true;
      return;
    }
    if (c === 34) {
      this.inString = true;
      this.stringIsKey = false;
      return;
    }
    if (c === 45 || (c >= 48 && c <= 57) || c === 116 || c === 102 || c === 110) {
      this.inLiteral = true;
      return;
    }
    throw this.error(`unexpected ${describe(text, i)} in JSON`, i);
  }

  private close(): void {
    this.stack.pop();
    this.valueDone();
  }

  /** A value (not a record) ended: its parent expects a comma or its end, or the document is done. */
  private valueDone(): void {
    const top = this.stack[this.stack.length - 1];
    if (top) top.expect = 'comma-or-end';
    else this.rootDone = true;
  }

  private scanString(text: string, i: number): number {
    const len = text.length;
    let at = i;
    if (this.stringEscape) {
      if (this.stringIsKey) this.stringText += text[at];
      this.stringEscape = false;
      at++;
    }
    for (;;) {
      const q = text.indexOf('"', at);
      const b = text.indexOf('\\', at);
      if (b !== -1 && (q === -1 || b < q)) {
        if (this.stringIsKey) this.stringText += text.slice(at, b + 2);
        if (b + 1 >= len) {
          this.stringEscape = true;
          return len;
        }
        at = b + 2;
        continue;
      }
      if (q === -1) {
        if (this.stringIsKey) this.stringText += text.slice(at);
        return len;
      }
      if (this.stringIsKey) this.stringText += text.slice(at, q);
      this.inString = false;
      const top = this.stack[this.stack.length - 1];
      if (this.stringIsKey && top) {
        top.key = JSON.parse(`"${this.stringText}"`) as string;
        top.expect = 'colon';
        this.stringText = '';
      } else this.valueDone();
      return q + 1;
    }
  }

  private startRecord(text: string, i: number, c: number): void {
    this.inRecord = true;
    this.recordLine = this.line;
    this.recordColumn = this.base + i - this.lineStart + 1;
    this.recordSliceStart = i;
    this.recordParts = [];
    this.recordChars = 0;
    this.depth = 0;
    this.recordScalar = c !== 123 && c !== 91;
    this.found = true;
  }

  /** Scan a record from text[i]; answers where to go on. */
  private scanRecord(text: string, i: number): number {
    const len = text.length;
    let at = i;
    while (at < len) {
      if (this.recordInString) {
        if (this.recordEscape) {
          this.recordEscape = false;
          at++;
          continue;
        }
        const q = text.indexOf('"', at);
        const b = text.indexOf('\\', at);
        if (b !== -1 && (q === -1 || b < q)) {
          if (b + 1 >= len) {
            this.recordEscape = true;
            return len;
          }
          at = b + 2;
          continue;
        }
        if (q === -1) return len;
        this.recordInString = false;
        at = q + 1;
        if (this.recordScalar && this.depth === 0) return this.finishRecord(text, at);
        continue;
      }
      const c = text.charCodeAt(at);
      if (this.recordScalar) {
        if (c === 34 && at === this.recordSliceStart) {
          this.recordInString = true;
          at++;
          continue;
        }
        if (!isLiteralChar(c)) return this.finishRecord(text, at);
        at++;
        continue;
      }
      if (c === 34) this.recordInString = true;
      else if (c === 123 || c === 91) this.depth++;
      else if (c === 125 || c === 93) {
        if (--this.depth === 0) return this.finishRecord(text, at + 1);
      } else if (c === 10) this.newLine(at);
      at++;
    }
    return len;
  }

  private finishRecord(text: string, end: number): number {
    this.recordParts.push(text.slice(this.recordSliceStart, end));
    const whole = this.recordParts.length === 1 ? (this.recordParts[0] as string) : this.recordParts.join('');
    this.recordParts = [];
    this.inRecord = false;
    const top = this.stack[this.stack.length - 1];
    if (top) top.expect = 'comma-or-end';
    else this.rootDone = true;
    this.onRecord(whole, this.recordLine, this.recordColumn);
    return end;
  }

  private newLine(i: number): void {
    this.line++;
    this.lineStart = this.base + i + 1;
  }

  private error(reason: string, i: number): FileFormatError {
    return new FileFormatError('invalid_json', reason, { line: this.line, column: this.base + i - this.lineStart + 1 });
  }
}

const isLiteralChar = (c: number) =>
  (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || c === 45 || c === 43 || c === 46 || (c >= 65 && c <= 90);

function describe(text: string, i: number): string {
  return JSON.stringify(text[i]);
}
