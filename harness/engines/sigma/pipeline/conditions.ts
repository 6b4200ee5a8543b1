/**
 * Processing conditions (pySigma `sigma/processing/conditions/`), as registries
 * of data: rule conditions, detection-item conditions and field-name
 * conditions, each built from its YAML parameters.
 */
import type { ParsedDetection } from '../detection.ts';
import type { ParsedItem } from '../detection-item.ts';
import type { SigmaValue } from '../values.ts';
import type { RuleView, Run } from './model.ts';
import type { Params } from './params.ts';
import { hasSpecial, sameValue, sigmaText } from './sigma-text.ts';

export type RuleCondition = (rule: RuleView, run: Run) => boolean;
export type ItemCondition = (item: ParsedItem, run: Run) => boolean;
export interface FieldCondition {
  /** `match_field_name`. */
  field(name: string | null, run: Run): boolean;
  /** `match_detection_item`: the item's field, or a field reference among its values. */
  item(item: ParsedItem, run: Run): boolean;
}

function* itemsOf(d: ParsedDetection): Generator<ParsedItem> {
  for (const x of d.items) if (x.kind === 'item') yield x;
  else yield* itemsOf(x);
}
const anyItem = (rule: RuleView, f: (i: ParsedItem) => boolean): boolean => rule.kind === 'event' && [...rule.ids.values()].some((d) => [...itemsOf(d)].some(f));

type Op = 'eq' | 'ne' | 'gte' | 'gt' | 'lte' | 'lt';
const OPS: readonly Op[] = ['eq', 'ne', 'gte', 'gt', 'lte', 'lt'];
function compare(a: unknown, op: Op, b: unknown): boolean {
  if (op === 'eq') return a === b;
  if (op === 'ne') return a !== b;
  if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) return false;
  const x = a as number | string;
  const y = b as number | string;
  return op === 'gte' ? x >= y : op === 'gt' ? x > y : op === 'lte' ? x <= y : x < y;
}

/** pySigma `ProcessingStateConditionBase`: key, val, op against the pipeline state. */
function stateCondition(p: Params): (run: Run) => boolean {
  const key = p.str('key');
  const val = p.required('val');
  const op = p.oneOf('op', OPS, 'eq');
  return (run) => run.state.has(key) && compare(run.state.get(key), op, val);
}

const LEVELS = ['informational', 'low', 'medium', 'high', 'critical'];
const STATUSES = ['unsupported', 'deprecated', 'experimental', 'test', 'stable'];

/** `rule_attribute`: a rule field (or custom attribute) compared like pySigma's typed attributes. */
function ruleAttribute(p: Params): RuleCondition {
  const attribute = p.str('attribute');
  const value = p.required('value');
  const op = p.oneOf('op', [...OPS, 'in', 'not_in'] as const, 'eq');
  return (rule) => {
    const v = Object.prototype.hasOwnProperty.call(rule.body, attribute) ? rule.body[attribute] : rule.customAttributes.get(attribute);
    if (v === undefined) return false;
    if (Array.isArray(v)) return op === 'in' ? v.includes(value) : op === 'not_in' ? !v.includes(value) : op === 'ne';
    const scale = attribute === 'level' ? LEVELS : attribute === 'status' ? STATUSES : undefined;
    if (scale && typeof v === 'string' && typeof value === 'string') {
      if (op === 'in' || op === 'not_in') return false;
      return compare(scale.indexOf(v.toLowerCase()), op, scale.indexOf(value.toLowerCase()));
    }
    if (typeof v === 'number') return op !== 'in' && op !== 'not_in' && compare(v, op, Number(value));
    if (op === 'in' || op === 'not_in') return false;
    return op === 'eq' ? String(v) === value : op === 'ne' ? String(v) !== value : compare(String(v), op, value);
  };
}

export const RULE_CONDITIONS: Readonly<Record<string, (p: Params) => RuleCondition>> = {
  logsource: (p) => {
    const want = { category: p.optStr('category'), product: p.optStr('product'), service: p.optStr('service') };
    // pySigma `rule.logsource in condition.logsource`: each field the condition sets must be equal.
    return (rule) => rule.kind === 'event' && (['category', 'product', 'service'] as const).every((k) => want[k] === null || want[k] === rule.logsource[k]);
  },
  contains_detection_item: (p) => {
    const field = p.optStr('field');
    const value = p.required('value');
    return (rule) => anyItem(rule, (i) => i.field !== null && i.field === field && i.values.some((v) => sameValue(v, value)));
  },
  contains_field: (p) => {
    const field = p.optStr('field');
    return (rule) => anyItem(rule, (i) => i.field !== null && i.field === field);
  },
  processing_item_applied: (p) => {
    const id = p.str('processing_item_id');
    return (rule) => rule.applied.has(id);
  },
  processing_state: (p) => {
    const s = stateCondition(p);
    return (_rule, run) => s(run);
  },
  is_sigma_rule: () => (rule) => rule.kind === 'event',
  is_sigma_correlation_rule: () => (rule) => rule.kind === 'correlation',
  rule_attribute: ruleAttribute,
  tag: (p) => {
    const tag = p.str('tag').toLowerCase();
    return (rule) => rule.tags.some((t) => t.toLowerCase() === tag);
  },
};

/** Value conditions: `cond: any | all` over the item's values. */
function valueCondition(p: Params, one: (v: SigmaValue) => boolean): ItemCondition {
  const cond = p.oneOf('cond', ['any', 'all'] as const);
  return (item) => (cond === 'any' ? item.values.some(one) : item.values.every(one));
}

export const ITEM_CONDITIONS: Readonly<Record<string, (p: Params) => ItemCondition>> = {
  match_string: (p) => {
    const re = p.regex('pattern', p.str('pattern'), { anchored: true });
    const negate = p.bool('negate', false);
    return valueCondition(p, (v) => (v.kind === 'string' && re.test(sigmaText(v.s))) !== negate);
  },
  match_value: (p) => {
    const value = p.required('value');
    return valueCondition(p, (v) => sameValue(v, value));
  },
  contains_wildcard: (p) => valueCondition(p, (v) => v.kind === 'string' && hasSpecial(v.s)),
  is_null: (p) => valueCondition(p, (v) => v.kind === 'null'),
  processing_item_applied: (p) => {
    const id = p.str('processing_item_id');
    return (item) => item.applied.includes(id);
  },
  processing_state: (p) => {
    const s = stateCondition(p);
    return (_item, run) => s(run);
  },
};

/** A field condition from a name test: an item matches by its field or a field reference value. */
function byName(test: (name: string | null, run: Run) => boolean): FieldCondition {
  return {
    field: test,
    item: (item, run) => test(item.field, run) || item.values.some((v) => v.kind === 'fieldref' && test(v.other, run)),
  };
}

function includeFields(p: Params): (name: string | null) => boolean {
  const fields = p.strings('fields')!;
  const mode = p.oneOf('mode', ['plain', 're'] as const, 'plain');
  if (mode === 'plain') return (name) => name !== null && fields.includes(name);
  const res = fields.map((f) => p.regex('fields', f, { anchored: true }));
  return (name) => name !== null && res.some((r) => r.test(name));
}

export const FIELD_CONDITIONS: Readonly<Record<string, (p: Params) => FieldCondition>> = {
  include_fields: (p) => {
    const inc = includeFields(p);
    return byName((n) => inc(n));
  },
  exclude_fields: (p) => {
    const inc = includeFields(p);
    return byName((n) => !inc(n));
  },
  processing_item_applied: (p) => {
    const id = p.str('processing_item_id');
    return {
      field: (name, run) => name !== null && (run.fieldApplied.get(name)?.has(id) ?? false),
      item: (item) => item.applied.includes(id),
    };
  },
  processing_state: (p) => {
    const s = stateCondition(p);
    return byName((_n, run) => s(run));
  },
};
