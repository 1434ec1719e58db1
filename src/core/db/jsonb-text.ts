/**
 * JSON text that PostgreSQL's jsonb accepts, for values that came from outside without request validation (inbound
 * webhook payloads, records a vendor API returned). JSON allows an escaped lone UTF-16 surrogate (`"\ud800"` with
 * no low surrogate after it); JSON.parse keeps it, JSON.stringify writes it back as that escape, and jsonb refuses
 * it ("Unicode low surrogate must follow a high surrogate"), failing the whole statement. Such an escape is
 * replaced with U+FFFD, as the WHATWG UTF-8 decoder replaces what it cannot decode (and as Node does when it encodes
 * such a string to UTF-8). JSON.stringify writes a surrogate pair as the character itself and escapes only a lone
 * one, so every `\ud800`–`\udfff` escape in its output is lone; an escaped backslash before `u` (`\\ud800`, the
 * literal text) is left alone.
 */
const LONE_SURROGATE_ESCAPE = /(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g;

/** `json` (JSON.stringify's output) with each lone surrogate escape replaced by `\ufffd`. */
export function replaceLoneSurrogates(json: string): string {
  // The cheap scan first: records in bulk pass through here, and nearly none hold an escape at all.
  return json.includes('\\ud') ? json.replace(LONE_SURROGATE_ESCAPE, '$1\\ufffd') : json;
}

const NUL_ESCAPE = /(?<!\\)((?:\\\\)*)\\u0000/g;

/**
 * A value as JSON text jsonb always accepts, for what is kept to be looked at rather than used (a sync's rejected
 * records, which were often rejected for holding what PostgreSQL refuses): lone surrogates and NUL characters
 * become U+FFFD.
 */
export function displayableJson(value: unknown): string {
  const json = replaceLoneSurrogates(JSON.stringify(value) ?? 'null');
  return json.includes('\\u0000') ? json.replace(NUL_ESCAPE, '$1\\ufffd') : json;
}

/** Text PostgreSQL's text type always accepts: NUL characters and lone surrogates become U+FFFD. */
export function displayableText(text: string): string {
  const wellFormed = text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  return wellFormed.replaceAll('\u0000', '\ufffd');
}

/**
 * A `JSON.parse` reviver for answers from outside whose values Switchyard reads and keeps (a token endpoint's error
 * description and scope): every string value made displayable, as displayableText does. Keys are left as sent.
 */
export function displayableStrings(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? displayableText(value) : value;
}
