import type { ElasticConfig } from '../config.ts';
import { ecsMapping } from './ecs.ts';
import { IndexMapping } from './index-mapping.ts';
import { MappingSelector } from './index-patterns.ts';
import { loadMappingFile } from './load-mapping.ts';

/**
 * The mapping selector of a project: ECS, with the `elastic.mappings` files of
 * harness.config.yml layered over it by index pattern. Each file is read
 * once; a missing or malformed file is a HarnessError naming it.
 */
export function configuredMappings(config: ElasticConfig | undefined): MappingSelector {
  const loaded = new Map<string, IndexMapping>();
  const load = (f: string): IndexMapping => {
    let m = loaded.get(f);
    if (!m) loaded.set(f, (m = loadMappingFile(f)));
    return m;
  };
  const entries = (config?.mappings ?? []).map((e) => ({ pattern: e.pattern, mapping: e.files.reduce((acc, f) => load(f).over(acc), IndexMapping.EMPTY) }));
  return new MappingSelector(ecsMapping(), entries);
}

/** ECS with the given mapping files layered over it (in order): `match --mapping`. */
export function mappingWithFiles(files: readonly string[]): IndexMapping {
  return files.reduce((acc, f) => loadMappingFile(f).over(acc), ecsMapping());
}
