/**
 * Applying pipelines to a rule: several compose by priority (stable, as
 * pySigma's resolver sorts them and sums them into one: items in order, vars
 * merged), and the composed pipeline rewrites the rule's parsed detection.
 */
import type { Rule } from '../../../core/rule.ts';
import type { ParsedSection } from '../detections.ts';
import type { ParsedDetection } from '../detection.ts';
import type { ParsedItem } from '../detection-item.ts';
import { PipelineRejection, type Pipeline, type RuleView, type Run } from './model.ts';
import { runItems } from './run.ts';
import { placeholdersOf } from './transformations/placeholders.ts';

export interface ComposedPipeline {
  /** How runs and messages name it: the pipelines' names joined with `+`. */
  readonly name: string;
  readonly pipelines: readonly Pipeline[];
}

export function composePipelines(pipelines: readonly Pipeline[], name?: string): ComposedPipeline {
  const sorted = pipelines.map((p, i) => [p, i] as const).sort((a, b) => a[0].priority - b[0].priority || a[1] - b[1]).map(([p]) => p);
  return { name: name ?? pipelines.map((p) => p.name).join('+'), pipelines: sorted };
}

/** What the pipeline made of a rule: the detection to compile, and a record for `explain`/`review`. */
export interface MappedRule {
  readonly section: ParsedSection;
  readonly logsource: { readonly category: string | null; readonly product: string | null; readonly service: string | null };
  /** Source field → target fields. */
  readonly fieldMappings: ReadonlyMap<string | null, readonly string[]>;
  /** What each applied item did, in order. */
  readonly notes: readonly string[];
  readonly conditions: readonly string[];
}

const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** Apply the composed pipeline (throws PipelineRejection when it rejects the rule). */
export function applyPipeline(composed: ComposedPipeline, rule: Rule, section: ParsedSection): MappedRule {
  const ls = typeof rule.body.logsource === 'object' && rule.body.logsource !== null ? (rule.body.logsource as Record<string, unknown>) : {};
  const view: RuleView = {
    kind: rule.kind === 'correlation' ? 'correlation' : 'event',
    body: rule.body,
    logsource: { category: strOrNull(ls.category), product: strOrNull(ls.product), service: strOrNull(ls.service) },
    tags: rule.tags,
    fields: Array.isArray(rule.body.fields) ? rule.body.fields.filter((f): f is string => typeof f === 'string') : [],
    customAttributes: new Map(),
    ids: new Map(section.ids),
    conditions: [...section.conditions],
    applied: new Set(),
  };
  const vars = Object.assign({}, ...composed.pipelines.map((p) => p.vars)) as Record<string, unknown>;
  const run: Run = { vars, state: new Map(), fieldApplied: new Map(), fieldMappings: new Map(), notes: [] };
  runItems(
    composed.pipelines.flatMap((p) => p.items),
    view,
    run,
  );
  for (const d of view.ids.values()) {
    const pattern = patternField(d);
    if (pattern) throw new PipelineRejection(`field ${pattern.field} is a field-name pattern (${composed.name} maps to it); Elasticsearch expands such patterns over the index's fields, which the harness cannot`, pattern.path);
    const left = unresolved(d);
    if (left) throw new PipelineRejection(`placeholder %${left.name}% has no value: neither harness.config.yml (sigma.placeholders.${left.name}) nor a placeholder transformation of ${composed.name} resolves it`, left.path);
  }
  return {
    section: { ids: view.ids, conditions: view.conditions },
    logsource: view.logsource,
    fieldMappings: new Map([...run.fieldMappings].map(([k, v]) => [k, [...v]])),
    notes: run.notes,
    conditions: view.conditions.map((c) => c.text),
  };
}

/** A field name with a wildcard, as some pipelines map to (`zeek.*.arg`): a query-time pattern, not a field. */
function patternField(d: ParsedDetection): { field: string; path: ParsedItem['path'] } | undefined {
  for (const x of d.items) {
    const r = x.kind === 'detection' ? patternField(x) : x.field?.includes('*') ? { field: x.field, path: x.path } : undefined;
    if (r) return r;
  }
  return undefined;
}

function unresolved(d: ParsedDetection): { name: string; path: ParsedItem['path'] } | undefined {
  for (const x of d.items) {
    if (x.kind === 'detection') {
      const r = unresolved(x);
      if (r) return r;
    } else {
      const names = placeholdersOf(x);
      if (names.length > 0) return { name: names[0]!, path: x.path };
    }
  }
  return undefined;
}
