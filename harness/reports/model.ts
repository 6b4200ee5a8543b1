/**
 * The CoverageModel: what one report run found, as plain immutable data. It is
 * `coverage.json` verbatim (schema: `coverage.schema.json` beside this file),
 * and every other writer (Markdown, HTML, Navigator layer, JUnit, baseline
 * diff) is a pure function of it.
 */
import type { AttackFinding } from '../attack/map-rule.ts';

export const SCHEMA_VERSION = 1;

/**
 * How well a rule — or a technique, through its rules — is proven by tests:
 * `tested` (every case passes and at least one positive case alerts),
 * `failing` (a case or the cross-fire check fails), `untested` (no scenario,
 * or no passing positive case), `not-evaluable` (no engine runs it).
 * Techniques without rules are `none`.
 */
export type RuleCoverageStatus = 'tested' | 'failing' | 'untested' | 'not-evaluable';
export type TechniqueCoverageStatus = RuleCoverageStatus | 'none';

export interface CaseStats {
  readonly cases: number;
  readonly passing: number;
  /** Failing cases, including known gaps that now pass (the marker must go). */
  readonly failing: number;
  /** Cases marked `known_gap` that still fail, as expected. */
  readonly knownGap: number;
}

/** `pass`; `fail`; `known-gap` (expected failure, still failing); `unexpected-pass` (a known gap that passes: counted as failing); `error` (the engine threw). */
export type CaseOutcome = 'pass' | 'fail' | 'known-gap' | 'unexpected-pass' | 'error';

export interface CaseResult {
  readonly scenario: string;
  readonly name: string;
  readonly line: number;
  /** `alert`, `none`, or an exact alert count. */
  readonly expect: 'alert' | 'none' | number;
  readonly outcome: CaseOutcome;
  readonly knownGap: string | null;
  /** Alerts raised, each as the 0-based indices of its events. */
  readonly alerts: readonly (readonly number[])[];
  readonly message: string | null;
}

export interface CrossFireResult {
  /** Other rules that fired on a case without being declared in `also_fires`. */
  readonly surprises: readonly { readonly scenario: string; readonly case: string; readonly rule: string }[];
  /** `also_fires` declarations whose rule did not fire. */
  readonly stale: readonly { readonly scenario: string; readonly case: string; readonly rule: string }[];
}

export type BranchKind = 'selection' | 'alternative' | 'filter';

export interface Branch {
  /** Position in the rule's predicate tree, e.g. `0.2.1`. */
  readonly path: string;
  readonly label: string;
  readonly kind: BranchKind;
  /**
   * selection / alternative: held on an event that raised an alert in a positive case;
   * filter: some negative case depends on it (the filter matched while the rest of its clause held).
   * `null` where the rule's trace could not be matched to this branch.
   */
  readonly covered: boolean | null;
}

export interface BranchCoverage {
  readonly total: number;
  readonly covered: number;
  readonly unknown: number;
  readonly branches: readonly Branch[];
}

export interface IndicatorValue {
  readonly value: string;
  /** How many other loaded rules match the same (field, operator, value). */
  readonly corpus: number;
}

export interface Indicator {
  /** `null`: any field (keyword search). */
  readonly field: string | null;
  /** equals, contains, startswith, endswith, wildcard, regex, cidr, gt, gte, lt, lte, exists, null, fieldref, opaque */
  readonly operator: string;
  /** Inside a `not`: the rule matches when the field does *not* look like this. */
  readonly negated: boolean;
  readonly values: readonly IndicatorValue[];
  /** How many other loaded rules match this field and operator with at least one of the values. */
  readonly corpus: number;
}

export interface RuleCoverage {
  readonly id: string;
  readonly title: string;
  readonly format: 'sigma' | 'elastic';
  readonly language: string;
  readonly kind: string;
  /** The rule's own maturity (Sigma `status`, Elastic `maturity`). */
  readonly status: string | null;
  readonly level: string | null;
  readonly file: string;
  readonly line: number;
  /** Current ATT&CK technique ids (after redirects). */
  readonly techniques: readonly string[];
  readonly tactics: readonly string[];
  readonly platforms: readonly string[];
  readonly scenarios: readonly string[];
  readonly evaluable: boolean;
  readonly notEvaluableReason: string | null;
  readonly coverage: RuleCoverageStatus;
  readonly stats: CaseStats;
  /** Share of generated mutants the scenarios kill, 0–1; `null` until mutation testing has run. */
  readonly mutationScore: number | null;
  readonly cases: readonly CaseResult[];
  readonly crossFire: CrossFireResult;
  readonly branches: BranchCoverage | null;
  readonly indicators: readonly Indicator[];
  readonly findings: readonly AttackFinding[];
}

export interface TechniqueCoverage {
  readonly id: string;
  readonly name: string;
  readonly tactics: readonly string[];
  readonly platforms: readonly string[];
  readonly subtechnique: boolean;
  readonly parent: string | null;
  readonly url: string;
  /** Rules tagged with exactly this technique. */
  readonly rules: readonly string[];
  readonly rulesWithScenarios: number;
  readonly rulesTested: number;
  readonly notEvaluable: readonly NotEvaluableRef[];
  readonly stats: CaseStats;
  /** Mean mutation score of the rules that have one; `null` when none has. */
  readonly mutationScore: number | null;
  readonly status: TechniqueCoverageStatus;
  /** 0–100: share of this technique's rules that are `tested`. */
  readonly score: number;
  /** The technique together with its sub-techniques (what a matrix cell shows); each rule counted once. */
  readonly rollup: Rollup;
}

export interface Rollup {
  readonly rules: number;
  readonly rulesWithScenarios: number;
  readonly rulesTested: number;
  readonly stats: CaseStats;
  readonly status: TechniqueCoverageStatus;
  readonly score: number;
}

/** A rule that no engine runs, and why: reported, never passed silently. */
export interface NotEvaluableRef {
  readonly rule: string;
  readonly reason: string;
}

export interface TacticCoverage {
  readonly id: string;
  readonly shortname: string;
  readonly name: string;
  /** Current top-level techniques of the tactic in ATT&CK. */
  readonly techniques: number;
  readonly techniquesWithRules: number;
  readonly techniquesTested: number;
  /** Rules on a technique or sub-technique of the tactic, or tagged with the tactic itself. */
  readonly rules: number;
  readonly rulesWithScenarios: number;
  readonly rulesTested: number;
  readonly notEvaluable: readonly NotEvaluableRef[];
  readonly stats: CaseStats;
  readonly mutationScore: number | null;
}

export interface Totals extends CaseStats {
  readonly rules: number;
  readonly rulesWithScenarios: number;
  readonly rulesTested: number;
  readonly rulesFailing: number;
  readonly rulesNotEvaluable: number;
  readonly techniquesWithRules: number;
  readonly techniquesTested: number;
  readonly crossFireSurprises: number;
  readonly findings: number;
  readonly mutationScore: number | null;
}

export interface CoverageModel {
  readonly schemaVersion: typeof SCHEMA_VERSION;
  readonly generatedAt: string;
  readonly attack: { readonly version: string; readonly domain: 'enterprise-attack' };
  readonly totals: Totals;
  readonly tactics: readonly TacticCoverage[];
  readonly techniques: readonly TechniqueCoverage[];
  readonly rules: readonly RuleCoverage[];
  readonly notEvaluable: readonly { readonly rule: string; readonly title: string; readonly file: string; readonly reason: string }[];
  readonly findings: readonly (AttackFinding & { readonly rule: string; readonly file: string })[];
}
