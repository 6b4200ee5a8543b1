/**
 * `rule-harness review`: everything a reviewer needs about one rule, as data —
 * its stages, indicators with the corpus column, scenario status and branch
 * coverage, surviving mutants, and with a base ref what the change did to the
 * alerts on the scenarios. Rendering (text / Markdown / JSON) is separate.
 */
import { execFileSync } from 'node:child_process';
import { loadAttackCatalog } from '../attack/catalog.ts';
import type { Detector } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import type { Rule } from '../core/rule.ts';
import type { Predicate } from '../engines/common/predicate.ts';
import { compileRuleSet } from '../engines/registry.ts';
import { generatedCases, mutateRule } from '../mutation/run-mutation.ts';
import { mirroredScenarioPath, type Project } from '../project/load-project.ts';
import { describePredicate } from '../reports/describe-predicate.ts';
import { buildCorpusIndex, indicatorLeaves, type IndicatorLeaf } from '../reports/indicators.ts';
import type { Branch, CaseResult, Indicator } from '../reports/model.ts';
import { ruleCoverage } from '../reports/rule-coverage.ts';
import { runAll } from '../reports/run.ts';
import { loadRuleText } from '../rules/load.ts';
import { pipelineReviews, type PipelineReview } from './pipeline-review.ts';

export interface Stage {
  /** Search identifier / clause label, or a description for unlabelled nodes. */
  readonly label: string;
  readonly negated: boolean;
  readonly predicates: readonly string[];
}

export interface AlertDiff {
  readonly scenario: string;
  readonly case: string;
  readonly before: readonly (readonly number[])[];
  readonly after: readonly (readonly number[])[];
}

export interface BaseComparison {
  readonly ref: string;
  /** `git diff` of the rule file, or a note when the rule is new. */
  readonly ruleDiff: string;
  /** Cases whose alerts differ between the base version of the rule and this one. */
  readonly alertChanges: readonly AlertDiff[];
  readonly note?: string;
}

export interface RuleReview {
  readonly rule: { readonly id: string; readonly title: string; readonly file: string; readonly format: string; readonly language: string; readonly kind: string; readonly techniques: readonly string[] };
  readonly evaluable: boolean;
  readonly notEvaluableReason: string | null;
  readonly condition: string | null;
  readonly stages: readonly Stage[];
  readonly indicators: readonly Indicator[];
  readonly cases: readonly CaseResult[];
  readonly uncoveredBranches: readonly Branch[];
  readonly branches: { readonly total: number; readonly covered: number };
  readonly mutation: { readonly killed: number; readonly survived: number; readonly score: number; readonly survivors: readonly string[] } | null;
  readonly base?: BaseComparison;
  /** The rule under each processing pipeline its scenarios run under (empty: none). */
  readonly pipelines: readonly PipelineReview[];
  readonly nextStep: string;
}

/** Find a rule by id, by file path, or by a path suffix. */
export function findRule(project: Project, ref: string): Rule | undefined {
  return project.rules.rules.find((r) => r.id === ref) ?? project.rules.rules.find((r) => r.source.file === ref || r.source.file.endsWith(`/${ref}`) || ref.endsWith(`/${r.source.file}`));
}

function conditionOf(rule: Rule): string | null {
  const det = rule.body.detection as { condition?: unknown } | undefined;
  if (det && (typeof det.condition === 'string' || Array.isArray(det.condition))) return [det.condition].flat().join(' | ');
  return typeof rule.body.query === 'string' ? rule.body.query.trim() : null;
}

/** The top-level clauses of the logic: labelled selections, negated filters, or the whole tree. */
function stagesOf(logic: Predicate): Stage[] {
  const top = logic.kind === 'and' || logic.kind === 'or' ? logic.children : [logic];
  return top.map((p) => {
    const negated = p.kind === 'not';
    const node = p.kind === 'not' ? p.child : p;
    const inner = (node.kind === 'and' || node.kind === 'or') ? node.children : [node];
    return { label: p.label ?? node.label ?? describePredicate(node), negated, predicates: inner.map(describePredicate) };
  });
}

function gitShow(cwd: string, ref: string, file: string): string | undefined {
  try {
    return execFileSync('git', ['show', `${ref}:${file}`], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return undefined;
  }
}

function gitDiff(cwd: string, ref: string, file: string): string {
  try {
    return execFileSync('git', ['diff', ref, '--', file], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return '';
  }
}

const alertsOf = (d: Detector, events: readonly Event[], history: readonly Event[], indicators: readonly Event[]) => d.detect(events, { history, indicators }).map((a) => [...a.events]);

function compareWithBase(project: Project, rule: Rule, head: Detector, ref: string): BaseComparison {
  const text = gitShow(project.root, ref, rule.source.file);
  if (text === undefined) return { ref, ruleDiff: '', alertChanges: [], note: `${rule.source.file} does not exist at ${ref}: a new rule` };
  const loaded = loadRuleText(rule.source.file, text);
  const baseRule = loaded.rules.find((r) => r.id === rule.id);
  if (!baseRule) return { ref, ruleDiff: gitDiff(project.root, ref, rule.source.file), alertChanges: [], note: `no rule with id ${rule.id} in ${rule.source.file} at ${ref}` };
  const others = rule.kind === 'correlation' ? project.rules.rules.filter((r) => r.id !== rule.id) : [];
  const compiled = compileRuleSet({ rules: [baseRule, ...others], filters: project.rules.filters, diagnostics: [], texts: new Map([[rule.source.file, text]]) }, project.config);
  const base = compiled.detectors.get(rule.id);
  const ruleDiff = gitDiff(project.root, ref, rule.source.file);
  if (!base) return { ref, ruleDiff, alertChanges: [], note: `the rule at ${ref} cannot be evaluated: ${compiled.notEvaluable.find((n) => n.rule.id === rule.id)?.reason ?? 'unknown reason'}` };
  const alertChanges: AlertDiff[] = [];
  for (const s of project.scenariosByRule.get(rule.id) ?? []) {
    for (const c of s.cases) {
      const before = alertsOf(base, c.events, c.history, c.indicators);
      const after = alertsOf(head, c.events, c.history, c.indicators);
      if (JSON.stringify(before) !== JSON.stringify(after)) alertChanges.push({ scenario: s.file, case: c.name, before, after });
    }
  }
  return { ref, ruleDiff, alertChanges };
}

export interface ReviewOptions {
  readonly base?: string;
  /** Run mutation testing (default true; it takes a moment on rules with many values). */
  readonly mutate?: boolean;
  /** Processing pipelines to show the rule under, besides those its scenarios run under. */
  readonly pipelines?: readonly string[];
}

export function reviewRule(project: Project, rule: Rule, opts: ReviewOptions = {}): RuleReview {
  const detector = project.compiled.detectors.get(rule.id);
  const leavesByRule = new Map<string, IndicatorLeaf[]>();
  for (const d of project.compiled.detectors.values()) {
    try {
      leavesByRule.set(d.rule.id, indicatorLeaves(d.constraints().logic));
    } catch {
      // rules without a predicate tree contribute no indicators
    }
  }
  const run = runAll({ rules: [rule], detectors: project.compiled.detectors, notEvaluable: project.compiled.notEvaluable, scenariosByRule: project.scenariosByRule, silentBases: project.compiled.silentBases }).rules[0]!;
  const coverage = ruleCoverage(run, loadAttackCatalog(), buildCorpusIndex(leavesByRule));
  const scenarioFile = mirroredScenarioPath(rule.source.file);
  const hasScenario = project.scenariosByRule.has(rule.id);
  const uncovered = (coverage.branches?.branches ?? []).filter((b) => b.covered === false);
  const mutation = detector && hasScenario && opts.mutate !== false ? mutateRule(project, rule, generatedCases(project, rule)) : undefined;
  let stages: Stage[] = [];
  if (detector) {
    try {
      stages = stagesOf(detector.constraints().logic);
    } catch {
      stages = [];
    }
  }
  const nextStep = !hasScenario
    ? `npx rule-harness scaffold ${rule.source.file}   # drafts ${scenarioFile}`
    : uncovered.length > 0
      ? `npx rule-harness scaffold ${rule.source.file} --missing   # adds cases for the ${uncovered.length} uncovered branch${uncovered.length === 1 ? '' : 'es'} to ${scenarioFile}`
      : mutation && mutation.survived > 0
        ? `add cases to ${scenarioFile} that tell the surviving mutants apart from the rule`
        : 'nothing: every branch is exercised and every mutant is killed';
  return {
    rule: { id: rule.id, title: rule.title, file: rule.source.file, format: rule.format, language: rule.language, kind: rule.kind, techniques: coverage.techniques },
    evaluable: coverage.evaluable,
    notEvaluableReason: coverage.notEvaluableReason,
    condition: conditionOf(rule),
    stages,
    indicators: coverage.indicators,
    cases: coverage.cases,
    uncoveredBranches: uncovered,
    branches: { total: coverage.branches?.total ?? 0, covered: coverage.branches?.covered ?? 0 },
    mutation: mutation ? { killed: mutation.killed, survived: mutation.survived, score: mutation.score, survivors: mutation.outcomes.filter((o) => o.status === 'survived').map((o) => o.mutant.description) } : null,
    ...(opts.base && detector ? { base: compareWithBase(project, rule, detector, opts.base) } : {}),
    pipelines: pipelineReviews(project, rule, opts.pipelines),
    nextStep,
  };
}
