import { describe, expect, it } from 'vitest';
import { fileFormatSchema, parseFormatOptions } from './formats.js';

describe('format options', () => {
  it('fill every default, TSV with a tab', () => {
    expect(parseFormatOptions('csv')).toMatchObject({ delimiter: ',', quote: '"', header: true, null_values: [''] });
    expect(parseFormatOptions('tsv', { quote: '' })).toMatchObject({ delimiter: '\t', quote: '' });
    expect(fileFormatSchema.parse({ format: 'tsv' })).toMatchObject({ options: { delimiter: '\t' } });
    expect(fileFormatSchema.parse({ format: 'xml' })).toMatchObject({
      options: { namespaces: 'strip', text_field: '#text' },
    });
  });

  it('refuse options that cannot work, naming each', () => {
    const result = fileFormatSchema.safeParse({
      format: 'csv',
      options: { delimiter: ';;', true_values: ['y'], false_values: ['y'], bogus: 1 },
    });
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((i) => i.message).join('\n');
    expect(messages).toMatch(/one character/);
    expect(messages).toMatch(/bogus/);
    expect(() => parseFormatOptions('json', { record_path: 'items[0]' })).toThrow(/object keys only/);
    expect(() => parseFormatOptions('xml', { record_element: 'a b' })).toThrow(/not an element path/);
    expect(
      parseFormatOptions('xml', { record_element: '/feed/{http://www.w3.org/2005/Atom}entry' }).record_element,
    ).toBe('/feed/{http://www.w3.org/2005/Atom}entry');
  });
});
