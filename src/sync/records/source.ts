import type { Db } from '../../core/db/port.js';
import { TENANT_MODEL_ID } from './sql.js';
import type { FieldInfo, ReadRequest, SourceBatch, StreamSpec, SyncRecord, SyncSource } from '../engine/types.js';

/** The key a record-store record is read with: the id it is stored under (its source's primary key). */
export const RECORD_ID = '_record_id';

/**
 * The record store of one connection as a sync source (outbound syncs push what inbound syncs stored). Streams are
 * its models. Records are read in change order (`seq`, which moves on every change), so an incremental read is the
 * change feed itself: it starts after the last `seq` it saw, with no boundary to get wrong (seq values are unique).
 * Records deleted in the store are not read. Each record carries its store id as `_record_id`.
 */
export function createRecordStoreSource(deps: { db: Db; tenantId: string; connectionId: string }): SyncSource {
  const { db, tenantId, connectionId } = deps;

  return {
    async discover(): Promise<StreamSpec[]> {
      const { rows } = await db.query<{ model: string; fields: { name: string; type: string }[] | null }>(
        `select m.model,
                (select jsonb_agg(distinct jsonb_build_object('name', k.key, 'type', json_typeof(k.value)))
                   from (select data from sync_records s where s.model_id = m.id and s.deleted_at is null limit 100) d,
                        json_each(d.data) k) as fields
           from sync_models m
          where m.tenant_id = $1 and m.connection_id = $2 and exists (select 1 from sync_records r where r.model_id = m.id)
          order by m.model`,
        [tenantId, connectionId],
      );
      return rows.map((r) => ({
        name: r.model,
        primaryKey: [RECORD_ID],
        cursorField: '_seq',
        supports: { full: true, incremental: true, delta: false },
        fields: [{ name: RECORD_ID, type: 'string' }, ...fieldTypes(r.fields ?? [])],
        description: `Records stored for the model ${r.model}`,
      }));
    },

    async sample(stream: StreamSpec, limit: number): Promise<SyncRecord[]> {
      const { rows } = await db.query<{ record_id: string; data: SyncRecord }>(
        `select record_id, data from sync_records
          where model_id = ${TENANT_MODEL_ID} and deleted_at is null
          order by seq desc limit $4`,
        [connectionId, stream.name, tenantId, limit],
      );
      return rows.map((r) => ({ [RECORD_ID]: r.record_id, ...r.data }));
    },

    async *read(request: ReadRequest): AsyncIterable<SourceBatch> {
      let after = Number(request.state?.cursor ?? 0);
      for (;;) {
        request.signal.throwIfAborted();
        const { rows } = await db.query<{ record_id: string; data: SyncRecord; seq: string }>(
          `select record_id, data, seq::text from sync_records
            where model_id = ${TENANT_MODEL_ID} and seq > $4 and deleted_at is null
            order by seq limit $5`,
          [connectionId, request.stream.name, tenantId, after, request.batchSize],
        );
        if (rows.length === 0) return;
        after = Number((rows.at(-1) as { seq: string }).seq);
        yield { records: rows.map((r) => ({ [RECORD_ID]: r.record_id, ...r.data })), state: { cursor: after } };
        if (rows.length < request.batchSize) return;
      }
    },

    async close(): Promise<void> {},
  };
}

/** One type per field: the JSON type most records have (a field both null and a string is a string). */
function fieldTypes(seen: { name: string; type: string }[]): FieldInfo[] {
  const byName = new Map<string, Set<string>>();
  for (const f of seen) {
    if (!byName.has(f.name)) byName.set(f.name, new Set());
    byName.get(f.name)?.add(f.type);
  }
  return [...byName].map(([name, types]) => {
    const real = [...types].filter((t) => t !== 'null');
    const type =
      real.length === 1 ? (real[0] === 'number' ? 'number' : (real[0] as string)) : real.length ? 'json' : 'unknown';
    return { name, type, nullable: types.has('null') };
  });
}
