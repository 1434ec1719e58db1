import type { FastifySchemaCompiler } from 'fastify';
import { ApiError } from '../errors.js';

// In a `u` regex a surrogate pair is one code point, so this matches only a surrogate that has no partner.
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The path (`body.a.0.b`) of the first string or object key holding a lone UTF-16 surrogate, if any. JSON can
 * carry one as an escape (`"\ud800"`) and JavaScript keeps it, but it is not Unicode: PostgreSQL refuses it in
 * jsonb, and as text the driver silently turns it into U+FFFD, so the stored value would differ from the one sent.
 */
export function findLoneSurrogate(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findLoneSurrogate(value[i], `${path}.${i}`);
      if (found) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    if (LONE_SURROGATE.test(key)) return `${path}.${key.replace(LONE_SURROGATE, '\uFFFD')}`;
    const found = findLoneSurrogate(item, `${path}.${key}`);
    if (found) return found;
  }
  return undefined;
}

/**
 * Every request part (body, query, path parameters, headers) is checked for lone surrogates before its schema, in
 * this one place, so no route can pass one on to the database or a vendor. The refusal is an ordinary
 * `validation_failed` naming the field.
 */
export function refusingLoneSurrogates(compile: FastifySchemaCompiler<unknown>): FastifySchemaCompiler<unknown> {
  return (route) => {
    const validate = compile(route);
    const part = route.httpPart ?? 'body';
    return (data: unknown) => {
      const path = findLoneSurrogate(data, part);
      if (path === undefined) return validate(data);
      const message = 'contains a lone UTF-16 surrogate (an unpaired \\uD800–\\uDFFF); send well-formed Unicode';
      return { error: new ApiError('validation_failed', `${path}: ${message}.`, { errors: [{ path, message }] }) };
    };
  };
}
