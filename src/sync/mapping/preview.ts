import type { StreamSpec, SyncRecord } from '../engine/types.js';
import { compileMapping, RecordRejection } from './compile.js';
import type { Mapping } from './schema.js';

/** One sample record and what the mapping makes of it, or why it would reject it. */
export type PreviewRow = { input: SyncRecord; output: SyncRecord } | { input: SyncRecord; error: string };

/**
 * Run a mapping over sample records from the source (seed 002: "test field mappings with sample data before full
 * activation"): the same compiled mapping a run uses, so the preview shows exactly what a run would write or reject.
 */
export function previewMapping(
  mapping: Mapping,
  stream: string | Pick<StreamSpec, 'name'>,
  sampleRecords: SyncRecord[],
): PreviewRow[] {
  const map = compileMapping(mapping, stream);
  return sampleRecords.map((input) => {
    try {
      return { input, output: map(input) };
    } catch (error) {
      if (error instanceof RecordRejection) return { input, error: error.reason };
      throw error;
    }
  });
}
