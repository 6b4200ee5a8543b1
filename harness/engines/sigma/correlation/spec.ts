import { LocatedError, type DocPath, type LocatedWarning } from '../../../core/located-error.ts';
import { isThresholdOp, thresholdOf, type Threshold } from './condition.ts';
import { parseRuleExpr, ruleNames, type RuleExpr } from './extended-condition.ts';
import { parseTimespan } from './timespan.ts';
import { isRecord } from '../../../core/event.ts';

/**
 * The `correlation:` section of a Sigma correlation document, validated into
 * a typed spec (sigma.md §9; Sigma correlation spec v2; pySigma
 * `SigmaCorrelationRule.from_dict` for what is accepted). Every problem is a
 * LocatedError pointing into the document.
 */
export type CorrelationType = 'event_count' | 'value_count' | 'temporal' | 'temporal_ordered' | 'value_sum' | 'value_avg' | 'value_percentile' | 'value_median';

/** What is measured per group and window; the threshold applies to this number. */
export type Measure =
  | { readonly type: 'event_count' }
  /** Distinct values (tuples when several fields) of `fields`. */
  | { readonly type: 'value_count'; readonly fields: readonly string[] }
  /** Distinct referenced rules seen; or, with `expression`, 1 when it holds over the rules seen, else 0. */
  | { readonly type: 'temporal'; readonly expression?: RuleExpr }
  /** Length of the longest prefix of `rules` seen in order. */
  | { readonly type: 'temporal_ordered' }
  | { readonly type: 'value_sum' | 'value_avg'; readonly field: string }
  /** Nearest-rank percentile (`value_median` = 50). */
  | { readonly type: 'value_percentile'; readonly field: string; readonly percentile: number };

export interface CorrelationSpec {
  readonly type: CorrelationType;
  /** The `rules` entries, as written (ids or names). */
  readonly references: readonly string[];
  readonly groupBy: readonly string[];
  readonly timespanMs: number;
  /** alias → (rule reference as written in `aliases`) → event field. */
  readonly aliases: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly measure: Measure;
  readonly thresholds: readonly Threshold[];
  readonly generate: boolean;
  /** Legal but likely mistaken: several comparison operators (ANDed, sigma.md §9). */
  readonly warnings: readonly LocatedWarning[];
}

const TYPES: readonly CorrelationType[] = ['event_count', 'value_count', 'temporal', 'temporal_ordered', 'value_sum', 'value_avg', 'value_percentile', 'value_median'];
const fail = (message: string, path: DocPath, atKey = false): never => {
  throw new LocatedError('sigma/correlation', message, path, { atKey });
};
const P = (...rest: (string | number)[]): DocPath => ['correlation', ...rest];

function typeOf(v: unknown): CorrelationType {
  if (v === undefined) fail('correlation has no type (event_count, value_count, temporal, temporal_ordered, value_sum, value_avg, value_percentile)', P(), true);
  const t = TYPES.find((x) => x === v);
  return t ?? fail(`unknown correlation type ${JSON.stringify(v)}; expected one of ${TYPES.join(', ')}`, P('type'));
}

/** A string or a list of strings (pySigma accepts both for `rules` and `group-by`). */
function stringList(v: unknown, key: string): string[] {
  const list = typeof v === 'string' ? [v] : Array.isArray(v) ? v : fail(`correlation ${key} must be a string or a list of strings`, P(key));
  const seen = new Set<string>();
  return list.map((x, i) => {
    if (typeof x !== 'string' || x === '') return fail(`correlation ${key} entries must be non-empty strings`, P(key, i));
    if (seen.has(x)) fail(`'${x}' is listed twice in correlation ${key}`, P(key, i));
    seen.add(x);
    return x;
  });
}

function aliasesOf(v: unknown): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  if (v === undefined || v === null) return out;
  if (!isRecord(v)) return fail('correlation aliases must map each alias to {rule name: field}', P('aliases'));
  for (const [alias, mapping] of Object.entries(v)) {
    if (!isRecord(mapping)) fail(`alias '${alias}' must map rule names to field names`, P('aliases', alias));
    const m = new Map<string, string>();
    for (const [rule, field] of Object.entries(mapping as Record<string, unknown>)) {
      if (typeof field !== 'string' || field === '') fail(`alias '${alias}' for rule '${rule}' must name one field`, P('aliases', alias, rule));
      m.set(rule, field as string);
    }
    out.set(alias, m);
  }
  return out;
}

function thresholdsOf(cond: Record<string, unknown>, allowed: readonly string[]): Threshold[] {
  const out: Threshold[] = [];
  for (const [k, raw] of Object.entries(cond)) {
    if (isThresholdOp(k)) out.push(thresholdOf(k, raw));
    else if (!allowed.includes(k)) fail(`unknown key '${k}' in correlation condition (expected gt, gte, lt, lte, eq, neq${allowed.map((a) => `, ${a}`).join('')})`, P('condition', k), true);
  }
  if (out.length === 0) fail('correlation condition needs a comparison: gt, gte, lt, lte, eq or neq', P('condition'));
  return out;
}

function fieldOf(cond: Record<string, unknown>, type: CorrelationType, allowList: boolean): string[] {
  const f = cond.field;
  if (f === undefined) return fail(`a ${type} correlation needs condition.field (the field whose values are aggregated)`, P('condition'), true);
  if (typeof f === 'string' && f !== '') return [f];
  if (allowList && Array.isArray(f) && f.length > 0 && f.every((x) => typeof x === 'string' && x !== '')) return f as string[];
  return fail(`condition.field must be ${allowList ? 'a field name or a list of field names' : 'one field name'}`, P('condition', 'field'));
}

function percentileOf(cond: Record<string, unknown>, type: CorrelationType): number {
  if (type === 'value_median') return 50;
  const p = cond.percentile;
  // Absent: pySigma parses the rule but its backends need it; the median keeps the rule evaluable.
  if (p === undefined) return 50;
  const n = typeof p === 'number' ? p : typeof p === 'string' ? Number(p) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 100) fail('condition.percentile must be an integer from 0 to 100', P('condition', 'percentile'));
  return n;
}

function measureOf(type: CorrelationType, cond: Record<string, unknown> | undefined, expression: RuleExpr | undefined): Measure {
  switch (type) {
    case 'event_count':
      return { type };
    case 'temporal':
      return expression ? { type, expression } : { type };
    case 'temporal_ordered':
      return { type };
    case 'value_count':
      return { type, fields: fieldOf(cond ?? {}, type, true) };
    case 'value_sum':
    case 'value_avg':
      return { type, field: fieldOf(cond ?? {}, type, false)[0]! };
    case 'value_percentile':
    case 'value_median':
      return { type: 'value_percentile', field: fieldOf(cond ?? {}, type, false)[0]!, percentile: percentileOf(cond ?? {}, type) };
  }
}

/** Validate a correlation document's body. @example parseCorrelationSpec(rule.body).timespanMs */
export function parseCorrelationSpec(body: Readonly<Record<string, unknown>>): CorrelationSpec {
  const c = body.correlation;
  if (!isRecord(c)) return fail('correlation must be a mapping with type, rules, timespan and condition', P());
  const type = typeOf(c.type);
  const temporal = type === 'temporal' || type === 'temporal_ordered';

  let expression: RuleExpr | undefined;
  if (typeof c.condition === 'string') {
    if (type !== 'temporal') fail(`a string (boolean) condition is only supported for temporal correlations, not ${type}`, P('condition'));
    expression = parseRuleExpr(c.condition);
  } else if (c.condition !== undefined && !isRecord(c.condition)) fail('correlation condition must be a mapping such as {gte: 10}', P('condition'));
  const cond = isRecord(c.condition) ? c.condition : undefined;
  if (!cond && !temporal) fail(`a ${type} correlation needs a condition such as {gte: 10}`, P(), true);

  const references = c.rules === undefined && expression ? ruleNames(expression) : c.rules === undefined ? fail('correlation has no rules to correlate', P(), true) : stringList(c.rules, 'rules');
  if (references.length === 0) fail('correlation rules must name at least one rule', P('rules'));
  if (expression) checkExpressionNames(expression, references);

  const span = parseTimespan(c.timespan);
  if (!span.ok) fail(span.message, c.timespan === undefined ? P() : P('timespan'), c.timespan === undefined);
  const groupBy = c['group-by'] === undefined || c['group-by'] === null ? [] : stringList(c['group-by'], 'group-by');
  if (c.generate !== undefined && typeof c.generate !== 'boolean') fail('correlation generate must be true or false', P('generate'));

  const measure = measureOf(type, cond, expression);
  // pySigma accepts `field` and `percentile` with every type (ignored where meaningless).
  const extra = ['field', 'percentile'];
  // Temporal default (sigma.md §9): all referenced rules seen; a boolean expression is "holds" (= 1).
  const thresholds = expression ? [{ op: 'eq' as const, value: 1 }] : cond ? thresholdsOf(cond, extra) : [{ op: 'gte' as const, value: references.length }];
  const warnings: LocatedWarning[] = [];
  if (thresholds.length > 1 && cond) {
    const ops = thresholds.map((t) => t.op);
    warnings.push({ code: 'sigma/correlation-operators', message: `the correlation condition has ${ops.length} comparisons (${ops.join(', ')}); they must all hold (pySigma accepts only one)`, path: P('condition'), atKey: true });
  }
  return {
    warnings,
    type,
    references,
    groupBy,
    timespanMs: span.ok ? span.ms : 0,
    aliases: aliasesOf(c.aliases),
    measure,
    thresholds,
    generate: c.generate === true,
  };
}

/** pySigma: every listed rule appears in the expression and every name in it is listed. */
function checkExpressionNames(e: RuleExpr, references: readonly string[]): void {
  const used = ruleNames(e);
  const missing = used.find((n) => !references.includes(n));
  if (missing) fail(`condition names rule '${missing}', which is not in correlation rules`, P('condition'));
  const unused = references.findIndex((r) => !used.includes(r));
  if (unused >= 0) fail(`rule '${references[unused]}' is listed in correlation rules but not used in the condition`, P('rules', unused));
}
