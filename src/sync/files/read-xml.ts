import { SaxesParser, type SaxesTag } from 'saxes';
import { BatchBuilder, fieldKey, type FileRecord, type ReadSettings, type RecordBatch } from './batch.js';
import { countNewlines } from './decode.js';
import { defaultMaxRecordChars, FileFormatError } from './errors.js';
import { splitElementPath, type XmlOptions } from './formats.js';

/**
 * XML → batches of records, streamed through saxes (a SAX parser: events, no tree). A record is an element the
 * `record_element` option names; its attributes and child elements become fields (text when a child has only text,
 * an object when it has attributes or children, an array when a name repeats).
 *
 * DTDs are refused outright, before the parser sees them: no entity is ever declared, so none is expanded and an XML
 * bomb (billion laughs, quadratic blow-up, external entities) ends in an error on its first line instead of in
 * gigabytes. Only the five predefined entities and character references are read.
 */
type Attribute = { value: string; local: string; uri: string };
type Frame = { name: string; fields: FileRecord | undefined; text: string; children: boolean };

const doctype = '<!DOCTYPE';

export async function* readXml(
  text: AsyncIterable<string>,
  options: XmlOptions,
  settings: ReadSettings,
): AsyncGenerator<RecordBatch> {
  const batches = new BatchBuilder(settings, { true_values: ['true', '1'], false_values: ['false', '0'] });
  const maxChars = settings.maxRecordChars ?? defaultMaxRecordChars;
  const match = recordMatcher(options.record_element);
  // Namespaces are resolved only when names carry their URI: stripping a prefix needs no resolution, and saxes
  // runs about a quarter faster without it.
  const resolve = options.namespaces === 'uri';
  const parser = resolve ? new SaxesParser({ xmlns: true }) : new SaxesParser({ xmlns: false });
  const local = (qualified: string) => {
    const colon = options.namespaces === 'strip' ? qualified.indexOf(':') : -1;
    return colon === -1 ? qualified : qualified.slice(colon + 1);
  };
  const nameOf = (tag: SaxesTag) => (resolve && tag.uri ? `{${tag.uri}}${tag.local}` : local(tag.name));
  const attributeName = (qualified: string, attribute: string | Attribute) =>
    typeof attribute === 'string'
      ? local(qualified)
      : attribute.uri
        ? `{${attribute.uri}}${attribute.local}`
        : attribute.local;

  const path: string[] = []; // names of the open elements, from the root
  let record: Frame[] | undefined; // the open elements of the record being read, the record first
  let recordLine = 0;
  let recordChars = 0;
  let lastTag = 0; // where the parser last reported a tag: what it holds since then is bounded
  let sawRoot = false;
  let line = 1; // lines fed before the current chunk (for the DOCTYPE check)
  let tail = ''; // the end of the last chunk, so a `<!DOCTYPE` split across two chunks is seen

  const fail = (code: 'invalid_xml' | 'dtd_refused' | 'record_too_large', reason: string, at = parser.line) =>
    new FileFormatError(code, reason, { line: at, ...(code === 'invalid_xml' ? { column: parser.column + 1 } : {}) });

  parser.on('error', (error) => {
    throw fail('invalid_xml', error.message.replace(/^\d+:\d+: /, ''));
  });
  parser.on('doctype', () => {
    throw fail('dtd_refused', 'the file declares a DTD (<!DOCTYPE …>); DTDs and entity declarations are refused');
  });
  parser.on('opentag', (tag) => {
    sawRoot = true;
    lastTag = parser.position;
    const name = nameOf(tag);
    path.push(name);
    if (!record && !match(path)) return;
    const frame: Frame = { name, fields: undefined, text: '', children: false };
    if (options.attributes) {
      const attributes = tag.attributes as Record<string, string | Attribute>;
      for (const qualified in attributes) {
        if (qualified === 'xmlns' || qualified.startsWith('xmlns:')) continue; // namespace declarations
        const attribute = attributes[qualified] as string | Attribute;
        const value = typeof attribute === 'string' ? attribute : attribute.value;
        (frame.fields ??= {})[fieldKey(options.attribute_prefix + attributeName(qualified, attribute))] = value;
        recordChars += value.length;
      }
    }
    if (record) {
      const parent = record[record.length - 1] as Frame;
      parent.children = true;
      record.push(frame);
    } else {
      record = [frame];
      recordLine = parser.line;
      recordChars = 0;
    }
  });
  const onText = (text: string) => {
    if (!record) return;
    (record[record.length - 1] as Frame).text += text;
    recordChars += text.length;
    if (recordChars > maxChars)
      throw fail(
        'record_too_large',
        `a record is longer than ${maxChars.toLocaleString('en-US')} characters`,
        recordLine,
      );
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    lastTag = parser.position;
    path.pop();
    if (!record) return;
    const frame = record.pop() as Frame;
    const value = frameValue(frame, options.text_field);
    const parent = record[record.length - 1];
    if (parent) {
      const fields = (parent.fields ??= {});
      const key = fieldKey(frame.name);
      // Own keys only: an element named `constructor` or `toString` is not already there by inheritance.
      const existing = Object.hasOwn(fields, key) ? fields[key] : undefined;
      if (existing === undefined) fields[key] = value;
      else if (Array.isArray(existing))
        existing.push(value); // an element's own value is never an array
      else fields[key] = [existing, value];
      return;
    }
    record = undefined;
    batches.add(
      value !== null && typeof value === 'object' ? (value as FileRecord) : { [options.text_field]: value },
      recordLine,
    );
  });

  let fed = false;
  try {
    for await (const chunk of text) {
      settings.signal?.throwIfAborted();
      if (!sawRoot) {
        // A DOCTYPE can only come before the root element: look for it there, before saxes would buffer all of it.
        const at = (tail + chunk).indexOf(doctype);
        if (at !== -1) {
          const before = (tail + chunk).slice(0, at);
          throw new FileFormatError(
            'dtd_refused',
            'the file declares a DTD (<!DOCTYPE …>); DTDs and entity declarations are refused',
            { line: line + countNewlines(before) - countNewlines(tail) },
          );
        }
        line += countNewlines(chunk);
        tail = chunk.slice(-doctype.length);
      }
      fed ||= chunk.trim() !== '';
      parser.write(chunk);
      if (parser.position - lastTag > maxChars)
        throw fail('record_too_large', `more than ${maxChars.toLocaleString('en-US')} characters without a tag`);
      for (let b = batches.take(); b; b = batches.take()) yield b;
    }
    if (fed) parser.close();
  } catch (error) {
    yield* batches.rest();
    throw error;
  }
  yield* batches.rest();
}

/** An element's value: its text, or its fields (with the text under `text_field` when there is any). */
function frameValue(frame: Frame, textField: string): unknown {
  if (!frame.fields) return frame.children ? {} : frame.text;
  if (frame.text.trim() !== '') frame.fields[textField] = frame.text;
  return frame.fields;
}

/**
 * Which open element is a record: `''` the root's children; `row` any `row`, `entries/entry` an `entry` inside an
 * `entries` (the path's end, at any depth); `/feed/entries/entry` exactly that path from the root. The caller never
 * asks inside a record, so a record element nested in a record is a field of it.
 */
function recordMatcher(option: string): (path: string[]) => boolean {
  if (option === '') return (path) => path.length === 2;
  const absolute = option.startsWith('/');
  const steps = splitElementPath(option);
  return (path) => {
    const offset = path.length - steps.length;
    if (offset < 0 || (absolute && offset !== 0)) return false;
    for (let i = 0; i < steps.length; i++) if (steps[i] !== path[offset + i]) return false;
    return true;
  };
}
