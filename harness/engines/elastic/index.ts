/**
 * Elastic detection rules: one Detector per rule type. EQL rules run on the
 * EQL engine; query, threshold, new_terms and threat_match rules share the
 * KQL / Lucene query plus Kibana filters; ES|QL rules run on the ES|QL engine.
 * Machine-learning rules are not evaluable, and say why.
 */
import type { Detector } from '../../core/detector.ts';
import type { Rule } from '../../core/rule.ts';
import { ecsMapping, type IndexMapping } from '../../mapping/index.ts';
import { eqlRuleDetector } from './eql-rule.ts';
import { esqlRuleDetector } from './esql-rule.ts';
import { compileEventQuery, type EventQuery } from './event-query.ts';
import { eventRuleDetector } from './event-rule.ts';
import { newTermsDetector } from './new-terms-rule.ts';
import { threatMatchDetector } from './threat-match-rule.ts';
import { thresholdDetector } from './threshold-rule.ts';

export type ElasticCompile = { readonly ok: true; readonly detector: Detector } | { readonly ok: false; readonly reason: string };

/** Throws LocatedError (paths into the `[rule]` table) for rules that are broken, returns a reason for rules no engine evaluates. */
export function compileElasticRule(rule: Rule, mapping: IndexMapping = ecsMapping()): ElasticCompile {
  switch (rule.kind) {
    case 'esql':
      return esqlRuleDetector(rule, mapping);
    case 'machine_learning':
      return { ok: false, reason: 'machine-learning rules have no query: they alert on anomaly-detection job results' };
    case 'event':
    case 'sequence':
      if (rule.language === 'eql') return { ok: true, detector: eqlRuleDetector(rule, mapping) };
      return queryRule(rule, mapping, eventRuleDetector);
    case 'threshold':
      return queryRule(rule, mapping, thresholdDetector);
    case 'new_terms':
      return queryRule(rule, mapping, newTermsDetector);
    case 'threat_match':
      return queryRule(rule, mapping, threatMatchDetector);
    case 'correlation':
      return { ok: false, reason: 'correlation is a Sigma rule kind' };
  }
}

/** A rule type built on the KQL / Lucene query; the detector carries the query's lint findings (the factories build plain object literals). */
function queryRule(rule: Rule, mapping: IndexMapping, make: (rule: Rule, q: EventQuery) => Detector): ElasticCompile {
  const { query, warnings } = compileEventQuery(rule, mapping);
  const d = make(rule, query);
  return { ok: true, detector: warnings.length ? { ...d, warnings } : d };
}
