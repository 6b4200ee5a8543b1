import type { LogSource, Rule } from '../core/rule.ts';

/**
 * Two rules can see the same events unless their log sources contradict:
 * a field set on both (category, product, service) must agree. Rules without
 * a logsource (Elastic index patterns, correlations) are compatible with all.
 */
export function logsourcesCompatible(a: LogSource | undefined, b: LogSource | undefined): boolean {
  if (!a || !b) return true;
  for (const k of ['category', 'product', 'service'] as const) {
    const x = a[k];
    const y = b[k];
    if (x !== undefined && y !== undefined && x !== y) return false;
  }
  return true;
}

export function rulesShareEvents(a: Rule, b: Rule): boolean {
  return logsourcesCompatible(a.logsource, b.logsource);
}
