/**
 * RunResult + ATT&CK catalog → CoverageModel (pure). Techniques are listed when
 * a rule names them, together with the parent of every named sub-technique, so
 * a matrix cell can roll its sub-techniques up. Every level — tactic, technique,
 * sub-technique, rule — carries the same numbers: rules, rules with scenarios,
 * tested rules, case outcomes, mutation score, not-evaluable rules with reasons.
 */
import { isCurrent, parentOf, type AttackCatalog, type Technique } from '../attack/catalog.ts';
import { portablePath } from '../rules/discover.ts';
import { buildCorpusIndex } from './indicators.ts';
import {
  SCHEMA_VERSION,
  type CaseStats,
  type CoverageModel,
  type NotEvaluableRef,
  type Rollup,
  type RuleCoverage,
  type TacticCoverage,
  type TechniqueCoverage,
  type TechniqueCoverageStatus,
  type Totals,
} from './model.ts';
import { EMPTY_STATS, addStats, meanScore, ruleCoverage, type PathView } from './rule-coverage.ts';
import type { RunResult } from './run.ts';

const score = (tested: number, total: number): number => (total === 0 ? 0 : Math.round((100 * tested) / total));
const sumStats = (rules: readonly RuleCoverage[]): CaseStats => rules.reduce((s, r) => addStats(s, r.stats), EMPTY_STATS);
const tested = (rules: readonly RuleCoverage[]): number => rules.filter((r) => r.coverage === 'tested').length;
const withScenarios = (rules: readonly RuleCoverage[]): number => rules.filter((r) => r.scenarios.length > 0).length;
const notEvaluable = (rules: readonly RuleCoverage[]): NotEvaluableRef[] => rules.filter((r) => !r.evaluable).map((r) => ({ rule: r.id, reason: r.notEvaluableReason ?? '' }));

/** A technique is as good as its best rule: tested, else failing, else untested, else not evaluable. */
export function techniqueStatus(rules: readonly RuleCoverage[]): TechniqueCoverageStatus {
  for (const s of ['tested', 'failing', 'untested', 'not-evaluable'] as const) if (rules.some((r) => r.coverage === s)) return s;
  return 'none';
}

function rollup(rules: readonly RuleCoverage[]): Rollup {
  const n = tested(rules);
  return { rules: rules.length, rulesWithScenarios: withScenarios(rules), rulesTested: n, stats: sumStats(rules), status: techniqueStatus(rules), score: score(n, rules.length) };
}

function techniqueCoverage(t: Technique, direct: readonly RuleCoverage[], withSubs: readonly RuleCoverage[]): TechniqueCoverage {
  const own = rollup(direct);
  return {
    id: t.id,
    name: t.name,
    tactics: t.tactics,
    platforms: t.platforms,
    subtechnique: t.subtechnique,
    parent: parentOf(t.id) ?? null,
    url: t.url,
    rules: direct.map((r) => r.id),
    rulesWithScenarios: own.rulesWithScenarios,
    rulesTested: own.rulesTested,
    notEvaluable: notEvaluable(direct),
    stats: own.stats,
    mutationScore: meanScore(direct.map((r) => r.mutationScore)),
    status: own.status,
    score: own.score,
    rollup: rollup(withSubs),
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
      rulesWithScenarios: withScenarios(inTactic),
      rulesTested: tested(inTactic),
      notEvaluable: notEvaluable(inTactic),
      stats: sumStats(inTactic),
      mutationScore: meanScore(inTactic.map((r) => r.mutationScore)),
    };
  });
}

function totals(rules: readonly RuleCoverage[], techs: readonly TechniqueCoverage[]): Totals {
  return {
    ...sumStats(rules),
    rules: rules.length,
    rulesWithScenarios: withScenarios(rules),
    rulesTested: tested(rules),
    rulesFailing: rules.filter((r) => r.coverage === 'failing').length,
    rulesNotEvaluable: rules.filter((r) => !r.evaluable).length,
    techniquesWithRules: techs.filter((t) => t.rules.length > 0).length,
    techniquesTested: techs.filter((t) => t.rulesTested > 0).length,
    crossFireSurprises: rules.reduce((n, r) => n + r.crossFire.surprises.length, 0),
    findings: rules.reduce((n, r) => n + r.findings.length, 0),
    mutationScore: meanScore(rules.map((r) => r.mutationScore)),
  };
}

export interface ModelOptions {
  /** Make file paths (given relative to the working directory) relative to this project root, so reports of two checkouts compare. */
  readonly root?: string;
}

/**
 * @example buildCoverageModel(runAll(runInputOf(loadProject())), loadAttackCatalog(), new Date().toISOString())
 */
export function buildCoverageModel(run: RunResult, catalog: AttackCatalog, generatedAt: string, opts: ModelOptions = {}): CoverageModel {
  const root = opts.root;
  const path: PathView = root === undefined ? (f) => f : (f) => portablePath(f, root);
  const corpus = buildCorpusIndex(new Map(run.rules.map((r) => [r.rule.id, r.leaves])));
  const rules = run.rules.map((r) => ruleCoverage(r, catalog, corpus, path)).sort((a, b) => a.file.localeCompare(b.file) || a.id.localeCompare(b.id));
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
