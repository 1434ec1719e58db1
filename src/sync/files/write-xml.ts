import type { FileRecord } from './batch.js';
import { FileFormatError } from './errors.js';
import { splitElementPath, type XmlOptions } from './formats.js';
import type { FormatWriter } from './write.js';

/**
 * Records as XML: `<records><record><field>value</field>…</record>…</records>` (the element names from
 * `record_element`: `row` → `<records><row>`, `rows/row` → `<rows><row>`). Every field is an element (text escaped),
 * an array repeats the element, an object nests, null is left out. With an `attribute_prefix`, fields named with it
 * are written as attributes and `text_field` as the element's text, so what read-xml.ts reads writes back the same.
 */
const ncName = /^[A-Za-z_][\w.-]*$/;
// Characters XML 1.0 cannot hold at all, not even escaped.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const forbidden = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/;
// eslint-disable-next-line no-control-regex -- anything to escape or refuse, control characters included
const special = /[&<>"\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/;
const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#13;' };

export function xmlWriter(o: XmlOptions): FormatWriter {
  const steps = splitElementPath(o.record_element || 'records/record');
  const path = steps.length === 1 ? ['records', ...steps] : steps;
  for (const name of path)
    if (!ncName.test(name))
      throw new FileFormatError(
        'unwritable_value',
        `${name} is not an element name this writer can use (no prefix or {uri})`,
      );
  const recordName = path[path.length - 1] as string;
  const parents = path.slice(0, -1);
  return {
    start: () =>
      '<?xml version="1.0" encoding="' +
      xmlEncodingName(o.encoding) +
      '"?>\n' +
      parents.map((p) => `<${p}>`).join('') +
      '\n',
    batch: (records, first) => {
      let out = '';
      for (let i = 0; i < records.length; i++)
        out += '  ' + element(recordName, records[i] as FileRecord, o, first + i) + '\n';
      return out;
    },
    end: () =>
      [...parents]
        .reverse()
        .map((p) => `</${p}>`)
        .join('') + '\n',
  };
}

function xmlEncodingName(encoding: XmlOptions['encoding']): string {
  return encoding === 'auto' ? 'UTF-8' : encoding === 'latin1' ? 'windows-1252' : encoding.toUpperCase();
}

function element(name: string, value: unknown, o: XmlOptions, record: number): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => element(name, v, o, record)).join('');
  if (typeof value !== 'object' || value instanceof Date)
    return `<${name}>${text(scalar(value), record, name)}</${name}>`;
  let attributes = '';
  let inner = '';
  const fields = value as Record<string, unknown>;
  for (const key in fields) {
    const v = fields[key];
    if (v === null || v === undefined) continue;
    if (key === o.text_field) {
      inner += text(scalar(v), record, key);
      continue;
    }
    if (o.attribute_prefix !== '' && key.startsWith(o.attribute_prefix)) {
      const attribute = key.slice(o.attribute_prefix.length);
      checkName(attribute, record);
      attributes += ` ${attribute}="${text(scalar(v), record, key)}"`;
      continue;
    }
    checkName(key, record);
    inner += element(key, v, o, record);
  }
  return `<${name}${attributes}>${inner}</${name}>`;
}

function scalar(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const goodNames = new Set<string>(); // names already checked (a file has few, written a million times)

function checkName(name: string, record: number): void {
  if (goodNames.has(name)) return;
  if (ncName.test(name) && !/^xml/i.test(name)) {
    if (goodNames.size < 10_000) goodNames.add(name);
    return;
  }
  throw new FileFormatError(
    'unwritable_value',
    `field ${JSON.stringify(name)} is not a valid XML element name; rename it in the mapping`,
    { record },
  );
}

function text(value: string, record: number, field: string): string {
  if (!special.test(value)) return value;
  if (forbidden.test(value))
    throw new FileFormatError('unwritable_value', `${field}: a control character XML 1.0 cannot hold`, { record });
  return value.replace(/[&<>"\r]/g, (c) => escapes[c] as string);
}
