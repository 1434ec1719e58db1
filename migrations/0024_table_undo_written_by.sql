-- A batch copied straight into an empty table created every row it wrote, all as one row version: the journal keeps
-- its keys and that version once (`written_by`), with `priors` and `written` left empty, instead of two arrays of one
-- repeated value. Resolving a run's entries reads a missing prior as none and a missing digest as `written_by`.
alter table sync_table_undo_batches add column written_by text;
