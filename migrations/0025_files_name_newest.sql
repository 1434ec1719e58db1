-- A name is looked up for its newest file (`order by id desc limit 1`). Without `id` in the index, PostgreSQL could
-- serve that order from files_folder instead and read every file of the folder, filtering on the name: an import of
-- N files into one folder then read N²/2 rows. With `id desc` here, the name's newest file is one index entry.
drop index files_name;
create index files_name on files (tenant_id, folder, name, id desc);
