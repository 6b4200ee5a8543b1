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

export function ruleCoverage(run: RuleRun, catalog: AttackCatalog, corpus: CorpusIndex): RuleCoverage {
  const r = run.rule;
  const attack = mapRuleAttack(catalog, r);
  return {
    id: r.id,
    title: r.title,
    format: r.format,
    language: r.language,
    kind: r.kind,
    status: r.status ?? null,
    level: r.level ?? null,
    file: r.source.file,
    line: r.source.line,
    techniques: attack.techniques,
    tactics: attack.tactics,
    platforms: rulePlatforms(r),
    scenarios: run.scenarios,
    evaluable: run.notEvaluableReason === null,
    notEvaluableReason: run.notEvaluableReason,
    coverage: ruleStatus(run),
    stats: caseStats(run.cases),
    mutationScore: null,
    cases: run.cases,
    crossFire: run.crossFire,
    branches: run.branches,
    indicators: indicatorTable(r.id, run.leaves, corpus),
    findings: attack.findings,
  };
}
