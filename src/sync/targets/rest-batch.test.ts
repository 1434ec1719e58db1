import { describe, expect, it } from 'vitest';
import { readBatchAnswer, type BatchWrite } from './rest-batch.js';
import type { Write } from './rest-push-body.js';

// The batch answer reader on the other documented shape: one result per input, in the inputs' order, each saying
// whether it was written (Salesforce's sObject Collections answer SaveResults "in the order in which the create
// requests were specified", {id, success, errors: [{statusCode, message, fields}]}:
// https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-sobjects-collections-create.html).
// Zoho CRM's insert and update answer the same way under $.data (Zoho's OpenAPI, v8.0 createRecords: "the Response
// JSON array maintains the same order as the input records"). HubSpot's shape (refs echoed, refusals listed apart) is
// covered end to end in sources/rest/hubspot-writes.test.ts, Salesforce's and Zoho's in salesforce-writes.test.ts and
// zoho-writes.test.ts.
const write = { id_field: 'Id', encoding: 'json' } as Write;
const positional: BatchWrite = {
  max: 200,
  create: { method: 'POST', path: '/composite/sobjects', input: '{{record}}' },
  body: { allOrNone: false, records: '{{inputs}}' },
  results: {
    path: '$',
    in_order: true,
    id_path: '$.id',
    success: { path: '$.success', equals: true },
    error_path: '$.errors[0].message',
  },
};
const answer = (json: unknown) => Buffer.from(JSON.stringify(json));
/** Creates answered as Salesforce's collections answer: one result per input, in order. */
const readCreates = (records: Record<string, unknown>[], status: number, body: Buffer) =>
  readBatchAnswer(positional, write, 'create', records, status, body);

describe('readBatchAnswer', () => {
  it('matches results by position and rejects the ones that say they failed, with their message', () => {
    const records = [{ Name: 'A' }, { Name: 'B' }, { Name: 'C' }];
    const read = readCreates(
      records,
      200,
      answer([
        { id: '001A', success: true, errors: [] },
        { success: false, errors: [{ statusCode: 'DUPLICATES_DETECTED', message: 'Use one of these records?' }] },
        { id: '001C', success: true, errors: [] },
      ]),
    );
    expect(read).toEqual([
      { outcome: 'created', id: '001A' },
      { rejected: { record: records[1], reason: 'Use one of these records?' } },
      { outcome: 'created', id: '001C' },
    ]);
  });

  it('leaves undecided what the answer does not account for: a list of another length, a refusal of the call, a body not JSON', () => {
    const records = [{ Name: 'A' }, { Name: 'B' }];
    // One result for two inputs: it could be either's, so neither is taken as written.
    const short = readCreates(records, 200, answer([{ id: '001A', success: true }]));
    expect(short).toEqual([undefined, undefined]);
    const long = readCreates(
      records,
      200,
      answer([
        { id: '001A', success: true },
        { id: '001B', success: true },
        { id: '001C', success: true },
      ]),
    );
    expect(long).toEqual([undefined, undefined]);
    const refused = answer([{ errorCode: 'JSON_PARSER_ERROR', message: 'Unexpected character' }]);
    expect(readCreates(records, 400, refused)).toEqual([undefined, undefined]);
    expect(readCreates(records, 200, Buffer.from('<html>'))).toEqual([undefined, undefined]);
  });

  it('Zoho’s shape: a 207’s data[i] refuses its record with Zoho’s message; a 400’s list is not read by position', () => {
    const zoho: BatchWrite = {
      max: 100,
      create: { method: 'POST', path: '/Contacts', input: '{{record}}' },
      body: { data: '{{inputs}}' },
      results: {
        path: '$.data',
        in_order: true,
        id_path: '$.details.id',
        success: { path: '$.status', equals: 'success' },
        error_path: '$.message',
      },
    };
    const records = [{ Email: 'a@example.com' }, { Last_Name: 'Hopper' }];
    const mandatory = {
      code: 'MANDATORY_NOT_FOUND',
      details: { api_name: 'Last_Name' },
      message: 'required field not found',
      status: 'error',
    };
    const added = {
      code: 'SUCCESS',
      details: { id: '4150868000000624001' },
      message: 'record added',
      status: 'success',
    };
    expect(readBatchAnswer(zoho, write, 'create', records, 207, answer({ data: [mandatory, added] }))).toEqual([
      { rejected: { record: records[0], reason: 'required field not found' } },
      { outcome: 'created', id: '4150868000000624001' },
    ]);
    // Zoho answers 400 when no record was written; its samples list one error for the call, not one per record.
    expect(readBatchAnswer(zoho, write, 'create', records, 400, answer({ data: [mandatory] }))).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('an update is answered with the id it was sent, not one the result claims', () => {
    const records = [{ Id: '001A', Name: 'A' }];
    const update = { ...positional, update: positional.create };
    expect(readBatchAnswer(update, write, 'update', records, 200, answer([{ id: '001Z', success: true }]))).toEqual([
      { outcome: 'updated', id: '001A' },
    ]);
  });
});
