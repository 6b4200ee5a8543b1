import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { requireShared } from './corpus.ts';
import { SIGMA_FOLDERS, corpusConfig } from './sigma-corpus.ts';

/** The Elastic rule folders of the corpus repository. */
const ELASTIC_FOLDERS = ['rules', 'rules_building_block'] as const;

/**
 * A rule repository of corpus size, as a team adopting rule-harness would have
 * it: the SigmaHQ rules under `rules/sigma/`, the Elastic rules under
 * `rules/elastic/`, the corpus placeholder values in `harness.config.yml`, and
 * no scenarios yet (bulk scaffolding drafts them).
 */
export function buildCorpusProject(dir: string): void {
  const sigma = requireShared('corpus/sigmahq');
  const elastic = requireShared('corpus/elastic');
  mkdirSync(join(dir, 'scenarios'), { recursive: true });
  for (const f of SIGMA_FOLDERS) if (existsSync(join(sigma, f))) cpSync(join(sigma, f), join(dir, 'rules', 'sigma', f), { recursive: true });
  for (const f of ELASTIC_FOLDERS) if (existsSync(join(elastic, f))) cpSync(join(elastic, f), join(dir, 'rules', 'elastic', f), { recursive: true });
  writeFileSync(join(dir, 'harness.config.yml'), stringify({ sigma: { placeholders: corpusConfig().sigma.placeholders } }));
}
