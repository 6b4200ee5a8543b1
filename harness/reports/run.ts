/**
 * The one impure stage of the reports: run every case of every scenario
 * through its rule (`runCase`), the cross-fire pass, and the explain traces
 * branch coverage reads. Its output, a RunResult, is plain data; everything
 * after it is a pure function.
 */
import type { Constraints, Detector, NotEvaluable, Trace } from '../core/detector.ts';
import type { Rule } from '../core/rule.ts';
import type { Project } from '../project/load-project.ts';
import { crossFire } from '../runner/crossfire.ts';
import { runCase } from '../runner/verdict.ts';
import type { Case, Scenario } from '../scenarios/model.ts';
import { modelOptionsFor } from '../generator/model/evaluate.ts';
import { branchCoverage, type Evidence } from './branches.ts';
import { indicatorLeaves, type IndicatorLeaf } from './indicators.ts';
import type { BranchCoverage, CaseResult, CrossFireResult } from './model.ts';

/** What a run needs: a loaded Project has all of it (see `runInputOf`); tests build it by hand. */
export interface RunInput {
  readonly rules: readonly Rule[];
  readonly detectors: ReadonlyMap<string, Detector>;
  readonly notEvaluable: readonly NotEvaluable[];
  readonly scenariosByRule: ReadonlyMap<string, readonly Scenario[]>;
  readonly silentBases: ReadonlySet<string>;
  /** Rule id → share of mutants killed (0–1), where mutation testing has run. */
  readonly mutationScores?: ReadonlyMap<string, number>;
}

export interface RuleRun {
  readonly rule: Rule;
  readonly notEvaluableReason: string | null;
  readonly scenarios: readonly string[];
  readonly cases: readonly CaseResult[];
  readonly crossFire: CrossFireResult;
  readonly branches: BranchCoverage | null;
  readonly leaves: readonly IndicatorLeaf[];
  readonly mutationScore: number | null;
}

export interface RunResult {
  readonly rules: readonly RuleRun[];
}

export type Progress = (done: number, total: number, rule: Rule) => void;

export function runInputOf(p: Project): RunInput {
  return { rules: p.rules.rules, detectors: p.compiled.detectors, notEvaluable: p.compiled.notEvaluable, scenariosByRule: p.scenariosByRule, silentBases: p.compiled.silentBases };
}

const positive = (c: Case): boolean => c.expect.kind === 'alert' || (c.expect.kind === 'count' && c.expect.alerts > 0);
const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

function judge(detector: Detector, c: Case, scenario: string): CaseResult {
  const expect = c.expect.kind === 'count' ? c.expect.alerts : c.expect.kind;
  const base = { scenario, name: c.name, line: c.line, expect, knownGap: c.knownGap ?? null };
  try {
    const v = runCase(detector, c);
    const outcome = c.knownGap !== undefined ? (v.pass ? 'unexpected-pass' : 'known-gap') : v.pass ? 'pass' : 'fail';
    const note = outcome === 'unexpected-pass' ? 'marked known_gap but passes: remove the marker' : outcome === 'fail' ? `expected ${expect === 'alert' ? 'at least one alert' : expect === 'none' ? 'no alert' : `${expect} alerts`}, got ${v.actual.length}` : null;
    return { ...base, outcome, alerts: v.actual.map((a) => [...a.events]), message: note };
  } catch (e) {
    return { ...base, outcome: 'error', alerts: [], message: message(e) };
  }
}

function safeExplain(d: Detector, e: Readonly<Record<string, unknown>>): Trace | undefined {
  try {
    return d.explain(e);
  } catch {
    return undefined; // a rule kind without a per-event trace: its branches stay unknown
  }
}

/** Explain the events that raised alerts in passing positive cases, and every event of negative cases. */
function branchesOf(d: Detector, scenarios: readonly Scenario[], results: readonly CaseResult[]): BranchCoverage | null {
  let logic;
  try {
    logic = d.constraints().logic;
  } catch {
    return null;
  }
  const pos: Evidence[] = [];
  const neg: Evidence[] = [];
  const cases = scenarios.flatMap((s) => s.cases);
  cases.forEach((c, i) => {
    const r = results[i];
    if (!r) return;
    const events = positive(c) ? [...new Set(r.alerts.flat())].map((j) => c.events[j]) : c.events;
    for (const event of events) {
      if (!event) continue;
      const trace = safeExplain(d, event);
      (positive(c) ? pos : neg).push(trace ? { event, trace } : { event });
    }
  });
  return branchCoverage(logic, { positive: pos, negative: neg }, modelOptionsFor(d.rule));
}

function crossFireOf(d: Detector, scenarios: readonly Scenario[], all: readonly Detector[], silent: ReadonlySet<string>): CrossFireResult {
  const surprises: CrossFireResult['surprises'][number][] = [];
  const stale: CrossFireResult['stale'][number][] = [];
  for (const s of scenarios) {
    const r = crossFire(d, s, all, silent);
    surprises.push(...r.surprises.map((x) => ({ scenario: s.file, case: x.case.name, rule: x.rule.rule.id })));
    stale.push(...r.stale.map((x) => ({ scenario: s.file, case: x.case.name, rule: x.ruleId })));
  }
  return { surprises, stale };
}

/** The leaves of the rule's logic and of every step of an aggregate (sequence, correlation). */
function constraintLeaves(c: Constraints): IndicatorLeaf[] {
  return [...indicatorLeaves(c.logic), ...(c.aggregate?.steps ?? []).flatMap(constraintLeaves)];
}

function leavesOf(d: Detector): IndicatorLeaf[] {
  try {
    return constraintLeaves(d.constraints());
  } catch {
    return []; // no predicate tree for this rule: it simply has no indicator rows
  }
}

interface RunContext {
  readonly all: readonly Detector[];
  readonly reasons: ReadonlyMap<string, string>;
}

function runRule(rule: Rule, input: RunInput, ctx: RunContext): RuleRun {
  const scenarios = input.scenariosByRule.get(rule.id) ?? [];
  const d = input.detectors.get(rule.id);
  const files = scenarios.map((s) => s.file);
  const mutationScore = input.mutationScores?.get(rule.id) ?? null;
  if (!d) {
    const reason = ctx.reasons.get(rule.id) ?? 'not compiled';
    return { rule, notEvaluableReason: reason, scenarios: files, cases: [], crossFire: { surprises: [], stale: [] }, branches: null, leaves: [], mutationScore };
  }
  const cases = scenarios.flatMap((s) => s.cases.map((c) => judge(d, c, s.file)));
  const leaves = leavesOf(d);
  return {
    rule,
    notEvaluableReason: null,
    scenarios: files,
    cases,
    crossFire: crossFireOf(d, scenarios, ctx.all, input.silentBases),
    branches: scenarios.length > 0 ? branchesOf(d, scenarios, cases) : null,
    leaves,
    mutationScore,
  };
}

/** Run everything; `progress` is called after each rule. */
export function runAll(input: RunInput, progress?: Progress): RunResult {
  const ctx: RunContext = { all: [...input.detectors.values()], reasons: new Map(input.notEvaluable.map((n) => [n.rule.id, n.reason])) };
  const rules = input.rules.map((rule, i) => {
    const r = runRule(rule, input, ctx);
    progress?.(i + 1, input.rules.length, rule);
    return r;
  });
  return { rules };
}
