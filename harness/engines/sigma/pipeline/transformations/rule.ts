/**
 * Rule-level transformations (pySigma `transformations/condition.py`,
 * `rule.py`, `state.py`, `detection_item.py`, `failure.py`): add_condition,
 * change_logsource, set_custom_attribute, set_state, drop_detection_item and
 * the failures that make a pipeline reject a rule.
 */
import { LocatedError, type DocPath } from '../../../../core/located-error.ts';
import { parseDetection, type ParsedDetection } from '../../detection.ts';
import type { ParsedItem } from '../../detection-item.ts';
import { PipelineConfigError, PipelineRejection, type RuleView, type Transformation } from '../model.ts';
import type { Params } from '../params.ts';
import { eachItem } from '../walk.ts';

let created = 0;
/** A stand-in for pySigma's random `_cond_xxxxxxxxxx` name: stable for a run, distinct per add_condition item. */
function conditionName(path: DocPath): string {
  let h = 2166136261;
  for (const c of `${path.join('/')}#${created++}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  let name = '_cond_';
  for (let i = 0; i < 10; i++, h = Math.imul(h, 1103515245) + 12345) name += String.fromCharCode(97 + ((h >>> 16) % 26));
  return name;
}

/** Python `string.Template.safe_substitute` with the rule's logsource (None prints as 'None'). */
function substitute(s: string, rule: RuleView): string {
  const vals: Record<string, string> = { category: rule.logsource.category ?? 'None', product: rule.logsource.product ?? 'None', service: rule.logsource.service ?? 'None' };
  return s.replace(/\$(?:(\$)|(\w+)|\{(\w+)\})/g, (m, dollar: string | undefined, a: string | undefined, b: string | undefined) => {
    if (dollar) return '$';
    const k = a ?? b!;
    return Object.prototype.hasOwnProperty.call(vals, k) ? vals[k]! : m;
  });
}

function parseConditions(conditions: Record<string, unknown>, name: string, path: DocPath): ParsedDetection {
  try {
    return parseDetection(name, conditions, ['detection', name], { placeholders: {}, warnings: [], deferPlaceholders: true });
  } catch (e) {
    if (e instanceof LocatedError) throw new PipelineConfigError(`transformation 'add_condition': ${e.message}`, [...path, 'conditions', ...e.path.slice(2)]);
    throw e;
  }
}

function addCondition(p: Params): Transformation {
  const conditions = p.map('conditions');
  const name = p.optStr('name') ?? conditionName(p.path);
  const template = p.bool('template', false);
  const negated = p.bool('negated', false);
  const fixed = template ? undefined : parseConditions(conditions, name, p.path);
  return {
    apply(rule, run, guard) {
      if (rule.kind !== 'event') return;
      const templated = (v: unknown): unknown => (typeof v === 'string' ? substitute(v, rule) : Array.isArray(v) ? v.map(templated) : v);
      const d = fixed ?? parseConditions(Object.fromEntries(Object.entries(conditions).map(([k, v]) => [k, templated(v)])), name, p.path);
      rule.ids.set(name, { ...d, applied: [guard.id] });
      rule.applied.add(guard.id);
      rule.conditions = rule.conditions.map((c) => ({ ...c, text: `${negated ? 'not ' : ''}${name} and (${c.text})` }));
      const shown = Object.entries(template ? Object.fromEntries(Object.entries(conditions).map(([k, v]) => [k, templated(v)])) : conditions).map(([k, v]) => `${k}: ${JSON.stringify(v)}`);
      run.notes.push(`added condition ${negated ? 'not ' : ''}${name} (${shown.join(', ')})`);
    },
  };
}

/** Field names the rule's detection items use now (pySigma `_get_all_field_names`). */
function fieldNames(rule: RuleView): string[] {
  const out = new Set<string>();
  const visit = (x: ParsedDetection | ParsedItem): void => {
    if (x.kind === 'item') {
      if (x.field !== null) out.add(x.field);
    } else x.items.forEach(visit);
  };
  rule.ids.forEach(visit);
  return [...out];
}

export const RULE_TRANSFORMATIONS = {
  add_condition: addCondition,
  change_logsource: (p: Params): Transformation => {
    const ls = { category: p.optStr('category'), product: p.optStr('product'), service: p.optStr('service') };
    return {
      apply(rule, run, guard) {
        rule.applied.add(guard.id);
        rule.logsource = { ...ls };
        run.notes.push(`logsource → ${(['category', 'product', 'service'] as const).map((k) => `${k}: ${ls[k] ?? '-'}`).join(', ')}`);
      },
    };
  },
  set_custom_attribute: (p: Params): Transformation => {
    const attribute = p.str('attribute');
    const value = p.required('value');
    return { apply: (rule, _run, guard) => void (rule.applied.add(guard.id), rule.customAttributes.set(attribute, value)) };
  },
  set_state: (p: Params): Transformation => {
    const key = p.str('key');
    const val = p.required('val');
    return { apply: (rule, run, guard) => void (rule.applied.add(guard.id), run.state.set(key, val)) };
  },
  drop_detection_item: (): Transformation => ({
    apply(rule, run, guard) {
      eachItem(rule, run, guard, (item) => {
        run.notes.push(`dropped ${item.key ?? 'keyword'}`);
        return 'drop';
      });
    },
  }),
  rule_failure: (p: Params): Transformation => {
    const message = p.str('message');
    return {
      apply() {
        throw new PipelineRejection(message);
      },
    };
  },
  detection_item_failure: (p: Params): Transformation => {
    const message = p.str('message');
    return {
      apply(rule, run, guard) {
        eachItem(rule, run, guard, (item) => {
          throw new PipelineRejection(message, item.path);
        });
      },
    };
  },
  strict_field_mapping_failure: (): Transformation => ({
    apply(rule, run, guard) {
      rule.applied.add(guard.id);
      if (rule.kind !== 'event') return;
      const targets = new Set([...run.fieldMappings.values()].flatMap((s) => [...s]));
      const unmapped = fieldNames(rule).filter((f) => !run.fieldMappings.has(f) && !targets.has(f));
      if (unmapped.length > 0) throw new PipelineRejection(`The following fields are not mapped: ${unmapped.join(', ')}`);
    },
  }),
} as const;
