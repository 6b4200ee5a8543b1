import { loadProject } from '../../project/load-project.ts';
import { renderReview } from '../../review/render-review.ts';
import { findRule, reviewRule } from '../../review/review.ts';
import { EXIT, stringList, UsageError, type Command } from '../command.ts';

const usage = `Usage: rule-harness review <rule file | rule id> [--base <git ref>] [--format text|md|json] [--no-mutate] [--pipeline <name|file>]…

One screen for a rule under review: its stages and predicates, its indicators
with the corpus column (how many other loaded rules look for the same field,
operator and value), scenario status and the branches no case exercises,
surviving mutants, and — with --base — the rule's diff and the alerts that
appeared or disappeared on its scenarios. Ends with the next step to take.

  --base <ref>     compare with the rule as it is at this git ref (e.g. origin/main)
  --format md      Markdown, for a pull-request comment; json for tools
  --no-mutate      skip mutation testing
  --pipeline       also show the Sigma rule as this processing pipeline maps it (repeatable;
                   the pipelines its scenarios run under are always shown)
Exit 1 when a case fails or the rule cannot be evaluated.`;

export const reviewCommand: Command = {
  name: 'review',
  summary: 'review one rule: stages, indicators, scenario status, mutants, change vs a base ref',
  usage,
  options: { base: { type: 'string' }, format: { type: 'string', default: 'text' }, 'no-mutate': { type: 'boolean', default: false }, pipeline: { type: 'string', multiple: true } },
  run({ values, positionals }, io) {
    const ref = positionals[0];
    if (!ref || positionals.length > 1) throw new UsageError(`review takes exactly one rule file or id\n\n${usage}`);
    const format = String(values.format);
    if (!['text', 'md', 'json'].includes(format)) throw new UsageError(`--format must be text, md or json\n\n${usage}`);
    const project = loadProject();
    const rule = findRule(project, ref);
    if (!rule) throw new UsageError(`no rule with id or file '${ref}' under rules/`);
    const review = reviewRule(project, rule, { ...(typeof values.base === 'string' ? { base: values.base } : {}), mutate: !values['no-mutate'], pipelines: stringList(values.pipeline) });
    io.out(format === 'json' ? JSON.stringify(review, null, 2) : renderReview(review, format as 'text' | 'md'));
    const failing = [...review.cases, ...review.pipelines.flatMap((p) => p.cases)].some((c) => c.outcome === 'fail' || c.outcome === 'error' || c.outcome === 'unexpected-pass');
    return !review.evaluable || failing ? EXIT.failures : EXIT.ok;
  },
};
