/** Test helpers: fake base detectors (so these tests do not depend on the Sigma engine) and rule documents. */
import type { Detector } from '../../../core/detector.ts';
import type { Event } from '../../../core/event.ts';
import type { Rule } from '../../../core/rule.ts';
import { compileCorrelation, type CorrelationDetector, type CorrelationOptions } from './index.ts';

export function ruleOf(id: string, body: Record<string, unknown>, name?: string): Rule {
  return {
    id,
    title: id,
    format: 'sigma',
    language: 'sigma',
    kind: 'correlation' in body ? 'correlation' : 'event',
    ...(name ? { name } : {}),
    techniques: [],
    tactics: [],
    tags: [],
    related: [],
    source: { file: 'test.yml', line: 1, column: 1 },
    document: 0,
    body,
  };
}

/** A base rule: matches when `field` equals `value`. */
export function fakeRule(id: string, name: string | undefined, field: string, value: unknown): Detector {
  const matches = (e: Event): boolean => e[field] === value;
  return {
    rule: ruleOf(id, { detection: {} }, name),
    detect: (events) => events.flatMap((e, i) => (matches(e) ? [{ rule: id, events: [i] }] : [])),
    matches,
    explain: (e) => ({ label: `${field} = ${String(value)}`, result: matches(e), children: [] }),
    constraints: () => ({ logic: { kind: 'equals', field, value: typeof value === 'number' ? value : 0 } }),
  };
}

/** A registry of detectors by id and name, like compileRuleSet's resolve. */
export class Registry {
  private readonly byRef = new Map<string, Detector>();
  add(d: Detector): this {
    this.byRef.set(d.rule.id, d);
    if (d.rule.name) this.byRef.set(d.rule.name, d);
    return this;
  }
  resolve = (ref: string): Detector | undefined => this.byRef.get(ref);
  correlation(id: string, correlation: Record<string, unknown>, opts: CorrelationOptions = {}, name?: string): CorrelationDetector {
    const d = compileCorrelation(ruleOf(id, { title: id, correlation }, name), this.resolve, opts);
    this.add(d);
    return d;
  }
}

const T0 = Date.parse('2024-05-01T10:00:00Z');
/** ISO timestamp `minutes` after a fixed start. */
export const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();
