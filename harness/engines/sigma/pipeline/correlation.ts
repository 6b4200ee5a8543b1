/**
 * Correlation rules under a pipeline (pySigma `FieldMappingTransformationBase.apply`
 * on a SigmaCorrelationRule): the `group-by` fields, the fields named in
 * `aliases` and `condition.field` are mapped like detection fields, with the
 * logsource of the rules the correlation references. A field mapped to
 * several names cannot be grouped by, as pySigma refuses it.
 */
import { isRecord } from '../../../core/event.ts';
import type { Rule } from '../../../core/rule.ts';
import { parseSection } from '../detections.ts';
import type { ParsedDetection } from '../detection.ts';
import { applyPipeline, type ComposedPipeline } from './apply.ts';
import { PipelineRejection } from './model.ts';

function fieldsOf(d: ParsedDetection, out: string[]): string[] {
  for (const x of d.items) {
    if (x.kind === 'detection') fieldsOf(x, out);
    else if (x.field !== null) out.push(x.field);
  }
  return out;
}

/** The name(s) a pipeline gives one field of a rule like `base`. */
export function mappedFieldNames(base: Rule, pipeline: ComposedPipeline, field: string): string[] {
  const detection = { sel: { [field]: 'x' }, condition: 'sel' };
  const section = parseSection(detection, ['detection'], new Set(['condition']), { placeholders: {}, warnings: [] });
  const mapped = applyPipeline(pipeline, { ...base, kind: 'event', body: { ...base.body, detection } }, section);
  const sel = mapped.section.ids.get('sel');
  return sel ? fieldsOf(sel, []) : [field];
}

/** The correlation rule's body with its field names mapped (throws PipelineRejection for a one-to-many mapping). */
export function mapCorrelationFields(rule: Rule, base: Rule, pipeline: ComposedPipeline): Rule {
  const c = rule.body.correlation;
  if (!isRecord(c)) return rule;
  const one = (f: unknown): unknown => {
    if (typeof f !== 'string') return f;
    const names = mappedFieldNames(base, pipeline, f);
    if (names.length !== 1) throw new PipelineRejection(`field name mapping of ${f} results in multiple field names (${names.join(', ')}), which a correlation cannot group or aggregate by`);
    return names[0]!;
  };
  const aliases = isRecord(c.aliases) ? c.aliases : {};
  const aliasNames = new Set(Object.keys(aliases));
  const groupBy = Array.isArray(c['group-by']) ? c['group-by'].map((f) => (typeof f === 'string' && aliasNames.has(f) ? f : one(f))) : typeof c['group-by'] === 'string' && !aliasNames.has(c['group-by']) ? one(c['group-by']) : c['group-by'];
  const mappedAliases = Object.fromEntries(Object.entries(aliases).map(([a, m]) => [a, isRecord(m) ? Object.fromEntries(Object.entries(m).map(([r, f]) => [r, one(f)])) : m]));
  const cond = isRecord(c.condition) ? { ...c.condition, ...(c.condition.field !== undefined ? { field: Array.isArray(c.condition.field) ? c.condition.field.map(one) : one(c.condition.field) } : {}) } : c.condition;
  return { ...rule, body: { ...rule.body, correlation: { ...c, ...(c['group-by'] !== undefined ? { 'group-by': groupBy } : {}), ...(c.aliases !== undefined ? { aliases: mappedAliases } : {}), condition: cond } } };
}
