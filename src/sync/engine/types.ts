/**
 * The sync engine's two ports: a source reads a stream in batches and says, with each batch, the checkpoint that
 * holds once every record up to it is committed; a target writes batches and answers only after they are committed.
 * The runner (src/sync/run) joins them: read a batch → map it → write it → save its checkpoint, so a checkpoint never
 * moves past what the target has not committed (Airbyte's STATE contract, without its per-record JSON hops).
 */

/** One record, as a source reads it and a target writes it: field name → value (nested objects allowed). */
export type SyncRecord = Record<string, unknown>;

/** A field a source knows about (for mapping checks and the console's pickers). */
export type FieldInfo = {
  name: string;
  /** A JSON-ish type: string, integer, number, boolean, timestamp, date, json, array, object, unknown. */
  type: string;
  nullable?: boolean;
};

/** A stream (REST listing, database table) as discovered from a source. */
export type StreamSpec = {
  name: string;
  /** Fields that together identify a record; never empty. */
  primaryKey: string[];
  /** The field an incremental read advances on (updated_at, a sequence), when the stream has one. */
  cursorField?: string;
  /** The read types the stream supports. */
  supports: { full: boolean; incremental: boolean; delta: boolean };
  /**
   * A full read ends on a checkpoint an incremental read continues from (the cursor's value when it started): the
   * first run of an incremental sync then reads in full, by key ranges (faster, resumable), without a full refresh's
   * deletions.
   */
  fullReadEndsAtCursor?: boolean;
  /** Known fields; empty when the source cannot say before reading (most REST listings). */
  fields: FieldInfo[];
  description?: string;
};

/**
 * A stream's checkpoint: plain JSON the source writes and reads back, stored per (config, stream) and editable by
 * people (audited). Conventional fields (sources may add their own):
 * - `cursor`: the incremental cursor value the next read starts from (inclusive).
 * - `keys_at_cursor`: primary keys already read at exactly `cursor` (dedup of the inclusive bound).
 * - `after_key`: a full read's position (last primary key written), so a killed full read resumes.
 * - `delta_token`: the vendor's delta / sync token.
 */
export type StreamState = Record<string, unknown>;

export type ReadMode = 'full' | 'incremental' | 'delta';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export type ReadRequest = {
  stream: StreamSpec;
  mode: ReadMode;
  /** The saved checkpoint, or null to start from the beginning. */
  state: StreamState | null;
  /** Incremental reads go back this far before the saved cursor (late commits, clock skew), deduplicated by key. */
  lookbackSeconds: number;
  /** A target batch size hint; a source may return fewer (a vendor page) or somewhat more. */
  batchSize: number;
  /** Aborted on cancel, on losing the lease, or when the run fails elsewhere. */
  signal: AbortSignal;
  log(level: LogLevel, message: string): void;
  /** A dry run: the records are checked and counted, never written, so a source reports every one it refuses. */
  dryRun?: boolean;
  /**
   * The target writes the whole run in one transaction, committed only at its end (StreamWriter.atomic): a source
   * that would otherwise check all of its input before anything is written (SyncSource.allOrNothing) reads it once,
   * yielding every batch, and fails the run after the last if it refused any record; the run's writes then roll back.
   */
  atomic?: boolean;
};

/**
 * A batch as PostgreSQL `COPY … TO` text, as a PostgreSQL source read it: a PostgreSQL target whose columns take these
 * values as they are writes it without decoding and re-encoding every value (StreamWriter.writeCopy).
 */
export type CopyRows = {
  /** The columns of each line, in order, with their types as `format_type` names them and their type OIDs. */
  columns: { name: string; typeName: string; typeOid: number }[];
  /** Lines of tab-separated fields, each ending in a newline. */
  text: string;
  rows: number;
};

export type SourceBatch = {
  /** The records; a source that also gives `copy` may decode them only when they are read. */
  records: SyncRecord[];
  /** The same records as COPY text, for a target that takes them as they are (an unmapped stream only). */
  copy?: CopyRows;
  /** Records the source reports removed (a delta read's tombstones), by primary key values: for StreamWriter.delete. */
  deleted?: SyncRecord[];
  /** Records the source read but refused (a file's row that breaks its schema), kept with the run with the reason. */
  rejected?: Rejected[];
  /**
   * The checkpoint once these records (and every earlier batch's) are committed; undefined: no new checkpoint
   * (e.g. inside a group of equal cursor values).
   */
  state?: StreamState;
};

export interface SyncSource {
  /** Streams (tables) the source can read, with what it knows of their fields. */
  discover(): Promise<StreamSpec[]>;
  /** Up to `limit` records of a stream, for mapping previews; reads no further than it must. */
  sample(stream: StreamSpec, limit: number, signal: AbortSignal): Promise<SyncRecord[]>;
  /** Read a stream from its checkpoint, in batches, in cursor (or key) order. */
  read(request: ReadRequest): AsyncIterable<SourceBatch>;
  close(): Promise<void>;
  /**
   * The source's records are written all or none (a file import that stops at, or rejects the file for, a bad
   * record): the run asks the target to write it in one transaction (WriteRequest.atomic); a target that cannot
   * leaves the source to check its whole input before the first write.
   */
  readonly allOrNothing?: boolean;
}

/** A record the target refused, kept with the run as a rejected record. */
export type Rejected = { record: SyncRecord; reason: string };

export type WriteOutcome = {
  created: number;
  updated: number;
  /** Unchanged records (same content hash) count as processed, neither created nor updated. */
  unchanged: number;
  rejected: Rejected[];
  /**
   * Per record written, in order: its id on the target when the target assigned it (a vendor's id for a record
   * created through its API); undefined where the record's own key is its id. Two-way syncs link records by it.
   */
  ids?: (string | undefined)[];
};

export type WriteRequest = {
  /** The target stream / table / model name (after mapping). */
  name: string;
  primaryKey: string[];
  /** Fields the mapped records carry, with types where the mapping or source knows them. */
  fields: FieldInfo[];
  /**
   * A full refresh: records are staged and applied when `finish` runs, and records the run did not see are deleted
   * as the deletion policy says; the target never shows a half-written state.
   */
  fullRefresh: boolean;
  /** The run; a resumed run has the same id, so staged work of its earlier attempt is reused. */
  executionId: string;
  deletion: DeletionPolicy;
  /**
   * Keep each record as it was before this run changed it (an import), so the run can be undone: its new records
   * removed, its changed ones restored (SyncTarget.undo). Targets that cannot keep it ignore the flag, and so does a
   * full refresh into a table (its shadow replaces the table's rows at the end); such a run is not undoable.
   */
  journal?: boolean;
  /**
   * Write the whole run in one transaction of the target, committed by `finish` and rolled back by `abort`, so it
   * is all or nothing (SyncSource.allOrNothing). A writer that does so says `atomic: true`; others ignore the flag.
   */
  atomic?: boolean;
  signal: AbortSignal;
  log(level: LogLevel, message: string): void;
};

export type DeletionPolicy = {
  /** soft: mark deleted (kept, with a deleted time); hard: remove; none: leave records the source no longer has. */
  mode: 'soft' | 'hard' | 'none';
  /** A full refresh that would delete more than this share (0–1) of the target stops with an error instead. */
  maxDeleteShare: number;
};

export interface StreamWriter {
  /** Write a batch; resolves once it is committed (or, in a full refresh, durably staged). */
  write(records: SyncRecord[]): Promise<WriteOutcome>;
  /**
   * Write a batch given as COPY text (the records unmapped), when every column takes its values as they are; answers
   * undefined, having written nothing, when they do not (other types, a value the database refuses): the caller
   * then writes the records with `write`.
   */
  writeCopy?(rows: CopyRows): Promise<WriteOutcome | undefined>;
  /** Records the source reported deleted (delta reads, tombstones), by primary key values. */
  delete?(keys: SyncRecord[]): Promise<number>;
  /** The stream read to its end: apply a full refresh (swap, deletions). Answers how many records were deleted. */
  finish(): Promise<{ deleted: number }>;
  /**
   * The run ended early: drop what only this writer holds. Staged work (a full refresh's shadow) stays for the run
   * that resumes this one (same execution id) unless `final`: the run ended for good (failed or cancelled), so
   * nothing would ever use or remove it.
   */
  abort(options?: { final?: boolean }): Promise<void>;
  /**
   * The writer took WriteRequest.atomic: no batch is committed before `finish` (its counts are not final until
   * then, and a run that stops part way starts again from the beginning), and `abort` rolls every one back.
   */
  readonly atomic?: boolean;
}

/** What undoing a run did: records it created removed, records it changed restored, records changed since kept. */
export type UndoCounts = { removed: number; restored: number; kept: number };

export type UndoRequest = {
  /** The stream's name on the target, as the run's WriteRequest named it. */
  name: string;
  /** The run that kept the journal (WriteRequest.journal). */
  executionId: string;
};

export interface SyncTarget {
  /** What the target already has for a stream name (for mapping checks); empty when it would be created. */
  describe?(name: string): Promise<FieldInfo[]>;
  open(request: WriteRequest): Promise<StreamWriter>;
  /**
   * Undo what a run that kept a journal wrote into a stream, in one transaction of the target: records it created
   * are removed, records it changed get back what they had; records changed since (by anyone) are left as they are
   * and counted as kept. Targets that keep no journal have no undo. The journal itself is the caller's to drop.
   */
  undo?(request: UndoRequest): Promise<UndoCounts>;
  close(): Promise<void>;
}

/** A failure with a stable code, ending a run (or a stream) with a clear reason. */
export class SyncError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Worth another attempt later (a vendor timeout, a dropped connection), rather than a fix by a person. */
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'SyncError';
  }
}
