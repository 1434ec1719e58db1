import { createPrivateKey, X509Certificate } from 'node:crypto';
import { ApiError, type FieldError } from '../core/errors.js';
import { secretReferences } from '../vault/secrets/references.js';
import type { ConnectorField } from './manifest/auth.js';

const isReference = (value: unknown) => typeof value === 'string' && secretReferences(value).length > 0;

/**
 * Check submitted values against a connector's form: required fields present, patterns and types respected, no
 * unknown keys. A `{{secrets.NAME}}` reference stands in for any value (checked for existence separately).
 * Returns the values as stored: strings for credentials, typed values for config.
 */
export function validateFields(
  fields: ConnectorField[],
  values: Record<string, unknown>,
  where: 'body.config' | 'body.credentials',
  options: { partial?: boolean } = {},
): Record<string, unknown> {
  const errors: FieldError[] = [];
  const known = new Set(fields.map((f) => f.key));
  for (const key of Object.keys(values))
    if (!known.has(key)) errors.push({ path: `${where}.${key}`, message: 'unknown field' });
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    let value = values[field.key];
    if ((value === undefined || value === '') && field.default !== undefined && !options.partial) value = field.default;
    if (value === undefined || value === null || value === '') {
      if (field.required && !options.partial)
        errors.push({ path: `${where}.${field.key}`, message: `${field.label} is required` });
      continue;
    }
    if (isReference(value)) {
      out[field.key] = value;
      continue;
    }
    const problem = fieldProblem(field, value);
    if (problem) errors.push({ path: `${where}.${field.key}`, message: problem });
    else
      out[field.key] =
        field.type === 'number'
          ? Number(value)
          : field.type === 'boolean'
            ? value === true || value === 'true'
            : String(value);
  }
  if (errors.length) {
    throw new ApiError(
      'validation_failed',
      errors.length === 1 ? `${errors[0]?.path}: ${errors[0]?.message}` : `${errors.length} fields are invalid`,
      { errors },
    );
  }
  return out;
}

function fieldProblem(field: ConnectorField, value: unknown): string | undefined {
  if (field.type === 'number' && Number.isNaN(Number(value))) return 'must be a number';
  if (field.type === 'boolean' && typeof value !== 'boolean' && value !== 'true' && value !== 'false')
    return 'must be true or false';
  if (typeof value === 'object') return 'must be a single value';
  const text = String(value);
  if (text.length > 65_536) return 'is too long';
  if (field.type === 'url' && !/^https?:\/\//i.test(text)) return 'must be an http:// or https:// URL';
  if (field.type === 'select' && field.options && !field.options.some((o) => o.value === text)) {
    return `must be one of ${field.options.map((o) => o.value).join(', ')}`;
  }
  if (field.pattern && !new RegExp(field.pattern).test(text))
    return `does not match the expected format${field.help ? ` (${field.help})` : ''}`;
  if (field.type === 'pem') return pemProblem(text);
  return undefined;
}

/**
 * A PEM field must hold what its label says, readable: a private key that cannot be read would otherwise only
 * fail when a request is signed or a TLS handshake starts, far from the form that took it. Keys: PKCS#8, PKCS#1
 * or SEC1, unencrypted (there is no passphrase to decrypt one with).
 */
function pemProblem(text: string): string | undefined {
  const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(text)?.[1];
  if (!label) return 'must be a PEM block (-----BEGIN …-----)';
  try {
    if (label.endsWith('PRIVATE KEY')) createPrivateKey(text);
    else if (label === 'CERTIFICATE') new X509Certificate(text);
  } catch {
    return label === 'CERTIFICATE'
      ? 'is not a readable certificate'
      : 'is not a readable private key (PKCS#8, PKCS#1 or SEC1, not encrypted)';
  }
  return undefined;
}
