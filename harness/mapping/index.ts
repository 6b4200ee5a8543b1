/**
 * The field-mapping layer: what a field is in an Elasticsearch index, shared
 * by the Elastic engines (KQL, Lucene, EQL, ES|QL).
 *
 * - `ecsMapping()` — ECS, from the table shipped in data/ecs-fields.json
 *   (`npm run ecs:update -- <ecs_flat.yml>` regenerates it);
 * - `loadMappingFile(file)` / `parseMapping(text, file)` — an Elasticsearch
 *   mapping document: `{"properties"}`, `{"mappings"}` (index template body),
 *   `{"template": {"mappings"}}` (component template) or a GET _mapping response;
 * - `IndexMapping` — `field(name)` answers type, multi-fields, ignore_above,
 *   null_value, date format, alias path and which source defined it;
 *   `resolve(name, value)` adds the dynamic mapping of unmapped fields;
 *   `a.over(b)` layers mappings (a project's own over ECS);
 * - `indexValue(mapping)` — what a field indexes for a source value (coercion,
 *   ignore_above, date format, canonical IPs; `NOT_INDEXED` when nothing),
 *   `dateParser(format)`, `compareVersions(a, b)`: the typing primitives the
 *   engines share (docs/typing.md).
 *
 * @example
 * import { ecsMapping, loadMappingFile } from '../mapping/index.ts';
 * const mapping = loadMappingFile('mappings/okta.json').over(ecsMapping());
 * mapping.field('source.ip')?.mapping.type            // 'ip' (from ECS)
 * mapping.field('process.command_line.text')?.sourcePath // 'process.command_line'
 * mapping.resolve('okta.debug', 'x')?.via                 // 'dynamic'
 */
export { ecsMapping } from './ecs.ts';
export type { FieldMapping, MappedField, MappedVia, NullValue } from './field-mapping.ts';
export { familyOf, FIELD_TYPES, fieldTypeOf, type FieldType, type TypeFamily } from './field-type.ts';
export { dynamicMapping } from './dynamic.ts';
export { IndexMapping } from './index-mapping.ts';
export { loadMappingFile, parseMapping } from './load-mapping.ts';
export { dateBoundParser, dateParser } from './date-format.ts';
export { indexValue, NOT_INDEXED, type IndexValue } from './indexed-value.ts';
export { compareVersions } from './typed-values.ts';
