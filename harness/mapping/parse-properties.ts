import type { DocPath } from '../core/located-error.ts';
import type { FieldMapping, NullValue } from './field-mapping.ts';
import { fieldTypeOf } from './field-type.ts';

/** A structural problem in a mapping document, at a path inside it. */
export class MappingShapeError extends Error {
  constructor(
    message: string,
    readonly path: DocPath,
  ) {
    super(message);
    this.name = 'MappingShapeError';
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Flatten an Elasticsearch `properties` object into dotted field names:
 * objects and nested fields are listed themselves and their sub-properties
 * under `parent.child`. Throws MappingShapeError with the JSON path of the
 * first malformed entry.
 * @example flattenProperties({ process: { properties: { pid: { type: 'long' } } } }, ['properties'])
 *          // [['process', {type:'object',…}], ['process.pid', {type:'long',…}]]
 */
export function flattenProperties(properties: unknown, at: DocPath, prefix = ''): Array<[string, FieldMapping]> {
  if (!isRecord(properties)) throw new MappingShapeError('"properties" must be an object of field name → mapping', at);
  const out: Array<[string, FieldMapping]> = [];
  for (const [name, def] of Object.entries(properties)) {
    const here = [...at, name];
    if (!isRecord(def)) throw new MappingShapeError(`field '${prefix}${name}' must be an object with a "type" or "properties"`, here);
    const full = prefix + name;
    out.push([full, parseField(def, here, full)]);
    if (def.properties !== undefined) out.push(...flattenProperties(def.properties, [...here, 'properties'], `${full}.`));
  }
  return out;
}

/** One field definition (`{"type": "keyword", "ignore_above": 1024, "fields": {…}}`). */
export function parseField(def: Record<string, unknown>, at: DocPath, name: string): FieldMapping {
  const esType = def.type ?? (def.properties !== undefined ? 'object' : undefined);
  if (typeof esType !== 'string') throw new MappingShapeError(`field '${name}' has no "type" (and no "properties")`, at);
  const type = fieldTypeOf(esType);
  const fields: Record<string, FieldMapping> = {};
  if (def.fields !== undefined) {
    if (!isRecord(def.fields)) throw new MappingShapeError(`"fields" of '${name}' must be an object of multi-field name → mapping`, [...at, 'fields']);
    for (const [sub, subDef] of Object.entries(def.fields)) {
      if (!isRecord(subDef)) throw new MappingShapeError(`multi-field '${name}.${sub}' must be an object with a "type"`, [...at, 'fields', sub]);
      fields[sub] = parseField(subDef, [...at, 'fields', sub], `${name}.${sub}`);
    }
  }
  const num = (key: string): number | undefined => {
    const v = def[key];
    if (v === undefined) return undefined;
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) throw new MappingShapeError(`"${key}" of '${name}' must be a number`, [...at, key]);
    return n;
  };
  const str = (key: string): string | undefined => {
    const v = def[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'string') throw new MappingShapeError(`"${key}" of '${name}' must be a string`, [...at, key]);
    return v;
  };
  const scalar = (key: string): NullValue | undefined => {
    const v = def[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') throw new MappingShapeError(`"${key}" of '${name}' must be a string, number or boolean`, [...at, key]);
    return v;
  };
  const path = str('path');
  if (type === 'alias' && path === undefined) throw new MappingShapeError(`alias '${name}' has no "path"`, at);
  const m: { -readonly [K in keyof FieldMapping]: FieldMapping[K] } = { type, esType, fields };
  const ignoreAbove = num('ignore_above');
  const scalingFactor = num('scaling_factor');
  const nullValue = scalar('null_value');
  const value = scalar('value');
  const format = str('format');
  const normalizer = str('normalizer');
  if (ignoreAbove !== undefined) m.ignoreAbove = ignoreAbove;
  if (scalingFactor !== undefined) m.scalingFactor = scalingFactor;
  if (nullValue !== undefined) m.nullValue = nullValue;
  if (value !== undefined) m.value = value;
  if (format !== undefined) m.format = format;
  if (normalizer !== undefined) m.normalizer = normalizer;
  if (path !== undefined) m.path = path;
  return m;
}
