/**
 * Running processing items over a rule (pySigma `ProcessingPipeline.apply`):
 * each item whose rule conditions hold applies its transformation, in order.
 */
import type { ProcessingItem, RuleView, Run } from './model.ts';

export function runItems(items: readonly ProcessingItem[], rule: RuleView, run: Run): void {
  for (const item of items) if (item.matchRule(rule, run)) item.transformation.apply(rule, run, item);
}
