/**
 * One rule's entry in the CoverageModel: its run results judged into case
 * statistics and a coverage status, with ATT&CK ids resolved and indicators
 * counted against the corpus.
 */
import type { AttackCatalog } from '../attack/catalog.ts';
import { mapRuleAttack } from '../attack/map-rule.ts';
import type { Rule } from '../core/rule.ts';
import { indicatorTable, type CorpusIndex } from './indicators.ts';
import type { CaseResult, CaseStats, RuleCoverage, RuleCoverageStatus } from './model.ts';
import type { RuleRun } from './run.ts';

export const EMPTY_STATS: CaseStats = { cases: 0, passing: 0, failing: 0, knownGap: 0 };

export function caseStats(cases: readonly CaseResult[]): CaseStats {
  return {
    cases: cases.length,
    passing: cases.filter((c) => c.outcome === 'pass').length,
    failing: cases.filter((c) => c.outcome === 'fail' || c.outcome === 'unexpected-pass' || c.outcome === 'error').length,
    knownGap: cases.filter((c) => c.outcome === 'known-gap').length,
  };
}

export function addStats(a: CaseStats, b: CaseStats): CaseStats {
  return { cases: a.cases + b.cases, passing: a.passing + b.passing, failing: a.failing + b.failing, knownGap: a.knownGap + b.knownGap };
}

const isPositive = (c: CaseResult): boolean => c.expect === 'alert' || (typeof c.expect === 'number' && c.expect > 0);

/** Proven means: every case as expected, no cross-fire surprise, and at least one positive case that alerts. */
export function ruleStatus(run: Pick<RuleRun, 'notEvaluableReason' | 'cases' | 'crossFire'>): RuleCoverageStatus {
  if (run.notEvaluableReason !== null) return 'not-evaluable';
  const stats = caseStats(run.cases);
  if (stats.failing > 0 || run.crossFire.surprises.length > 0 || run.crossFire.stale.length > 0) return 'failing';
  return run.cases.some((c) => isPositive(c) && c.outcome === 'pass') ? 'tested' : 'untested';
}

const PLATFORM_WORDS: readonly [RegExp, string][] = [
  [/windows/i, 'Windows'],
  [/linux/i, 'Linux'],
  [/macos|darwin|osx/i, 'macOS'],
  [/aws|azure|gcp|cloud/i, 'IaaS'],
  [/m365|office ?365|o365/i, 'Office Suite'],
  [/okta|entra|azure ?ad|identity/i, 'Identity Provider'],
];

/** ATT&CK platform names, from a Sigma logsource product or Elastic `OS:` / `Domain:` tags and index patterns. */
export function rulePlatforms(rule: Rule): string[] {
  const words = [rule.logsource?.product ?? '', ...rule.tags.filter((t) => /^(os|domain):/i.test(t)), ...(rule.index ?? [])];
  const found = new Set<string>();
  for (const w of words) for (const [re, name] of PLATFORM_WORDS) if (re.test(w)) found.add(name);
  return [...found].sort();
}

/** How file paths appear in the report (relative to the project root); identity by default. */
export type PathView = (file: string) => string;

/** Mean of the known scores (3 decimals), `null` when none is known. */
export function meanScore(scores: readonly (number | null)[]): number | null {
  const known = scores.filter((s): s is number => s !== null);
  return known.length === 0 ? null : Math.round((1000 * known.reduce((a, b) => a + b, 0)) / known.length) / 1000;
}

export function ruleCoverage(run: RuleRun, catalog: AttackCatalog, corpus: CorpusIndex, path: PathView = (f) => f): RuleCoverage {
  const r = run.rule;
  const attack = mapRuleAttack(catalog, r);
  const cases = run.cases.map((c) => ({ ...c, scenario: path(c.scenario) }));
  const entry = <T extends { scenario: string }>(x: T): T => ({ ...x, scenario: path(x.scenario) });
  return {
    id: r.id,
    title: r.title,
    format: r.format,
    language: r.language,
    kind: r.kind,
    status: r.status ?? null,
    level: r.level ?? null,
    file: path(r.source.file),
    line: r.source.line,
    techniques: attack.techniques,
    tactics: attack.tactics,
    platforms: rulePlatforms(r),
    scenarios: run.scenarios.map(path),
    evaluable: run.notEvaluableReason === null,
    notEvaluableReason: run.notEvaluableReason,
    coverage: ruleStatus(run),
    stats: caseStats(run.cases),
    mutationScore: run.mutationScore,
    cases,
    crossFire: { surprises: run.crossFire.surprises.map(entry), stale: run.crossFire.stale.map(entry) },
    branches: run.branches,
    indicators: indicatorTable(r.id, run.leaves, corpus),
    findings: attack.findings,
  };
}
