import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
 * no scenarios yet (bulk scaffolding drafts them). A few Elastic rules reuse
 * the id of a SigmaHQ rule; one repository cannot hold both, so those Elastic
 * files are left out (returned, to be said).
 */
export function buildCorpusProject(dir: string): { leftOut: string[] } {
  const sigma = requireShared('corpus/sigmahq');
  const elastic = requireShared('corpus/elastic');
  mkdirSync(join(dir, 'scenarios'), { recursive: true });
  for (const f of SIGMA_FOLDERS) if (existsSync(join(sigma, f))) cpSync(join(sigma, f), join(dir, 'rules', 'sigma', f), { recursive: true });
  for (const f of ELASTIC_FOLDERS) if (existsSync(join(elastic, f))) cpSync(join(elastic, f), join(dir, 'rules', 'elastic', f), { recursive: true });
  writeFileSync(join(dir, 'harness.config.yml'), stringify({ sigma: { placeholders: corpusConfig().sigma.placeholders } }));
  return { leftOut: dropDuplicateIds(dir) };
}

const filesUnder = (root: string, ext: RegExp): string[] => (existsSync(root) ? readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => ext.test(f)).map((f) => join(root, f)) : []);

/** Remove the Elastic rule files whose `rule_id` a Sigma rule already uses; their paths relative to `dir`. */
function dropDuplicateIds(dir: string): string[] {
  const sigmaIds = new Set(filesUnder(join(dir, 'rules', 'sigma'), /\.ya?ml$/).flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/^id:\s*['"]?([0-9a-fA-F-]{36})/gm)].map((m) => m[1]!.toLowerCase())));
  const dropped: string[] = [];
  for (const f of filesUnder(join(dir, 'rules', 'elastic'), /\.toml$/)) {
    const id = /^rule_id\s*=\s*"([^"]+)"/m.exec(readFileSync(f, 'utf8'))?.[1]?.toLowerCase();
    if (id !== undefined && sigmaIds.has(id)) {
      rmSync(f);
      dropped.push(f.slice(dir.length + 1));
    }
  }
  return dropped;
}
