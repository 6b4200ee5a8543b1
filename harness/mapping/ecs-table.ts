import { load } from 'js-yaml';

/**
 * The compact ECS table: ECS's generated field list (`ecs_flat.yml`) reduced
 * to what an Elasticsearch mapping says of each field, written as flat
 * Elasticsearch field mappings (`{"type": "keyword", "ignore_above": 1024,
 * "fields": {…}}`) keyed by dotted name, one field per line, so the same
 * parser reads it as a user's mapping and a diff shows what an ECS update changed.
 */
export interface EcsTable {
  /** `ECS <version>` — the source `explain` names. */
  readonly source: string;
  readonly licence: string;
  readonly fields: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export const ECS_LICENCE_NOTE =
  'Generated from the Elastic Common Schema (elastic/ecs, generated/ecs/ecs_flat.yml), ' +
  'Copyright Elasticsearch B.V., licensed under the Apache License 2.0 (ECS-LICENSE.txt beside this file).';

/** The mapping parameters copied from each ECS field (and multi-field); the rest is documentation. */
const KEPT = ['type', 'ignore_above', 'scaling_factor', 'null_value', 'normalizer', 'index', 'doc_values', 'path'] as const;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fieldOf(def: Record<string, unknown>, where: string): Record<string, unknown> {
  if (typeof def.type !== 'string') throw new Error(`${where}: no "type"`);
  const out: Record<string, unknown> = {};
  for (const k of KEPT) if (def[k] !== undefined) out[k] = def[k];
  if (Array.isArray(def.multi_fields) && def.multi_fields.length > 0) {
    const fields: Record<string, unknown> = {};
    for (const mf of def.multi_fields) {
      if (!isRecord(mf) || typeof mf.name !== 'string') throw new Error(`${where}: a multi_fields entry has no "name"`);
      fields[mf.name] = fieldOf(mf, `${where}.${mf.name}`);
    }
    out.fields = fields;
  }
  return out;
}

/**
 * Build the table from the text of `ecs_flat.yml`.
 * @example buildEcsTable("agent.id:\n  flat_name: agent.id\n  type: keyword\n  ignore_above: 1024\n", '9.5.0')
 *          // { source: 'ECS 9.5.0', fields: { 'agent.id': { type: 'keyword', ignore_above: 1024 } }, … }
 */
export function buildEcsTable(ecsFlatYaml: string, version: string): EcsTable {
  const doc = load(ecsFlatYaml);
  if (!isRecord(doc)) throw new Error('ecs_flat.yml: expected a mapping of flat field name → definition');
  const fields: Record<string, Record<string, unknown>> = {};
  for (const name of Object.keys(doc).sort()) {
    const def = doc[name];
    if (!isRecord(def)) throw new Error(`ecs_flat.yml: '${name}' is not a field definition`);
    fields[typeof def.flat_name === 'string' ? def.flat_name : name] = fieldOf(def, name);
  }
  return { source: `ECS ${version}`, licence: ECS_LICENCE_NOTE, fields };
}

/** The table as JSON text, one field per line. */
export function printEcsTable(t: EcsTable): string {
  const lines = Object.entries(t.fields).map(([k, v]) => `    ${JSON.stringify(k)}: ${JSON.stringify(v)}`);
  return `{\n  "source": ${JSON.stringify(t.source)},\n  "licence": ${JSON.stringify(t.licence)},\n  "fields": {\n${lines.join(',\n')}\n  }\n}\n`;
}
