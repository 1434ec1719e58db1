import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FieldError } from '../../core/errors.js';

/**
 * JSON Schemas of event payloads: checked when a type is saved (so a broken schema is refused then, not at every
 * publish) and compiled once per schema text for publishing.
 */
function newAjv(): Ajv {
  const ajv = new Ajv({ allErrors: true, strict: false });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv;
}

const compiled = new Map<string, ValidateFunction>();
const MAX_CACHED = 500;

/** The problems of a schema document itself, as field errors under `prefix`; empty when it compiles. */
export function schemaProblems(schema: Record<string, unknown>, prefix: string): FieldError[] {
  const ajv = newAjv();
  if (!ajv.validateSchema(schema)) {
    return (ajv.errors ?? []).map((e) => ({ path: `${prefix}${e.instancePath}`, message: e.message ?? 'invalid' }));
  }
  try {
    ajv.compile(schema);
    return [];
  } catch (error) {
    return [{ path: prefix, message: (error as Error).message }];
  }
}

/** Validate a payload; returns its problems with the JSON pointer of each (empty when it matches). */
export function payloadProblems(schema: Record<string, unknown>, data: unknown, prefix: string): FieldError[] {
  return payloadCheck(schema)(data, prefix);
}

/**
 * A schema compiled once, for checking many values against it (a file's records in a dry run): the per-value cost
 * is the validation alone.
 */
export function payloadCheck(schema: Record<string, unknown>): (data: unknown, prefix: string) => FieldError[] {
  const key = JSON.stringify(schema);
  let validate = compiled.get(key);
  if (!validate) {
    validate = newAjv().compile(schema);
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(key, validate);
  }
  const check = validate;
  return (data, prefix) => {
    if (check(data)) return [];
    return (check.errors ?? []).map((e: ErrorObject) => ({
      path: `${prefix}${e.instancePath}`,
      message: `${e.message ?? 'invalid'} (schema ${e.schemaPath})`,
    }));
  };
}
