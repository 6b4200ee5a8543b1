/**
 * `--baseline <old coverage.json>`: what changed between two runs — techniques
 * gained or lost (named by a rule, and proven by a tested rule), rules whose
 * alerts on the scenarios changed, new failures and fixes — plus json-diff's
 * structural diff of the per-rule essentials, for readers who want it all.
 */
import { diff, diffString } from 'json-diff';
import type { CaseOutcome, CoverageModel } from './model.ts';

export interface AlertChange {
  readonly rule: string;
  readonly title: string;
  readonly scenario: string;
  readonly case: string;
  /** `null`: the case did not exist (or the rule did not run) on that side. */
  readonly before: readonly (readonly number[])[] | null;
  readonly after: readonly (readonly number[])[] | null;
}

export interface RuleChange {
  readonly rule: string;
  readonly title: string;
  readonly cases: number;
  readonly before: string | null;
  readonly after: string | null;
}

export interface CaseRef {
  readonly rule: string;
  readonly title: string;
  readonly scenario: string;
  readonly case: string;
  readonly outcome: CaseOutcome;
  readonly message: string | null;
}

export interface BaselineDiff {
  readonly baseline: { readonly generatedAt: string };
  readonly current: { readonly generatedAt: string };
  readonly techniques: { readonly gained: readonly string[]; readonly lost: readonly string[] };
  readonly testedTechniques: { readonly gained: readonly string[]; readonly lost: readonly string[] };
  readonly rules: { readonly added: readonly string[]; readonly removed: readonly string[] };
  /** Rules whose alerts on some scenario case differ, with their coverage before and after. */
  readonly rulesWithChangedAlerts: readonly RuleChange[];
  readonly alertsChanged: readonly AlertChange[];
  readonly newFailures: readonly CaseRef[];
  readonly fixed: readonly CaseRef[];
  readonly totals: Readonly<Record<string, { readonly before: number; readonly after: number }>>;
  /** json-diff of the per-rule essentials (coverage, techniques, case outcomes and alerts); `null` when equal. */
  readonly jsonDiff: unknown;
}

const FAILING: ReadonlySet<CaseOutcome> = new Set(['fail', 'error', 'unexpected-pass']);

const techniqueSet = (m: CoverageModel, tested: boolean): Set<string> => new Set(m.techniques.filter((t) => t.rules.length > 0 && (!tested || t.rulesTested > 0)).map((t) => t.id));

const minus = (a: ReadonlySet<string>, b: ReadonlySet<string>): string[] => [...a].filter((x) => !b.has(x)).sort();

interface CaseKeyed extends CaseRef {
  readonly alerts: readonly (readonly number[])[];
}

/** Cases keyed by rule, scenario and name: the identity that survives a rule edit. */
function casesOf(m: CoverageModel): Map<string, CaseKeyed> {
  const out = new Map<string, CaseKeyed>();
  for (const r of m.rules) {
    for (const c of r.cases) out.set(JSON.stringify([r.id, c.scenario, c.name]), { rule: r.id, title: r.title, scenario: c.scenario, case: c.name, outcome: c.outcome, message: c.message, alerts: c.alerts });
  }
  return out;
}

const ref = (c: CaseKeyed): CaseRef => ({ rule: c.rule, title: c.title, scenario: c.scenario, case: c.case, outcome: c.outcome, message: c.message });

/** The per-rule essentials json-diff compares: what a reviewer of a rule change cares about. */
function essentials(m: CoverageModel) {
  return Object.fromEntries(
    m.rules.map((r) => [r.id, { title: r.title, coverage: r.coverage, techniques: r.techniques, cases: Object.fromEntries(r.cases.map((c) => [`${c.scenario} :: ${c.name}`, { outcome: c.outcome, alerts: c.alerts }])) }]),
  );
}

export function diffCoverage(before: CoverageModel, after: CoverageModel): BaselineDiff {
  const b = casesOf(before);
  const a = casesOf(after);
  const alertsChanged: AlertChange[] = [];
  for (const key of new Set([...b.keys(), ...a.keys()])) {
    const x = b.get(key);
    const y = a.get(key);
    if (JSON.stringify(x?.alerts ?? null) === JSON.stringify(y?.alerts ?? null)) continue;
    const c = (y ?? x)!;
    alertsChanged.push({ rule: c.rule, title: c.title, scenario: c.scenario, case: c.case, before: x?.alerts ?? null, after: y?.alerts ?? null });
  }
  const newFailures = [...a.entries()].filter(([k, c]) => FAILING.has(c.outcome) && !FAILING.has(b.get(k)?.outcome ?? 'pass')).map(([, c]) => ref(c));
  const fixed = [...b.entries()].filter(([k, c]) => FAILING.has(c.outcome) && a.has(k) && !FAILING.has(a.get(k)!.outcome)).map(([k]) => ref(a.get(k)!));
  const ids = (m: CoverageModel) => new Set(m.rules.map((r) => r.id));
  const coverage = (m: CoverageModel, id: string) => m.rules.find((r) => r.id === id)?.coverage ?? null;
  const changedRules = new Map<string, RuleChange>();
  for (const c of alertsChanged) {
    const seen = changedRules.get(c.rule);
    changedRules.set(c.rule, { rule: c.rule, title: c.title, cases: (seen?.cases ?? 0) + 1, before: coverage(before, c.rule), after: coverage(after, c.rule) });
  }
  const totals = Object.fromEntries(
    Object.entries(after.totals)
      .map(([k, v]) => [k, { before: (before.totals as unknown as Record<string, number>)[k] ?? 0, after: v }] as const)
      .filter(([, v]) => v.before !== v.after),
  );
  return {
    baseline: { generatedAt: before.generatedAt },
    current: { generatedAt: after.generatedAt },
    techniques: { gained: minus(techniqueSet(after, false), techniqueSet(before, false)), lost: minus(techniqueSet(before, false), techniqueSet(after, false)) },
    testedTechniques: { gained: minus(techniqueSet(after, true), techniqueSet(before, true)), lost: minus(techniqueSet(before, true), techniqueSet(after, true)) },
    rules: { added: minus(ids(after), ids(before)), removed: minus(ids(before), ids(after)) },
    rulesWithChangedAlerts: [...changedRules.values()].sort((x, y) => x.rule.localeCompare(y.rule)),
    alertsChanged,
    newFailures,
    fixed,
    totals,
    jsonDiff: diff(essentials(before), essentials(after)) ?? null,
  };
}

/** A terminal summary: the headline lists, then json-diff's own rendering of the essentials. */
export function renderBaselineDiff(d: BaselineDiff, before: CoverageModel, after: CoverageModel): string {
  const list = (xs: readonly string[]) => (xs.length ? xs.join(', ') : '—');
  const lines = [
    `baseline ${d.baseline.generatedAt} → current ${d.current.generatedAt}`,
    `techniques gained: ${list(d.techniques.gained)}; lost: ${list(d.techniques.lost)}`,
    `tested techniques gained: ${list(d.testedTechniques.gained)}; lost: ${list(d.testedTechniques.lost)}`,
    `rules added: ${list(d.rules.added)}; removed: ${list(d.rules.removed)}`,
    `rules whose alerts changed (${d.rulesWithChangedAlerts.length}):`,
    ...d.rulesWithChangedAlerts.map((r) => `  ${r.title} [${r.rule}]: ${r.cases} case(s); coverage ${r.before ?? '—'} → ${r.after ?? '—'}`),
    `alerts changed (${d.alertsChanged.length}):`,
    ...d.alertsChanged.map((c) => `  ${c.title}: '${c.case}' ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`),
    `new failures (${d.newFailures.length}):`,
    ...d.newFailures.map((c) => `  ${c.title}: '${c.case}' (${c.scenario}) ${c.outcome}${c.message ? `: ${c.message}` : ''}`),
    `fixed (${d.fixed.length}):`,
    ...d.fixed.map((c) => `  ${c.title}: '${c.case}' (${c.scenario})`),
  ];
  const text = diffString(essentials(before), essentials(after), { color: false });
  return `${lines.join('\n')}\n${text ? `\n${text}` : ''}`;
}
