import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HarnessConfig } from '../config.ts';
import type { Detector } from '../core/detector.ts';
import { requireShared } from './corpus.ts';

/** The SigmaHQ rule folders the benchmark loads (about 3,780 rules). */
export const SIGMA_FOLDERS = ['rules', 'rules-emerging-threats', 'rules-threat-hunting', 'rules-placeholder'] as const;

/** The example placeholder values the corpus gate uses for SigmaHQ's rules-placeholder. */
export function corpusConfig(): HarnessConfig {
  const placeholders = JSON.parse(readFileSync(join(import.meta.dirname, '../suite/corpus-placeholders.json'), 'utf8')) as Record<string, string[]>;
  delete placeholders['//'];
  return { sigma: { placeholders } };
}

/** A function that loads and compiles the whole SigmaHQ corpus (under processing pipelines, if named), counting rules and detectors. */
export async function sigmaCorpusLoader(pipelines: readonly string[] = []): Promise<() => { rules: number; compiled: number; detectors: Detector[] }> {
  const [{ loadRules }, { compileRuleSet }, { pipelineOf }] = await Promise.all([import('../rules/load.ts'), import('../engines/registry.ts'), import('../engines/sigma/pipeline/builtin.ts')]);
  const config = corpusConfig();
  const pipeline = pipelineOf(pipelines);
  const root = requireShared('corpus/sigmahq');
  return () => {
    let rules = 0;
    const detectors: Detector[] = [];
    for (const f of SIGMA_FOLDERS) {
      const set = loadRules(join(root, f));
      const c = compileRuleSet(set, config, pipeline);
      rules += set.rules.length;
      detectors.push(...c.detectors.values());
    }
    return { rules, compiled: detectors.length, detectors };
  };
}
