import { existsSync, readFileSync } from 'node:fs';
import { HarnessError } from '../../core/diagnostics.ts';
import { readEvents } from '../../events/read-events.ts';
import { ecsMapping, type IndexMapping } from '../../mapping/index.ts';
import type { EsqlIndex } from './commands/stage.ts';
import { indexFromCsv } from './csv-spec/data-csv.ts';
import { indexFromEvents, type FieldTypes } from './events-index.ts';

/** The mapping layer as ES|QL field types: the mapping's type, else Elasticsearch's dynamic mapping of the value. */
export function mappingFieldTypes(m: IndexMapping): FieldTypes {
  return {
    typeOf: (field, sample) => {
      const f = m.resolve(field, sample);
      if (f === undefined) return undefined;
      const mp = f.mapping;
      return { type: mp.esType, ...(mp.scalingFactor !== undefined ? { scalingFactor: mp.scalingFactor } : {}), ...(mp.value !== undefined ? { value: mp.value } : {}) };
    },
    names: () => m.names(),
  };
}

/**
 * An index from a file: an Elasticsearch csv-spec data CSV (`name:type`
 * headers, which are authoritative), or JSON events (JSON Lines or an array)
 * typed by `mapping` (default ECS) and extended by the mapped fields in `wanted`.
 */
export function loadIndexFile(name: string, file: string, mapping: IndexMapping | undefined, wanted: Iterable<string>): EsqlIndex {
  if (file.endsWith('.csv')) {
    if (!existsSync(file)) throw new HarnessError([{ code: 'esql/index', severity: 'error', message: `cannot read index ${name}: ${file} does not exist`, span: { file, line: 1, column: 1 } }]);
    return indexFromCsv(name, readFileSync(file, 'utf8'));
  }
  return indexFromEvents(name, readEvents(file), mappingFieldTypes(mapping ?? ecsMapping()), wanted);
}
