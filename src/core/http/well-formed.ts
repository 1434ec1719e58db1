import type { FastifySchemaCompiler } from 'fastify';
import { ApiError } from '../errors.js';

// In a `u` regex a surrogate pair is one code point, so \p{Cs} matches only a surrogate that has no partner.
// eslint-disable-next-line no-control-regex -- NUL is one of the two characters PostgreSQL refuses
const UNSTORABLE = /[\p{Cs}\u0000]/u;

const MESSAGES = {
  surrogate: 'contains a lone UTF-16 surrogate (an unpaired \\uD800–\\uDFFF); send well-formed Unicode',
  nul: 'contains a NUL character (\\u0000), which cannot be stored; remove it or encode it',
};

/** Why PostgreSQL cannot store this text as sent, if it cannot. */
function problemOf(text: string): string | undefined {
  if (!UNSTORABLE.test(text)) return undefined;
  return text.includes('\u0000') ? MESSAGES.nul : MESSAGES.surrogate;
}

/**
 * The path (`body.a.0.b`) of the first string or object key holding text PostgreSQL cannot store as sent, and why.
 * A lone UTF-16 surrogate: JSON can carry one as an escape (`"\ud800"`) and JavaScript keeps it, but it is not
 * Unicode; jsonb refuses it, and as text the driver silently turns it into U+FFFD, so the stored value would differ
 * from the one sent. A NUL character: text refuses it, and so does jsonb (as `\u0000`).
 */
export function findUnstorableText(value: unknown, path: string): { path: string; message: string } | undefined {
  if (typeof value === 'string') {
    const message = problemOf(value);
    return message ? { path, message } : undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorableText(value[i], `${path}.${i}`);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const message = problemOf(key);
    if (message) return { path: `${path}.${key.replace(new RegExp(UNSTORABLE, 'gu'), '\uFFFD')}`, message };
    const found = findUnstorableText(item, `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}

/**
 * Every request part (body, query, path parameters, headers) is checked for text PostgreSQL cannot store (a lone
 * surrogate, a NUL) before its schema, in this one place, so no route can pass one on to the database or a vendor.
 * The refusal is an ordinary `validation_failed` naming the field.
 */
export function refusingUnstorableText(compile: FastifySchemaCompiler<unknown>): FastifySchemaCompiler<unknown> {
  return (route) => {
    const validate = compile(route);
    const part = route.httpPart ?? 'body';
    return (data: unknown) => {
      // A wildcard path (the API proxy's vendor path) is passed on as the caller encoded it (`%00` stays three
      // characters) and never stored decoded: what it decodes to is the vendor's to judge.
      const checked =
        part === 'params' && data !== null && typeof data === 'object' && '*' in data
          ? { ...(data as Record<string, unknown>), '*': '' }
          : data;
      const found = findUnstorableText(checked, part);
      if (found === undefined) return validate(data);
      const { path, message } = found;
      return { error: new ApiError('validation_failed', `${path}: ${message}.`, { errors: [{ path, message }] }) };
    };
  };
}
