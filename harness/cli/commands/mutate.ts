import { loadProject } from '../../project/load-project.ts';
import { mutateProject } from '../../mutation/run-mutation.ts';
import { hashOf } from '../../core/hash.ts';
import type { Project } from '../../project/load-project.ts';
import { EXIT, UsageError, type Command } from '../command.ts';
import { createProgress, type Progress } from '../progress.ts';

/** `n` of the tested, evaluable rules (of `within`, when given), the same ones every run: lowest id hashes first. */
function sampleRules(project: Project, n: number, within: ReadonlySet<string> | undefined): Set<string> {
  const tested = project.rules.rules.filter((r) => project.scenariosByRule.has(r.id) && project.compiled.detectors.has(r.id) && (!within || within.has(r.id)));
  return new Set(tested.map((r) => r.id).sort((a, b) => hashOf(a) - hashOf(b) || a.localeCompare(b)).slice(0, n));
}

const usage = `Usage: rule-harness mutate [<rule file | rule id> ...] [--sample <n>] [--threshold 0.9] [--survivors] [--format text|json]

Mutation testing: mutate each rule (swap contains / startswith / endswith, drop a
value, a field or a selection, flip and / or, remove a not, toggle case
sensitivity, widen or narrow a number, window or threshold, swap sequence steps,
drop a join key) and run every mutant against the rule's scenarios. A mutant the
scenarios do not notice "survives": a change to the rule nobody would see.

  --sample <n>        mutate n of the tested rules, picked by rule id hash (the same n
                      rules every run): a quick score for a large repository
  --threshold <0..1>  exit 1 when the overall mutation score is below (default 0.9)
  --survivors         list every surviving mutant (default: the first 5 per rule)
  --format json       one JSON object per rule`;

export const mutateCommand: Command = {
  name: 'mutate',
  summary: 'mutation testing: which rule changes would the scenarios miss?',
  usage,
  options: { sample: { type: 'string' }, threshold: { type: 'string', default: '0.9' }, survivors: { type: 'boolean', default: false }, format: { type: 'string', default: 'text' } },
  run({ values, positionals }, io) {
    const threshold = Number(values.threshold);
    if (!(threshold >= 0 && threshold <= 1)) throw new UsageError(`--threshold must be a number between 0 and 1, got '${String(values.threshold)}'\n\n${usage}`);
    if (values.sample !== undefined && !/^[1-9]\d*$/.test(String(values.sample))) throw new UsageError(`--sample must be a positive whole number, got '${String(values.sample)}'\n\n${usage}`);
    const project = loadProject();
    let ids: Set<string> | undefined;
    if (positionals.length > 0) {
      ids = new Set();
      for (const p of positionals) {
        const hits = project.rules.rules.filter((r) => r.id === p || r.source.file === p || r.source.file.endsWith(`/${p}`));
        if (hits.length === 0) throw new UsageError(`no rule with id or file '${p}'`);
        for (const h of hits) ids.add(h.id);
      }
    }
    if (values.sample !== undefined) ids = sampleRules(project, Number(values.sample), ids);
    const json = values.format === 'json';
    let progress: Progress | undefined;
    const summary = mutateProject(project, ids, (r, i, n) => {
      if (json) return;
      // A line per rule for a few rules; a progress bar (or a line per tenth) for many.
      if (n <= 50) io.err(`[${i + 1}/${n}] ${r.rule.title}: ${r.killed}/${r.killed + r.survived} killed`);
      else (progress ??= createProgress('rules', n)).tick(i + 1, r.rule.title);
    });
    progress?.finish();
    for (const r of summary.rules) {
      const survivors = r.outcomes.filter((o) => o.status === 'survived');
      if (json) {
        io.out(JSON.stringify({ rule: r.rule.id, title: r.rule.title, file: r.rule.source.file, mutants: r.outcomes.length, killed: r.killed, survived: r.survived, invalid: r.invalid, score: r.score, survivors: survivors.map((o) => ({ operator: o.mutant.operator, mutation: o.mutant.description })) }));
        continue;
      }
      if (survivors.length === 0) continue;
      io.out(`${r.rule.source.file} — ${r.rule.title} [${r.rule.id}]: score ${(r.score * 100).toFixed(0)}% (${r.killed} killed, ${r.survived} survived)`);
      for (const o of values.survivors ? survivors : survivors.slice(0, 5)) io.out(`  survived: ${o.mutant.description}`);
      if (!values.survivors && survivors.length > 5) io.out(`  … ${survivors.length - 5} more (--survivors)`);
    }
    if (!json) io.out(`mutation score ${(summary.score * 100).toFixed(1)}%: ${summary.killed} killed, ${summary.survived} survived over ${summary.rules.length} rules (threshold ${(threshold * 100).toFixed(0)}%)`);
    return summary.score >= threshold ? EXIT.ok : EXIT.failures;
  },
};
