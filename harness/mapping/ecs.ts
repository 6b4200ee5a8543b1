import { readFileSync } from 'node:fs';
import { ECS_TABLE_FILE } from './ecs-update.ts';
import type { EcsTable } from './ecs-table.ts';
import { IndexMapping } from './index-mapping.ts';
import { flattenProperties } from './parse-properties.ts';

let cached: IndexMapping | undefined;

/**
 * ECS as an index mapping, from the table shipped in data/ecs-fields.json
 * (regenerate with `npm run ecs:update -- <ecs_flat.yml>`). Read once per process.
 * @example ecsMapping().field('source.ip')?.mapping.type // 'ip'
 */
export function ecsMapping(): IndexMapping {
  return (cached ??= ecsMappingFrom(JSON.parse(readFileSync(ECS_TABLE_FILE, 'utf8')) as EcsTable));
}

/** An IndexMapping from an ECS table (its fields are flat: parents are listed as `object` fields of their own). */
export function ecsMappingFrom(table: EcsTable): IndexMapping {
  return IndexMapping.fromFields(flattenProperties(table.fields, ['fields']), table.source);
}
