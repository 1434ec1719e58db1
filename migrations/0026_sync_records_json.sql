-- The record store keeps each record's canonical JSON (records/canonical.ts: keys sorted, one text per content) as
-- `json`, not `jsonb`. The text is checked as JSON on the way in and kept as written; jsonb parsed it into its binary
-- form, which was the largest single cost of a write: a COPY of 200,000 records took 1.4–2.1 s of the server's CPU
-- as jsonb and 1.05–1.15 s as json. Readers parse the text as they did the jsonb's. What the store did with
-- jsonb's operators (the fields of a model) is done by json's. The undo journal keeps the same type.
alter table sync_records alter column data type json using data::json;
alter table sync_record_undo alter column data type json using data::json;
