/**
 * pySigma's transformation registry (`sigma/processing/transformations/__init__.py`)
 * as data: YAML `type` → a factory from the item's parameters. `nest` runs a
 * nested list of processing items as one transformation.
 */
import type { ProcessingItem, Transformation } from '../model.ts';
import type { Params } from '../params.ts';
import { FIELD_TRANSFORMATIONS } from './fields.ts';
import { PLACEHOLDER_TRANSFORMATIONS } from './placeholders.ts';
import { RULE_TRANSFORMATIONS } from './rule.ts';
import { VALUE_TRANSFORMATIONS } from './values.ts';
import { runItems } from '../run.ts';

export interface FactoryContext {
  /** Parse a nested `items:` list (for `nest`). */
  readonly items: (raw: unknown, p: Params) => readonly ProcessingItem[];
}

type Factory = (p: Params, ctx: FactoryContext) => Transformation;

export const TRANSFORMATIONS: Readonly<Record<string, Factory>> = {
  ...FIELD_TRANSFORMATIONS,
  ...VALUE_TRANSFORMATIONS,
  ...RULE_TRANSFORMATIONS,
  wildcard_placeholders: PLACEHOLDER_TRANSFORMATIONS.wildcard_placeholders,
  value_placeholders: PLACEHOLDER_TRANSFORMATIONS.value_placeholders,
  query_expression_placeholders: PLACEHOLDER_TRANSFORMATIONS.query_expression_placeholders,
  nest: (p, ctx) => {
    const items = ctx.items(p.required('items'), p);
    return {
      apply(rule, run, guard) {
        rule.applied.add(guard.id);
        // pySigma runs a fresh nested pipeline (no vars, empty state), then merges its state and tracking into this run.
        const nested = { vars: {}, state: new Map<string, unknown>(), fieldApplied: new Map<string, Set<string>>(), fieldMappings: new Map<string | null, Set<string>>(), notes: run.notes };
        runItems(items, rule, nested);
        for (const [k, v] of nested.state) run.state.set(k, v);
        for (const [k, v] of nested.fieldApplied) run.fieldApplied.set(k, v);
        for (const [k, v] of nested.fieldMappings) run.fieldMappings.set(k, new Set([...(run.fieldMappings.get(k) ?? []), ...v]));
      },
    };
  },
};
