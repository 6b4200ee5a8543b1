import { loadConfig } from '../config.ts';
import { HarnessError, type Diagnostic } from '../core/diagnostics.ts';
import type { Detector } from '../core/detector.ts';
import { compileRuleSet } from '../engines/registry.ts';
import { loadRules } from '../rules/load.ts';
import { pipelineOf } from '../engines/sigma/pipeline/builtin.ts';

const REJECTED = 'sigma/pipeline-rejected';

export interface LoadedDetectors {
  readonly detectors: readonly Detector[];
  /** Rules that raise alerts of their own (correlation bases with generate: false do not). */
  readonly alerting: readonly Detector[];
  readonly diagnostics: readonly Diagnostic[];
  readonly texts: ReadonlyMap<string, string>;
  /** Rules the pipeline rejects, with its reason (not input errors: they are not evaluable under it). */
  readonly rejected: readonly Diagnostic[];
}

/**
 * Load and compile the rules under a file or directory for a CLI command: Sigma
 * rules under the pipelines named, if any; `mappingFiles` (match --mapping) type
 * every Elastic rule's fields, over the configured mappings.
 */
export function loadDetectors(path: string, pipelines: readonly string[] = [], mappingFiles: readonly string[] = []): LoadedDetectors {
  let set;
  try {
    set = loadRules(path);
  } catch (e) {
    throw new HarnessError([{ code: 'rules/unreadable', severity: 'error', message: `cannot read rules: ${(e as Error).message}`, span: { file: path, line: 1, column: 1 } }]);
  }
  const config = loadConfig();
  const extra = mappingFiles.length ? [{ pattern: '*', files: mappingFiles }] : [];
  const compiled = compileRuleSet(set, extra.length ? { ...config, elastic: { mappings: [...(config.elastic?.mappings ?? []), ...extra] } } : config, pipelineOf(pipelines));
  const detectors = [...compiled.detectors.values()];
  return {
    detectors,
    alerting: detectors.filter((d) => !compiled.silentBases.has(d.rule.id)),
    diagnostics: [...set.diagnostics, ...compiled.diagnostics.filter((d) => d.code !== REJECTED)],
    texts: set.texts,
    rejected: compiled.diagnostics.filter((d) => d.code === REJECTED),
  };
}
