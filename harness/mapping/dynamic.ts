import type { FieldMapping } from './field-mapping.ts';

/**
 * The mapping Elasticsearch gives a field it has not seen, from the JSON type
 * of its first value, in the indices Elastic rules run on (`logs-*-*` with the
 * `ecs@mappings` component template):
 * - string → `keyword`, `ignore_above: 1024` (ecs@mappings' `all_strings_to_keywords`
 *   dynamic template; logs@mappings turns `date_detection` off, so no date guess);
 * - whole number → `long`, fraction → `float`, true/false → `boolean`,
 *   object → `object` (Elasticsearch's dynamic field mapping table);
 * - arrays take the type of their first non-null element; null maps nothing.
 * Sources: x-pack/plugin/core/template-resources/src/main/resources/ecs@mappings.json;
 * https://www.elastic.co/guide/en/elasticsearch/reference/current/dynamic-field-mapping.html
 * @example dynamicMapping(3).type // 'long'
 */
export function dynamicMapping(value: unknown): FieldMapping | undefined {
  if (Array.isArray(value)) {
    for (const v of value) {
      const m = dynamicMapping(v);
      if (m) return m;
    }
    return undefined;
  }
  switch (typeof value) {
    case 'string':
      return KEYWORD;
    case 'number':
      return Number.isInteger(value) ? LONG : FLOAT;
    case 'boolean':
      return BOOLEAN;
    case 'object':
      return value === null ? undefined : OBJECT;
    default:
      return undefined;
  }
}

const KEYWORD: FieldMapping = { type: 'keyword', esType: 'keyword', fields: {}, ignoreAbove: 1024 };
const LONG: FieldMapping = { type: 'long', esType: 'long', fields: {} };
const FLOAT: FieldMapping = { type: 'float', esType: 'float', fields: {} };
const BOOLEAN: FieldMapping = { type: 'boolean', esType: 'boolean', fields: {} };
const OBJECT: FieldMapping = { type: 'object', esType: 'object', fields: {} };
