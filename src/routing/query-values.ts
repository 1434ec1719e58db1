/**
 * Values a capability section builds from the standard query: a request's path and parameters (templates), a JSON
 * request body, a record field. Declarative, as the rest of the section:
 * - a string is a template: `{{query.<field>}}` is the query's value (empty when absent), `{{item}}` the current item
 *   of an `$each`;
 * - an object or a list is built member by member, and a member that comes out empty (`""`, `[]`, `{}`, absent) is
 *   left out — an optional query field leaves no trace in the body (no `cc: []`, no `replyTo: {}`);
 * - `{$each: <field> | [<field>, …], as?: <value>}` is a list: the fields' items in order (a list field gives its
 *   items, a single value itself, an absent field none), each written as `as` (the item itself without it). Inside a
 *   list its items are spliced in, so `content: [{$each: text, as: …}, {$each: html, as: …}]` has one entry per
 *   body the query has.
 */

export const QUERY_TEMPLATE = /\{\{\s*query\.([a-z][a-z0-9_]*)\s*\}\}/g;
const ITEM_OR_QUERY = /\{\{\s*(?:query\.([a-z][a-z0-9_]*)|(item))\s*\}\}/g;

type Query = Record<string, unknown>;
type Each = { $each: string | string[]; as?: unknown };

export const valueText = (value: unknown) => (value === undefined || value === null ? '' : String(value));

/**
 * A template with the query's values in it, each through `encode` (URL-encoding for a path). `{{item}}` is
 * rendered only inside an `$each` (`item` given); the values put in are never read as templates themselves.
 */
export function renderTemplate(
  template: string,
  query: Query,
  encode: (s: string) => string = (s) => s,
  item?: { value: unknown },
): string {
  if (!item) return template.replace(QUERY_TEMPLATE, (_, field: string) => encode(valueText(query[field])));
  return template.replace(ITEM_OR_QUERY, (_, field: string | undefined) =>
    encode(valueText(field === undefined ? item.value : query[field])),
  );
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && !Array.isArray(value);

const isEach = (value: unknown): value is Each => isObject(value) && '$each' in value;

const isEmpty = (value: unknown) =>
  value === undefined ||
  value === '' ||
  (Array.isArray(value) && value.length === 0) ||
  (isObject(value) && Object.keys(value).length === 0);

const eachFields = (each: Each) => (Array.isArray(each.$each) ? each.$each : [each.$each]);

/** The items of an `$each`, each written as its `as`; an item that comes out empty is left out. */
function eachItems(each: Each, query: Query): unknown[] {
  const items: unknown[] = [];
  for (const field of eachFields(each)) {
    const value = query[field];
    if (Array.isArray(value)) items.push(...(value as unknown[]));
    else if (value !== undefined && value !== null && value !== '') items.push(value);
  }
  if (each.as === undefined) return items;
  return items.map((value) => renderValue(each.as, query, { value })).filter((value) => !isEmpty(value));
}

/** A value of a capability section (a request body, a record field's `value`) built from the query. */
export function renderValue(value: unknown, query: Query, item?: { value: unknown }): unknown {
  if (typeof value === 'string') return renderTemplate(value, query, undefined, item);
  if (isEach(value)) return eachItems(value, query);
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (const member of value) {
      if (isEach(member)) out.push(...eachItems(member, query));
      else {
        const rendered = renderValue(member, query, item);
        if (!isEmpty(rendered)) out.push(rendered);
      }
    }
    return out;
  }
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, member] of Object.entries(value)) {
      const rendered = renderValue(member, query, item);
      if (!isEmpty(rendered)) out[key] = rendered;
    }
    return out;
  }
  return value;
}

/**
 * What is wrong with a value of a capability section, each problem a sentence: a `{{query.x}}` or an `$each` field
 * that is no field of the query, `{{item}}` outside an `$each`'s `as`, an `$each` with other keys.
 */
export function valueProblems(value: unknown, queryFields: Set<string>, name: string, inEach = false): string[] {
  const problems: string[] = [];
  if (typeof value === 'string') {
    for (const [, field, item] of value.matchAll(ITEM_OR_QUERY)) {
      if (item !== undefined && !inEach) problems.push(`{{item}} is used outside an $each`);
      if (field !== undefined && !queryFields.has(field))
        problems.push(`{{query.${field}}} names no field of the ${name} query`);
    }
    return problems;
  }
  if (isEach(value)) {
    const extra = Object.keys(value).filter((k) => k !== '$each' && k !== 'as');
    if (extra.length) problems.push(`an $each takes only $each and as (not ${extra.join(', ')})`);
    const fields = eachFields(value);
    if (fields.length === 0 || fields.some((f) => typeof f !== 'string'))
      problems.push('$each names a query field or a list of them');
    for (const field of fields.filter((f) => typeof f === 'string' && !queryFields.has(f)))
      problems.push(`$each: ${field} names no field of the ${name} query`);
    if (value.as !== undefined) problems.push(...valueProblems(value.as, queryFields, name, true));
    return problems;
  }
  const members = Array.isArray(value) ? value : isObject(value) ? Object.values(value) : [];
  for (const member of members) problems.push(...valueProblems(member, queryFields, name, inEach));
  return problems;
}
