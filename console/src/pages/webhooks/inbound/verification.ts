import { splitList } from '../shared/format.js';
import type { Scheme, Verification } from './schemes.js';

/** The verification form's fields, flat; `toVerification` builds the scheme object the API takes. */
export type VerificationForm = {
  type: Scheme | '';
  tolerance: string;
  ipAllow: string;
  algorithm: 'sha256' | 'sha512';
  encoding: 'hex' | 'base64';
  header: string;
  prefix: string;
  timestampHeader: string;
  signedContent: string;
  deliveryIdHeader: string;
  eventTypeHeader: string;
  username: string;
  tokenPath: string;
};

export function fromVerification(v: Verification | undefined): VerificationForm {
  const form: VerificationForm = {
    type: v?.type ?? 'standard_webhooks',
    tolerance: v && 'tolerance_seconds' in v && v.tolerance_seconds !== undefined ? String(v.tolerance_seconds) : '',
    ipAllow: v?.ip_allow?.join('\n') ?? '',
    algorithm: 'sha256',
    encoding: 'hex',
    header: '',
    prefix: '',
    timestampHeader: '',
    signedContent: '{body}',
    deliveryIdHeader: '',
    eventTypeHeader: '',
    username: '',
    tokenPath: '$.token',
  };
  if (v?.type === 'generic_hmac') {
    Object.assign(form, {
      algorithm: v.algorithm,
      encoding: v.encoding,
      header: v.header,
      prefix: v.prefix ?? '',
      timestampHeader: v.timestamp_header ?? '',
      signedContent: v.signed_content,
      deliveryIdHeader: v.delivery_id_header ?? '',
      eventTypeHeader: v.event_type_header ?? '',
    });
  }
  if (v?.type === 'api_key_header') form.header = v.header;
  if (v?.type === 'basic_auth') form.username = v.username ?? '';
  if (v?.type === 'body_token') form.tokenPath = v.path;
  return form;
}

export function toVerification(f: VerificationForm): Verification | undefined {
  const ip = splitList(f.ipAllow);
  const common = ip.length ? { ip_allow: ip } : {};
  const tolerance = f.tolerance.trim() ? { tolerance_seconds: Number(f.tolerance) } : {};
  const optional = (key: string, value: string) => (value.trim() ? { [key]: value.trim() } : {});
  switch (f.type) {
    case '':
      return undefined;
    case 'standard_webhooks':
    case 'stripe':
    case 'slack':
      return { type: f.type, ...tolerance, ...common };
    case 'hubspot_v3':
      return { type: f.type, ...tolerance, ...common };
    case 'github':
    case 'shopify':
    case 'twilio':
    case 'square':
    case 'graph_client_state':
    case 'none':
      return { type: f.type, ...common };
    case 'basic_auth':
      return { type: f.type, ...optional('username', f.username), ...common };
    case 'body_token':
      return { type: f.type, path: f.tokenPath.trim(), ...common };
    case 'api_key_header':
      return { type: f.type, header: f.header.trim(), ...common };
    case 'generic_hmac':
      return {
        type: f.type,
        algorithm: f.algorithm,
        encoding: f.encoding,
        header: f.header.trim(),
        signed_content: f.signedContent.trim() || '{body}',
        ...optional('prefix', f.prefix),
        ...optional('timestamp_header', f.timestampHeader),
        ...optional('delivery_id_header', f.deliveryIdHeader),
        ...optional('event_type_header', f.eventTypeHeader),
        ...tolerance,
        ...common,
      };
  }
}
