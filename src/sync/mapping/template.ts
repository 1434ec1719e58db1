import { compileReader, parsePath, type ParsedPath } from './path.js';

/**
 * String templates of a mapping: `{{first_name}} {{last_name}}`, `{{properties.email}}`. A template is split once
 * into literal text and path readers; rendering a record joins them. A missing or null value renders as nothing, an
 * object or array as its JSON.
 */
const placeholder = /\{\{\s*([^{}]*?)\s*\}\}/g;

export type ParsedTemplate = { literals: string[]; paths: ParsedPath[] };

/** Split a template, or answer why it is not one. */
export function parseTemplate(text: string): ParsedTemplate | { error: string } {
  const literals: string[] = [];
  const paths: ParsedPath[] = [];
  let at = 0;
  for (const match of text.matchAll(placeholder)) {
    const path = parsePath(match[1] ?? '');
    if ('error' in path) return { error: `template placeholder ${match[0]}: ${path.error}` };
    literals.push(text.slice(at, match.index));
    paths.push(path);
    at = match.index + match[0].length;
  }
  literals.push(text.slice(at));
  if (literals.some((l) => l.includes('{{') || l.includes('}}')))
    return { error: `template '${text}' has an unclosed or empty {{ }} placeholder` };
  return { literals, paths };
}

function render(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

export function compileTemplate(template: ParsedTemplate): (record: Record<string, unknown>) => string {
  const { literals } = template;
  const readers = template.paths.map(compileReader);
  const head = literals[0] ?? '';
  if (readers.length === 0) return () => head;
  return (record) => {
    let out = head;
    for (let i = 0; i < readers.length; i++)
      out += render((readers[i] as (r: typeof record) => unknown)(record)) + literals[i + 1];
    return out;
  };
}
