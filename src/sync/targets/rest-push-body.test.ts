import { describe, expect, it } from 'vitest';
import { fillTemplate, recordFields, type Write } from './rest-push-body.js';

// Write templates: where a vendor wants a record's fields at the top level of each input beside keys of its own
// (Salesforce's sObject Collections: {attributes: {type}, id, ...fields}), `"...": "{{record}}"` spreads them.
const write = { id_field: 'Id', encoding: 'json' } as Write;

describe('fillTemplate', () => {
  it('spreads the record’s fields beside the object’s own keys, which win over a field of the same name', () => {
    const template = { '...': '{{record}}', attributes: { type: 'Contact' }, id: '{{record.Id}}' };
    // A record read from Salesforce carries its own attributes (with a url); the template's are the ones sent.
    const record = { Id: '003A', LastName: 'Lovelace', attributes: { type: 'Contact', url: '/sobjects/Contact/003A' } };
    const filled = fillTemplate(template, { fields: recordFields(write, template, record), record });
    expect(filled).toEqual({ LastName: 'Lovelace', attributes: { type: 'Contact' }, id: '003A' });
    // A create has no Id: the id key is left out of what is sent.
    const created = fillTemplate(template, { fields: { LastName: 'Hopper' }, record: { LastName: 'Hopper' } });
    expect(JSON.parse(JSON.stringify(created))).toEqual({ LastName: 'Hopper', attributes: { type: 'Contact' } });
  });

  it('a spread is not a wrapping key: the record’s fields are not unwrapped from one of them', () => {
    const template = { '...': '{{record}}', id: '{{record.Id}}' };
    const record = { Id: '1', properties: { name: 'x' } };
    expect(recordFields(write, template, record)).toEqual({ properties: { name: 'x' } });
    expect(recordFields(write, { properties: '{{record}}' }, record)).toEqual({ name: 'x' });
  });
});
