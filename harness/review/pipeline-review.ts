/**
 * The review's pipeline section: for each processing pipeline the rule's
 * scenarios run under (or `review --pipeline` names), the rule as mapped
 * (which field became which, the conditions added) and each case's outcome
 * on the events translated for it.
 */
import type { Rule } from '../core/rule.ts';
import { pipelineMappingOf } from '../engines/sigma/index.ts';
import { NO_PIPELINE } from '../engines/sigma/pipeline/builtin.ts';
import { renderMapping } from '../engines/sigma/pipeline/render.ts';
import type { Project } from '../project/load-project.ts';
import { PipelineRuns } from '../runner/pipeline-runs.ts';
import { runCase } from '../runner/verdict.ts';

export interface PipelineReview {
  readonly pipeline: string;
  /** The mapping as `explain` prints it, or why the rule cannot be evaluated under the pipeline. */
  readonly mapping: string;
  readonly evaluable: boolean;
  readonly cases: readonly { readonly name: string; readonly outcome: 'pass' | 'fail' | 'known-gap' | 'unexpected-pass' | 'error'; readonly detail?: string }[];
}

export function pipelineReviews(project: Project, rule: Rule, extra: readonly string[] = []): PipelineReview[] {
  if (rule.format !== 'sigma') return [];
  const runs = new PipelineRuns(project);
  const scenarios = project.scenariosByRule.get(rule.id) ?? [];
  const names = [...new Set([...extra, ...scenarios.flatMap((s) => runs.pipelinesOf(rule, s))])].filter((n) => n !== NO_PIPELINE);
  return names.map((name) => {
    const compiled = runs.compiled(name);
    const detector = compiled.detectors.get(rule.id);
    const mapping = detector ? pipelineMappingOf(detector) : undefined;
    if (!detector || !mapping) return { pipeline: name, mapping: compiled.notEvaluable.find((n) => n.rule.id === rule.id)?.reason ?? 'not compiled', evaluable: false, cases: [] };
    const cases = scenarios
      .filter((s) => runs.pipelinesOf(rule, s).includes(name))
      .flatMap((s) =>
        s.cases.map((c) => {
          const gap = c.knownGapUnder?.[name] ?? c.knownGap;
          try {
            const pass = runCase(detector, runs.caseUnder(name, rule, c).case).pass;
            return { name: c.name, outcome: gap !== undefined ? (pass ? ('unexpected-pass' as const) : ('known-gap' as const)) : pass ? ('pass' as const) : ('fail' as const) };
          } catch (e) {
            return { name: c.name, outcome: 'error' as const, detail: (e as Error).message };
          }
        }),
      );
    return { pipeline: name, mapping: renderMapping(mapping), evaluable: true, cases };
  });
}
