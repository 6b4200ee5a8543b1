import { resolve } from 'node:path';
import { DEFAULT_MAX_CORPUS_BYTES, buildCorpus, writeCorpus } from '../../generator/corpus.ts';
import { loadProject } from '../../project/load-project.ts';
import { runCase } from '../../runner/verdict.ts';
import { EXIT, UsageError, type Command } from '../command.ts';
import { createProgress } from '../progress.ts';

const usage = `Usage: rule-harness generate [--seed <n>] [--runs <n>] [--max-file-kb <n>] [--out <dir>] [--rules <dir>] [--scenarios <dir>]

Write deterministic variant corpora, one per rule with scenarios, to
<out>/variants/<rule path under rules/>.json: property-based variants of
every case (with what was changed and the expected outcome) and near misses
of every positive single-event case. The suite replays them, so a behaviour
change shows up as a precise regression. Same seed and scenarios, the same
bytes: a rule's file depends only on that rule, its scenarios and the seed.
Each file is capped (--max-file-kb): past the cap every case keeps its first
entries before any gets more, the rest is left out and counted in the file's
"omitted" and in the summary.

  --seed <n>         base seed (default 1)
  --runs <n>         variants per case (default 5, so the files stay reviewable)
  --max-file-kb <n>  cap per corpus file in KiB (default ${DEFAULT_MAX_CORPUS_BYTES / 1024})
  --out <dir>        output root (default generated)`;

const CAPPED_LISTED = 20;

const int = (v: unknown, name: string): number | undefined => {
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^-?\d+$/.test(v)) throw new UsageError(`--${name} must be an integer\n\n${usage}`);
  return Number(v);
};

export const generateCommand: Command = {
  name: 'generate',
  summary: 'write deterministic variant corpora per rule into generated/variants',
  usage,
  options: {
    seed: { type: 'string' },
    runs: { type: 'string' },
    'max-file-kb': { type: 'string' },
    out: { type: 'string', default: 'generated' },
    rules: { type: 'string', default: 'rules' },
    scenarios: { type: 'string', default: 'scenarios' },
  },
  run({ values, positionals }, io) {
    if (positionals.length > 0) throw new UsageError(usage);
    const seed = int(values.seed, 'seed') ?? 1;
    const runs = int(values.runs, 'runs') ?? 5;
    const maxKb = int(values['max-file-kb'], 'max-file-kb') ?? DEFAULT_MAX_CORPUS_BYTES / 1024;
    if (maxKb <= 0) throw new UsageError(`--max-file-kb must be a positive integer\n\n${usage}`);
    const out = resolve(String(values.out));
    const project = loadProject({ rules: String(values.rules), scenarios: String(values.scenarios) });
    let files = 0;
    let variants = 0;
    let near = 0;
    const skipped: string[] = [];
    const capped: string[] = [];
    const progress = createProgress('rules', project.scenariosByRule.size);
    let done = 0;
    for (const [ruleId, scenarios] of project.scenariosByRule) {
      progress.tick(done++, ruleId);
      const detector = project.compiled.detectors.get(ruleId);
      if (!detector) {
        skipped.push(`${ruleId}: not compiled`);
        continue;
      }
      const failing = new Set(scenarios.flatMap((s) => s.cases.filter((c) => !c.knownGap && !runCase(detector, c).pass).map((c) => c.name)));
      for (const name of failing) skipped.push(`${ruleId}: case '${name}' fails as written (no variants until it passes)`);
      const corpus = buildCorpus(detector, scenarios, {
        seed,
        runs,
        ...(project.config.sigma.timestampFields ? { timestampFields: project.config.sigma.timestampFields } : {}),
        include: (c) => !failing.has(c.name),
        maxBytes: maxKb * 1024,
      });
      const path = writeCorpus(out, corpus, String(values.rules));
      if (corpus.omitted) capped.push(`${path}: ${corpus.omitted.variants} variants, ${corpus.omitted.near_misses} near misses left out`);
      files++;
      variants += corpus.variants.length;
      near += corpus.near_misses.length;
    }
    progress.finish();
    io.out(`wrote ${files} corpus file${files === 1 ? '' : 's'} under ${out}/variants: ${variants} variants, ${near} near misses (seed ${seed})`);
    if (capped.length) {
      // A corpus-size repository caps a few hundred files: list the first, count the rest (each file's `omitted` says what).
      const shown = capped.slice(0, CAPPED_LISTED);
      const more = capped.length - shown.length;
      io.out(`${capped.length} file${capped.length === 1 ? '' : 's'} reached the ${maxKb} KiB cap (--max-file-kb); what each left out is in its "omitted":\n  ${shown.join('\n  ')}${more ? `\n  … and ${more} more` : ''}`);
    }
    if (skipped.length) io.err(`skipped:\n  ${skipped.join('\n  ')}`);
    return EXIT.ok;
  },
};
