import { loadProject } from '../../project/load-project.ts';
import { mutateProject } from '../../mutation/run-mutation.ts';
import { EXIT, UsageError, type Command } from '../command.ts';

const usage = `Usage: rule-harness mutate [<rule file | rule id> ...] [--threshold 0.9] [--survivors] [--format text|json]

Mutation testing: mutate each rule (swap contains / startswith / endswith, drop a
value, a field or a selection, flip and / or, remove a not, toggle case
sensitivity, widen or narrow a number, window or threshold, swap sequence steps,
drop a join key) and run every mutant against the rule's scenarios. A mutant the
scenarios do not notice "survives": a change to the rule nobody would see.

  --threshold <0..1>  exit 1 when the overall mutation score is below (default 0.9)
  --survivors         list every surviving mutant (default: the first 5 per rule)
  --format json       one JSON object per rule`;

export const mutateCommand: Command = {
  name: 'mutate',
  summary: 'mutation testing: which rule changes would the scenarios miss?',
  usage,
  options: { threshold: { type: 'string', default: '0.9' }, survivors: { type: 'boolean', default: false }, format: { type: 'string', default: 'text' } },
  run({ values, positionals }, io) {
    const threshold = Number(values.threshold);
    if (!(threshold >= 0 && threshold <= 1)) throw new UsageError(`--threshold must be a number between 0 and 1, got '${String(values.threshold)}'\n\n${usage}`);
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
    const json = values.format === 'json';
    const summary = mutateProject(project, ids, (r, i, n) => {
      if (!json) io.err(`[${i + 1}/${n}] ${r.rule.title}: ${r.killed}/${r.killed + r.survived} killed`);
    });
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
