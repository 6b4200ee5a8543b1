/**
 * RunResult + ATT&CK catalog → CoverageModel (pure). Techniques are listed when
 * a rule names them, together with the parent of every named sub-technique, so
 * a matrix cell can roll its sub-techniques up.
 */
import { isCurrent, parentOf, type AttackCatalog, type Technique } from '../attack/catalog.ts';
import { buildCorpusIndex } from './indicators.ts';
import {
  SCHEMA_VERSION,
  type CoverageModel,
  type RuleCoverage,
  type TacticCoverage,
  type TechniqueCoverage,
  type TechniqueCoverageStatus,
  type Totals,
} from './model.ts';
import { EMPTY_STATS, addStats, ruleCoverage } from './rule-coverage.ts';
import type { RunResult } from './run.ts';

const score = (tested: number, total: number): number => (total === 0 ? 0 : Math.round((100 * tested) / total));

/** A technique is as good as its best rule: tested, else failing, else untested, else not evaluable. */
export function techniqueStatus(rules: readonly RuleCoverage[]): TechniqueCoverageStatus {
  for (const s of ['tested', 'failing', 'untested', 'not-evaluable'] as const) if (rules.some((r) => r.coverage === s)) return s;
  return 'none';
}

function techniqueCoverage(t: Technique, direct: readonly RuleCoverage[], withSubs: readonly RuleCoverage[]): TechniqueCoverage {
  const tested = direct.filter((r) => r.coverage === 'tested').length;
  const rollupTested = withSubs.filter((r) => r.coverage === 'tested').length;
  return {
    id: t.id,
    name: t.name,
    tactics: t.tactics,
    platforms: t.platforms,
    subtechnique: t.subtechnique,
    parent: parentOf(t.id) ?? null,
    url: t.url,
    rules: direct.map((r) => r.id),
    rulesWithScenarios: direct.filter((r) => r.scenarios.length > 0).length,
    rulesTested: tested,
    notEvaluable: direct.filter((r) => !r.evaluable).map((r) => ({ rule: r.id, reason: r.notEvaluableReason ?? '' })),
    stats: direct.reduce((s, r) => addStats(s, r.stats), EMPTY_STATS),
    mutationScore: null,
    status: techniqueStatus(direct),
    score: score(tested, direct.length),
    rollup: { rules: withSubs.length, rulesTested: rollupTested, status: techniqueStatus(withSubs), score: score(rollupTested, withSubs.length) },
  };
}

function techniques(catalog: AttackCatalog, rules: readonly RuleCoverage[]): TechniqueCoverage[] {
  const ids = new Set<string>();
  for (const r of rules) for (const id of r.techniques) ids.add(parentOf(id) ?? id).add(id);
  return [...ids]
    .sort()
    .map((id) => catalog.techniquesById.get(id))
    .filter((t): t is Technique => t !== undefined)
    .map((t) => {
      const direct = rules.filter((r) => r.techniques.includes(t.id));
      const withSubs = t.subtechnique ? direct : rules.filter((r) => r.techniques.some((id) => id === t.id || parentOf(id) === t.id));
      return techniqueCoverage(t, direct, withSubs);
    });
}

function tactics(catalog: AttackCatalog, techs: readonly TechniqueCoverage[], rules: readonly RuleCoverage[]): TacticCoverage[] {
  return catalog.tactics.map((tactic) => {
    const top = techs.filter((t) => !t.subtechnique && t.tactics.includes(tactic.shortname));
    const inTactic = rules.filter((r) => r.tactics.includes(tactic.shortname));
    return {
      id: tactic.id,
      shortname: tactic.shortname,
      name: tactic.name,
      techniques: catalog.techniques.filter((t) => isCurrent(t) && !t.subtechnique && t.tactics.includes(tactic.shortname)).length,
      techniquesWithRules: top.filter((t) => t.rollup.rules > 0).length,
      techniquesTested: top.filter((t) => t.rollup.rulesTested > 0).length,
      rules: inTactic.length,
      rulesTested: inTactic.filter((r) => r.coverage === 'tested').length,
      stats: inTactic.reduce((s, r) => addStats(s, r.stats), EMPTY_STATS),
    };
  });
}

function totals(rules: readonly RuleCoverage[], techs: readonly TechniqueCoverage[]): Totals {
  return {
    ...rules.reduce((s, r) => addStats(s, r.stats), EMPTY_STATS),
    rules: rules.length,
    rulesWithScenarios: rules.filter((r) => r.scenarios.length > 0).length,
    rulesTested: rules.filter((r) => r.coverage === 'tested').length,
    rulesFailing: rules.filter((r) => r.coverage === 'failing').length,
    rulesNotEvaluable: rules.filter((r) => !r.evaluable).length,
    techniquesWithRules: techs.filter((t) => t.rules.length > 0).length,
    techniquesTested: techs.filter((t) => t.rulesTested > 0).length,
    crossFireSurprises: rules.reduce((n, r) => n + r.crossFire.surprises.length, 0),
    findings: rules.reduce((n, r) => n + r.findings.length, 0),
  };
}

/**
 * @example buildCoverageModel(runAll(runInputOf(loadProject())), loadAttackCatalog(), new Date().toISOString())
 */
export function buildCoverageModel(run: RunResult, catalog: AttackCatalog, generatedAt: string): CoverageModel {
  const corpus = buildCorpusIndex(new Map(run.rules.map((r) => [r.rule.id, r.leaves])));
  const rules = run.rules.map((r) => ruleCoverage(r, catalog, corpus)).sort((a, b) => a.file.localeCompare(b.file) || a.id.localeCompare(b.id));
  const techs = techniques(catalog, rules);
  return {
    schemaVersion: SCHEMA_VERSION,
    generatedAt,
    attack: { version: catalog.version, domain: 'enterprise-attack' },
    totals: totals(rules, techs),
    tactics: tactics(catalog, techs, rules),
    techniques: techs,
    rules,
    notEvaluable: rules.filter((r) => !r.evaluable).map((r) => ({ rule: r.id, title: r.title, file: r.file, reason: r.notEvaluableReason ?? '' })),
    findings: rules.flatMap((r) => r.findings.map((f) => ({ ...f, rule: r.id, file: r.file }))),
  };
}
