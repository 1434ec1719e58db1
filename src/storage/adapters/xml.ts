import { SaxesParser } from 'saxes';
import { ApiError } from '../../core/errors.js';

/**
 * A vendor's small XML answer (an S3 or Azure listing page, at most a few thousand entries) as a tree of elements,
 * read with saxes, the SAX parser the file readers use. Namespaces are dropped (S3 answers in its own), a DTD is
 * refused before the parser sees it (no entity is ever expanded), attributes are kept only by name.
 */
export type XmlElement = { name: string; attributes: Record<string, string>; text: string; children: XmlElement[] };

export function parseXml(body: Buffer, what: string): XmlElement {
  const text = body.toString('utf8');
  const fail = (reason: string) =>
    new ApiError('storage_vendor_error', `The vendor's answer to ${what} is not readable XML (${reason}).`);
  if (text.includes('<!DOCTYPE')) throw fail('a DTD is not accepted');
  const parser = new SaxesParser({ xmlns: false });
  const root: XmlElement = { name: '#document', attributes: {}, text: '', children: [] };
  const open: XmlElement[] = [root];
  parser.on('opentag', (tag) => {
    const attributes: Record<string, string> = {};
    for (const [name, value] of Object.entries(tag.attributes)) attributes[local(name)] = String(value);
    const element: XmlElement = { name: local(tag.name), attributes, text: '', children: [] };
    (open.at(-1) as XmlElement).children.push(element);
    open.push(element);
  });
  parser.on('text', (chunk) => {
    (open.at(-1) as XmlElement).text += chunk;
  });
  parser.on('cdata', (chunk) => {
    (open.at(-1) as XmlElement).text += chunk;
  });
  parser.on('closetag', () => {
    open.pop();
  });
  try {
    parser.write(text).close();
  } catch (error) {
    throw fail(error instanceof Error ? error.message : String(error));
  }
  const top = root.children[0];
  if (!top) throw fail('no document element');
  return top;
}

const local = (qualified: string) => qualified.slice(qualified.indexOf(':') + 1);

/** The children of `element` named `name`. */
export const childrenNamed = (element: XmlElement | undefined, name: string): XmlElement[] =>
  element ? element.children.filter((c) => c.name === name) : [];

/** The first child named `name`. */
export const childNamed = (element: XmlElement | undefined, name: string): XmlElement | undefined =>
  element?.children.find((c) => c.name === name);

/** The text of the first child named `name` (undefined when there is none; '' when it is empty). */
export const childText = (element: XmlElement | undefined, name: string): string | undefined =>
  childNamed(element, name)?.text;
