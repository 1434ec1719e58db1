/** Field mappings of a sync: schema, compile, checks and preview (see each module). */
export { castTypes, type CastType } from './cast.js';
export { assertMappingFits, checkMapping, mappedFields, mappedPrimaryKey, type MappingProblem } from './check.js';
export { compileMapping, mapRecords, RecordRejection, type RecordMapper } from './compile.js';
export { parsePath, type ParsedPath } from './path.js';
export { previewMapping, type PreviewRow } from './preview.js';
export { fieldMappingSchema, fieldsForStream, mappingSchema, type FieldMapping, type Mapping } from './schema.js';
