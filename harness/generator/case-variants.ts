import fc from 'fast-check';
import type { Detector } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import type { Case, Expectation } from '../scenarios/model.ts';
import { evaluate, modelOptionsFor } from './model/evaluate.ts';
import { aggregateNearMisses } from './aggregate-near-miss.ts';
import { nearMisses } from './near-miss.ts';
import { hashOf } from '../core/hash.ts';
import { dialectOf, planVariants, variantArbitrary, type Variant, type VariantPlan } from './variants.ts';

/**
 * The generator applied to one scenario case of one compiled rule: its
 * variant plan and arbitrary, a deterministic sample of variants, and its
 * near misses. Shared by the property tests and `rule-harness generate`.
 */
export const DEFAULT_RUNS = 20;

export function planFor(detector: Pick<Detector, 'rule' | 'constraints'>, c: Case, timestampFields?: readonly string[]): VariantPlan {
  return planVariants({ rule: detector.rule, constraints: detector.constraints(), ...(timestampFields ? { timestampFields } : {}) }, c);
}

/** Per-case seed: the base seed mixed with the rule id and case name, so one base seed reproduces every case. */
export function caseSeed(base: number, ruleId: string, caseName: string): number {
  return hashOf(String(base), ruleId, caseName) | 0;
}

/** Runs per case: RULE_HARNESS_RUNS, else the scenario's `variants.runs`, else the default. */
export function runsFor(scenarioRuns: number | undefined, env: string | undefined = process.env.RULE_HARNESS_RUNS): number {
  const fromEnv = env !== undefined && /^\d+$/.test(env) ? Number(env) : undefined;
  return fromEnv ?? scenarioRuns ?? DEFAULT_RUNS;
}

/** Distinct variants from a seed (identity results, where no transformation applied, are left out). */
export function sampleVariants(plan: VariantPlan, seed: number, runs: number): Variant[] {
  if (runs <= 0) return [];
  const out: Variant[] = [];
  const seen = new Set<string>();
  for (const { variant } of fc.sample(variantArbitrary(plan), { seed, numRuns: runs })) {
    if (variant.transformations.length === 0) continue;
    const key = JSON.stringify(variant.events);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(variant);
  }
  return out;
}

export interface CaseNearMiss {
  readonly events: readonly Event[];
  /** Index of the event that was changed; undefined when the events changed as a group (an aggregate's near miss). */
  readonly index: number | undefined;
  readonly description: string;
  readonly constraint: string;
  readonly expect: Expectation;
}

/**
 * Near misses of a positive case of a single-event rule: exactly one event of
 * the case matches per the model (the others are decided non-matches), and
 * one constraint of the branch it matched is broken. For an ES|QL STATS rule:
 * exactly one group alerts per the model, and it is made one short of a bound
 * or split across two key values (aggregate-near-miss.ts). Expected: no alert.
 */
export function caseNearMisses(detector: Pick<Detector, 'rule' | 'constraints'>, c: Pick<Case, 'events' | 'expect' | 'knownGap'>, seed = 1): CaseNearMiss[] {
  const constraints = detector.constraints();
  if (c.knownGap) return [];
  if (!(c.expect.kind === 'alert' || (c.expect.kind === 'count' && c.expect.alerts > 0))) return [];
  const model = modelOptionsFor(detector.rule);
  if (constraints.aggregate) {
    // Other aggregate kinds (Elastic threshold, EQL sequences, Sigma correlations) keep their own semantics of keys and windows.
    if (detector.rule.language !== 'esql') return [];
    return aggregateNearMisses(constraints, c.events, model, dialectOf(detector.rule), seed).map((nm) => ({ ...nm, index: undefined, expect: { kind: 'none' } }));
  }
  const truths = c.events.map((e) => evaluate(constraints.logic, e, model));
  // ES|QL: an event whose opaque clauses leave it undecided can still lose a clause that decides it.
  const undecided = detector.rule.language === 'esql';
  const hits = truths.flatMap((t, i) => (t === 'T' || (undecided && t === 'U') ? [i] : []));
  if (hits.length !== 1 || (!undecided && truths.some((t) => t === 'U'))) return [];
  const index = hits[0]!;
  return nearMisses(constraints.logic, c.events[index]!, { model, dialect: dialectOf(detector.rule), seed, fromUndecided: undecided }).map((nm) => ({
    events: c.events.map((e, i) => (i === index ? nm.event : e)),
    index,
    description: nm.description,
    constraint: nm.constraint,
    expect: { kind: 'none' },
  }));
}
