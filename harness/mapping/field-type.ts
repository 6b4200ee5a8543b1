/**
 * Elasticsearch field types as the engines dispatch on them. The names are
 * Elasticsearch's own (mapping-types reference); `other` stands for any type
 * the engines have no semantics for (geo_point, binary, histogram, …), which
 * is kept by its Elasticsearch name in `FieldMapping.esType`.
 */
export const FIELD_TYPES = [
  'keyword', 'wildcard', 'constant_keyword', 'text', 'match_only_text', 'ip',
  'long', 'integer', 'short', 'byte', 'unsigned_long',
  'double', 'float', 'half_float', 'scaled_float',
  'date', 'date_nanos', 'boolean', 'version', 'flattened', 'object', 'nested', 'alias', 'other',
] as const;

export type FieldType = (typeof FIELD_TYPES)[number];

/** How a query term is matched against a field: the families of `FieldType` the engines compile for. */
export type TypeFamily = 'keyword' | 'text' | 'ip' | 'integer' | 'decimal' | 'date' | 'boolean' | 'version' | 'object' | 'other';

const KNOWN: ReadonlySet<string> = new Set(FIELD_TYPES);

/** The `FieldType` for an Elasticsearch type name (`other` when the engines have no semantics for it). */
export function fieldTypeOf(esType: string): FieldType {
  return KNOWN.has(esType) ? (esType as FieldType) : 'other';
}

/** The family a type belongs to. */
export function familyOf(type: FieldType): TypeFamily {
  switch (type) {
    case 'keyword':
    case 'wildcard':
    case 'constant_keyword':
    case 'flattened':
      return 'keyword';
    case 'text':
    case 'match_only_text':
      return 'text';
    case 'ip':
      return 'ip';
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
    case 'unsigned_long':
      return 'integer';
    case 'double':
    case 'float':
    case 'half_float':
    case 'scaled_float':
      return 'decimal';
    case 'date':
    case 'date_nanos':
      return 'date';
    case 'boolean':
      return 'boolean';
    case 'version':
      return 'version';
    case 'object':
    case 'nested':
      return 'object';
    case 'alias':
    case 'other':
      return 'other';
    default:
      return assertNever(type);
  }
}

function assertNever(x: never): never {
  throw new Error(`unhandled field type ${String(x)}`);
}
