import { describe, expect, it } from 'vitest';
import { readRecords } from './read.js';
import { byteChunks, collect, records, readError } from '../../../test/helpers/files.js';

const chunks = (text: string | Buffer, size = 6) => byteChunks(text, size);

describe('XML reading', () => {
  const feed = `<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <title>Ignored</title>
  <entries>
    <entry id="1" dc:lang="en"><title>First &amp; best</title><dc:creator>Ann</dc:creator>
      <tag>a</tag><tag>b</tag><price currency="EUR">10.5</price><empty/><note><![CDATA[<raw>]]></note></entry>
    <entry id="2"><title>Second</title></entry>
  </entries>
</feed>`;

  it('reads the records at an element path: attributes, text, repeated and nested elements, CDATA', async () => {
    for (const size of [1, 7, 4096]) {
      const batches = await collect(readRecords(chunks(feed, size), 'xml', { record_element: 'entries/entry' }));
      expect(batches.flatMap((b) => b.records)).toEqual([
        {
          id: '1',
          lang: 'en',
          title: 'First & best',
          creator: 'Ann',
          tag: ['a', 'b'],
          price: { currency: 'EUR', '#text': '10.5' },
          empty: '',
          note: '<raw>',
        },
        { id: '2', title: 'Second' },
      ]);
      expect(batches[0]?.lineNumbers).toEqual([5, 7]);
    }
  });

  it('matches a record element by name at any depth, by absolute path, or as the root’s children', async () => {
    expect((await records(chunks(feed), 'xml', { record_element: 'entry' })).length).toBe(2);
    expect((await records(chunks(feed), 'xml', { record_element: '/feed/entries/entry' })).length).toBe(2);
    expect(await records(chunks('<rows><row a="1"/><row a="2">x</row></rows>'), 'xml')).toEqual([
      { a: '1' },
      { a: '2', '#text': 'x' },
    ]);
  });

  it('names elements and attributes by prefix or namespace URI when asked, and can leave attributes out', async () => {
    const [first] = await records(chunks(feed), 'xml', { record_element: 'entries/entry', namespaces: 'prefix' });
    expect(first).toMatchObject({ id: '1', 'dc:lang': 'en', 'dc:creator': 'Ann' });
    const [uri] = await records(chunks(feed), 'xml', {
      record_element: '{http://www.w3.org/2005/Atom}entry',
      namespaces: 'uri',
      attributes: false,
    });
    expect(uri).toMatchObject({ '{http://purl.org/dc/elements/1.1/}creator': 'Ann' });
    expect(uri).not.toHaveProperty('id');
    const [prefixed] = await records(chunks('<r><row id="1"/></r>'), 'xml', { attribute_prefix: '@' });
    expect(prefixed).toEqual({ '@id': '1' });
  });

  it('keeps elements named __proto__, constructor or toString as fields, without touching the prototype', async () => {
    const [row] = await records(
      chunks('<r><row __proto__="a"><__proto__>1</__proto__><__proto__>2</__proto__><toString>3</toString></row></r>'),
      'xml',
      { attribute_prefix: '' },
    );
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.entries(row as object)).toEqual([
      ['__proto___2', ['a', '1', '2']],
      ['toString', '3'],
    ]);
  });

  it('converts values to a schema like CSV text', async () => {
    const [row] = await records(
      chunks('<r><row><n>42</n><ok>true</ok></row></r>'),
      'xml',
      {},
      {
        schema: {
          fields: [
            { name: 'n', type: 'integer' },
            { name: 'ok', type: 'boolean' },
          ],
        },
      },
    );
    expect(row).toEqual({ n: 42, ok: true });
  });

  it('refuses an XML bomb (billion laughs) at its DOCTYPE, before any entity could be expanded', async () => {
    const bomb = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 ${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('\n ')}
]>
<lolz>&lol9;</lolz>`;
    const error = await readError(() => readRecords(chunks(bomb, 4096), 'xml'));
    expect(error).toMatchObject({ code: 'dtd_refused', line: 2 });
    expect(error.message).toBe(
      'line 2: the file declares a DTD (<!DOCTYPE …>); DTDs and entity declarations are refused',
    );
    // Refused on the DOCTYPE's line: the parser never reached the entities, let alone `&lol9;` (no timing or heap
    // bound needed, and none kept: they would measure the machine).
    // A DOCTYPE split across chunks is seen too.
    const split = await readError(() => readRecords(chunks(bomb, 3), 'xml'));
    expect(split.code).toBe('dtd_refused');
  });

  it('refuses an entity it does not know, and names the line of broken XML', async () => {
    const entity = await readError(() => readRecords(chunks('<r>\n<row>&xxe;</row></r>'), 'xml'));
    expect(entity).toMatchObject({ code: 'invalid_xml', line: 2 });
    const broken = await readError(() => readRecords(chunks('<r>\n<row><a>1</b></row>\n</r>'), 'xml'));
    expect(broken.message).toMatch(/^line 2, column \d+: unexpected close tag/);
    const json = await readError(() => readRecords(chunks('{"a": 1}'), 'xml'));
    expect(json).toMatchObject({ code: 'invalid_xml', line: 1 });
  });

  it('bounds the text held between tags', async () => {
    async function* longText() {
      yield Buffer.from('<r><row><a>');
      for (let i = 0; i < 1000; i++) yield Buffer.from('x'.repeat(1000));
    }
    const error = await readError(() => readRecords(longText(), 'xml', {}, { maxRecordChars: 100_000 }));
    expect(error.code).toBe('record_too_large');
  });
});
