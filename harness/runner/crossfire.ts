import type { Alert, Detector } from '../core/detector.ts';
import type { Case, Scenario } from '../scenarios/model.ts';
import { rulesShareEvents } from './logsource.ts';
import { buildRuleIndex, type RuleIndex } from './rule-index.ts';

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
const INDEXES = new WeakMap<readonly Detector[], RuleIndex>();

function indexFor(others: readonly Detector[]): RuleIndex {
  let index = INDEXES.get(others);
  if (!index) INDEXES.set(others, (index = buildRuleIndex(others)));
  return index;
}

/** The rules that match some event of the case (exactly: the index calls their `matches`). */
function rulesMatching(others: readonly Detector[], c: Case): ReadonlySet<Detector> {
  const index = indexFor(others);
  const firing = new Set<Detector>();
  for (const e of c.events) for (const d of index.matching(e)) firing.add(d);
  return firing;
}

/**
 * Run every other rule whose log source is compatible over each case of a
 * scenario. A single-event rule (kind `event`, any format) alerts on exactly
 * the events it matches, so one that the rule index finds matching none of a
 * case's events is skipped. `silent` rules (correlation bases with
 * `generate: false`) raise no alerts of their own and are left out.
 */
export function crossFire(
  owner: Detector,
  scenario: Scenario,
  others: readonly Detector[],
  silent: ReadonlySet<string>,
): CrossFireResult {
  const surprises: CrossFire[] = [];
  const stale: StaleDeclaration[] = [];
  const candidates = others.filter((d) => d.rule.id !== owner.rule.id && !silent.has(d.rule.id) && rulesShareEvents(owner.rule, d.rule));
  for (const c of scenario.cases) {
    const fired = new Set<string>();
    // Declared rules run even across log sources, so a stale declaration is caught.
    const declared = others.filter((d) => c.alsoFires.includes(d.rule.id) && !candidates.includes(d));
    const firing = rulesMatching(others, c);
    for (const d of [...candidates, ...declared]) {
      if (d.rule.kind === 'event' && !firing.has(d)) continue;
      const alerts = d.detect(c.events, { history: c.history, indicators: c.indicators });
      if (alerts.length === 0) continue;
      fired.add(d.rule.id);
      if (!c.alsoFires.includes(d.rule.id)) surprises.push({ case: c, rule: d, alerts });
    }
    for (const id of c.alsoFires) if (!fired.has(id)) stale.push({ case: c, ruleId: id });
  }
  return { surprises, stale };
}
