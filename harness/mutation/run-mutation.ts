/**
 * Mutation testing: every mutant of a rule runs against the rule's scenario
 * cases (and any extra cases given, e.g. replayed generated variants). A
 * mutant is killed when at least one case no longer gets its expected verdict;
 * a survivor shows a change the scenarios cannot see. Mutants that no longer
 * compile are counted apart (they prove nothing either way).
 */
import type { HarnessConfig } from '../config.ts';
import type { Detector } from '../core/detector.ts';
import type { Rule } from '../core/rule.ts';
import { compileRuleSet } from '../engines/registry.ts';
import { parseCorrelationSpec } from '../engines/sigma/correlation/spec.ts';
import type { Project } from '../project/load-project.ts';
import type { RuleSet } from '../rules/load.ts';
import { satisfies } from '../runner/verdict.ts';
import { caseContext, type Case } from '../scenarios/model.ts';
import { buildCorpus, expectationOf } from '../generator/corpus.ts';
import { elasticMutants } from './elastic-mutants.ts';
import { esqlMutants } from './esql-mutants.ts';
import type { Mutant } from './model.ts';
import { sigmaMutants } from './sigma-mutants.ts';

export interface MutantOutcome {
  readonly mutant: Mutant;
  readonly status: 'killed' | 'survived' | 'invalid';
  /** Killed: the first case whose verdict changed. Invalid: why it did not compile. */
  readonly detail?: string;
}

export interface RuleMutationResult {
  readonly rule: Rule;
  readonly outcomes: readonly MutantOutcome[];
  readonly killed: number;
  readonly survived: number;
  readonly invalid: number;
  /** killed / (killed + survived); 1 when the rule has no valid mutant. */
  readonly score: number;
}

function mutantsOf(rule: Rule): Mutant[] {
  if (rule.format === 'sigma') return sigmaMutants(rule);
  return rule.language === 'esql' ? esqlMutants(rule) : elasticMutants(rule);
}

/** The references a correlation names, as its compiler reads them (none when it does not parse: it fails on its own). */
function referencesOf(rule: Rule): readonly string[] {
  if (rule.kind !== 'correlation') return [];
  try {
    return parseCorrelationSpec(rule.body).references;
  } catch {
    return [];
  }
}

/** The rules a correlation refers to, resolved as the registry does (id first, then name), and theirs in turn (not the whole project). */
function withReferences(rule: Rule, all: readonly Rule[]): Rule[] {
  const out = new Map<string, Rule>([[rule.id, rule]]);
  const queue = [rule];
  for (let r = queue.pop(); r; r = queue.pop()) {
    for (const ref of referencesOf(r)) {
      const base = all.find((x) => x.id === ref) ?? all.find((x) => x.name === ref);
      if (base && !out.has(base.id)) {
        out.set(base.id, base);
        queue.push(base);
      }
    }
  }
  return [...out.values()];
}

/** Compile one mutated rule, with the rules it refers to when it is a correlation. */
function compileMutant(mutant: Mutant, set: RuleSet, config: HarnessConfig): Detector | string {
  const rules = mutant.rule.kind === 'correlation' ? withReferences(mutant.rule, set.rules) : [mutant.rule];
  const compiled = compileRuleSet({ ...set, rules }, config);
  const d = compiled.detectors.get(mutant.rule.id);
  if (d) return d;
  return compiled.notEvaluable.find((n) => n.rule.id === mutant.rule.id)?.reason ?? 'did not compile';
}

/** The first case a detector gets wrong, or undefined when it passes them all. */
function firstWrongCase(d: Detector, cases: readonly Case[]): Case | undefined {
  return cases.find((c) => !satisfies(c.expect, d.detect(c.events, caseContext(c))));
}

export function mutateRule(project: Project, rule: Rule, extraCases: readonly Case[] = []): RuleMutationResult {
  // Known gaps already fail on the original rule; they cannot tell mutants apart.
  const cases = [...(project.scenariosByRule.get(rule.id) ?? []).flatMap((s) => s.cases), ...extraCases].filter((c) => !c.knownGap);
  const outcomes: MutantOutcome[] = mutantsOf(rule).map((mutant) => {
    let d: Detector | string;
    try {
      d = compileMutant(mutant, project.rules, project.config);
    } catch (e) {
      d = (e as Error).message;
    }
    if (typeof d === 'string') return { mutant, status: 'invalid', detail: d };
    let wrong: Case | undefined;
    try {
      wrong = firstWrongCase(d, cases);
    } catch (e) {
      return { mutant, status: 'killed', detail: `evaluation error: ${(e as Error).message}` };
    }
    return wrong ? { mutant, status: 'killed', detail: `case '${wrong.name}'` } : { mutant, status: 'survived' };
  });
  const killed = outcomes.filter((o) => o.status === 'killed').length;
  const survived = outcomes.filter((o) => o.status === 'survived').length;
  return { rule, outcomes, killed, survived, invalid: outcomes.length - killed - survived, score: killed + survived === 0 ? 1 : killed / (killed + survived) };
}

export interface MutationSummary {
  readonly rules: readonly RuleMutationResult[];
  readonly killed: number;
  readonly survived: number;
  readonly score: number;
}

/**
 * The generator's variants and near misses of the rule's cases, as extra cases:
 * derived from the original rule's constraints (seeded, so every run sees the
 * same ones), they pin behaviour the hand-written cases leave open — a case
 * change, a value one character off.
 */
export function generatedCases(project: Project, rule: Rule, runs = 10): Case[] {
  const detector = project.compiled.detectors.get(rule.id);
  const scenarios = project.scenariosByRule.get(rule.id) ?? [];
  if (!detector || scenarios.length === 0) return [];
  const timestampFields = project.config.sigma.timestampFields;
  const corpus = buildCorpus(detector, scenarios, { seed: 1, runs, ...(timestampFields ? { timestampFields } : {}) });
  const byName = new Map(scenarios.flatMap((s) => s.cases).map((c) => [c.name, c]));
  return [...corpus.variants, ...corpus.near_misses].flatMap((e) => {
    const original = byName.get(e.case);
    if (!original) return [];
    return [{ ...original, name: `${e.case} — ${e.transformations.join('; ')}`, expect: expectationOf(e.expect), events: e.events, knownGap: undefined }];
  });
}

export function mutateProject(project: Project, ruleIds?: ReadonlySet<string>, onRule?: (r: RuleMutationResult, i: number, n: number) => void): MutationSummary {
  const targets = project.rules.rules.filter((r) => project.scenariosByRule.has(r.id) && project.compiled.detectors.has(r.id) && (!ruleIds || ruleIds.has(r.id)));
  const rules = targets.map((r, i) => {
    const result = mutateRule(project, r, generatedCases(project, r));
    onRule?.(result, i, targets.length);
    return result;
  });
  const killed = rules.reduce((n, r) => n + r.killed, 0);
  const survived = rules.reduce((n, r) => n + r.survived, 0);
  return { rules, killed, survived, score: killed + survived === 0 ? 1 : killed / (killed + survived) };
}
