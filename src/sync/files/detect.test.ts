import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detectFile, detectFormat } from './detect.js';

const detect = (text: string | Buffer, hints = {}) =>
  detectFormat(typeof text === 'string' ? Buffer.from(text) : text, hints, { complete: true });

describe('format detection', () => {
  it('finds the CSV delimiter and a header row from typed columns', () => {
    const semicolons = detect('id;name;price\n1;"a;b";2.5\n2;c;3\n3;d;4\n');
    expect(semicolons).toMatchObject({ format: 'csv', options: { delimiter: ';', header: true } });
    expect(semicolons.reasons.join('\n')).toMatch(/splits 100% of the first 4 rows into 3 fields/);
    expect(detect('a\tb\n1\t2\n3\t4\n')).toMatchObject({ format: 'tsv', options: { header: true } });
    expect(detect('1,2,3\n4,5,6\n7,8,9\n')).toMatchObject({ format: 'csv', options: { header: false } });
    expect(detect('name,city\nAnn,Paris\nBob,Oslo\n')).toMatchObject({ options: { header: true } });
    expect(detect('Ann,Paris\nBob,Paris\n').options.header).toBe(false);
  });

  it('tells JSON from NDJSON, and finds the record path', () => {
    expect(detect('[{"a":1},{"a":2}]')).toMatchObject({ format: 'json', options: {} });
    expect(detect('{"a":1}\n{"a":2}\n')).toMatchObject({ format: 'ndjson' });
    expect(detect('{"meta":{"n":[1]},"data":{"items":[ {"a":1} ]}}')).toMatchObject({
      format: 'json',
      options: { record_path: 'data.items' },
    });
  });

  it('finds the XML record element and warns of a DTD', () => {
    const xml = detect('<?xml version="1.0"?>\n<!-- x -->\n<rows><row id="1"/><row id="2"/></rows>');
    expect(xml).toMatchObject({ format: 'xml', options: { record_element: 'row' }, confidence: 0.95 });
    expect(detect('<!DOCTYPE x [<!ENTITY a "b">]><x><y/></x>').warnings).toContain(
      'the file declares a DTD, which the reader refuses',
    );
  });

  it('reads the encoding from a BOM, UTF-16 zeros, or invalid UTF-8', () => {
    expect(detect(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,b\n1,2\n', 'utf16le')]))).toMatchObject({
      format: 'csv',
      options: { encoding: 'utf-16le' },
    });
    expect(detect(Buffer.from('a,b\n1,2\n', 'utf16le')).options.encoding).toBe('utf-16le');
    expect(detect(Buffer.from('name\nRenée\n', 'latin1')).options.encoding).toBe('windows-1252');
  });

  it('refuses what is not text, and says when the name disagrees with the content', async () => {
    expect(detect(gzipSync('a,b\n'), { fileName: 'x.csv' })).toMatchObject({
      format: undefined,
      error: 'the file is a gzip archive, not text',
    });
    expect(detect('{"a":1}\n{"a":2}\n', { fileName: 'people.csv' }).warnings).toEqual([
      'the name or media type says CSV, the content looks like NDJSON',
    ]);
    async function* big() {
      for (let i = 0; i < 1000; i++) yield Buffer.from('id,name\n' + '1,"x"\n'.repeat(100));
    }
    expect(await detectFile(big(), { mediaType: 'text/csv; charset=utf-8' })).toMatchObject({ format: 'csv' });
  });
});
