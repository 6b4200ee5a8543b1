import type { Alert, Detector } from '../core/detector.ts';
import { caseContext, type Case, type Scenario } from '../scenarios/model.ts';
import { CrossFireIndex } from './crossfire-index.ts';

/** Another rule fired on a case's events without being declared in `also_fires`. */
export interface CrossFire {
  readonly case: Case;
  readonly rule: Detector;
  readonly alerts: readonly Alert[];
}

/** A rule declared in `also_fires` that did not fire: the declaration is stale. */
export interface StaleDeclaration {
  readonly case: Case;
  readonly ruleId: string;
}

export interface CrossFireResult {
  readonly surprises: readonly CrossFire[];
  readonly stale: readonly StaleDeclaration[];
}

/** One index per rule list: the suite passes the same list for every scenario. */
const INDEXES = new WeakMap<readonly Detector[], { silent: ReadonlySet<string>; index: CrossFireIndex }>();

export function crossFireIndexFor(others: readonly Detector[], silent: ReadonlySet<string>): CrossFireIndex {
  let entry = INDEXES.get(others);
  if (!entry || entry.silent !== silent) INDEXES.set(others, (entry = { silent, index: new CrossFireIndex(others, silent) }));
  return entry.index;
}

/** Cross-fire of one case: the undeclared rules that alert on its events, and its stale declarations. */
export function crossFireCase(owner: Detector, c: Case, index: CrossFireIndex): { surprises: CrossFire[]; stale: StaleDeclaration[] } {
  const fired = index.firing(owner.rule, c.events, caseContext(c), c.alsoFires);
  const surprises = fired.filter((f) => !c.alsoFires.includes(f.detector.rule.id)).map((f) => ({ case: c, rule: f.detector, alerts: f.alerts }));
  const stale = c.alsoFires.filter((id) => !fired.some((f) => f.detector.rule.id === id)).map((ruleId) => ({ case: c, ruleId }));
  return { surprises, stale };
}

/**
 * Run every other rule whose log source is compatible over each case of a
 * scenario (through the cross-fire index: single-event rules only where they
 * match an event). `silent` rules (correlation bases with `generate: false`)
 * raise no alerts of their own and are left out.
 */
export function crossFire(owner: Detector, scenario: Scenario, others: readonly Detector[], silent: ReadonlySet<string>): CrossFireResult {
  const index = crossFireIndexFor(others, silent);
  const surprises: CrossFire[] = [];
  const stale: StaleDeclaration[] = [];
  for (const c of scenario.cases) {
    const r = crossFireCase(owner, c, index);
    surprises.push(...r.surprises);
    stale.push(...r.stale);
  }
  return { surprises, stale };
}
