import type { Alert, Detector } from '../../core/detector.ts';
import { LocatedError } from '../../core/located-error.ts';
import type { Rule } from '../../core/rule.ts';
import { fieldGetter, scalarText } from '../common/fields.ts';
import type { EventQuery } from './event-query.ts';
import { termCombinations } from './group-key.ts';
import { isRecord } from '../../core/event.ts';

/**
 * Threshold rules: the matching events of one rule execution (a scenario
 * case) are grouped by `threshold.field` (none: one group); a group alerts
 * when it holds ≥ `value` events and, for each `cardinality` entry, ≥ its
 * value distinct values of that field. One alert per group, listing its events.
 */
interface ThresholdSpec {
  readonly fields: readonly string[];
  readonly value: number;
  readonly cardinality: readonly { readonly field: string; readonly value: number }[];
}


export function thresholdSpec(body: Readonly<Record<string, unknown>>): ThresholdSpec {
  const t = body.threshold;
  if (!isRecord(t)) throw new LocatedError('elastic/threshold', 'a threshold rule needs a [rule.threshold] table', ['threshold']);
  const fields = Array.isArray(t.field) ? t.field.filter((f): f is string => typeof f === 'string' && f !== '') : typeof t.field === 'string' && t.field !== '' ? [t.field] : [];
  if (typeof t.value !== 'number' || t.value < 1) throw new LocatedError('elastic/threshold', 'threshold.value must be a number ≥ 1', ['threshold']);
  const cardinality = (Array.isArray(t.cardinality) ? t.cardinality : []).map((c) => {
    if (!isRecord(c) || typeof c.field !== 'string' || typeof c.value !== 'number') throw new LocatedError('elastic/threshold', 'threshold.cardinality entries need field and value', ['threshold']);
    return { field: c.field, value: c.value };
  });
  return { fields, value: t.value, cardinality };
}

export function thresholdDetector(rule: Rule, q: EventQuery): Detector {
  const spec = thresholdSpec(rule.body);
  const keysOf = spec.fields.length ? termCombinations(spec.fields) : () => ['[]'];
  const cardGetters = spec.cardinality.map((c) => ({ get: fieldGetter(c.field), min: c.value }));
  return {
    rule,
    detect(events) {
      const groups = new Map<string, number[]>();
      events.forEach((e, i) => {
        if (!q.matches(e)) return;
        for (const k of keysOf(e)) groups.set(k, [...(groups.get(k) ?? []), i]);
      });
      const alerts: Alert[] = [];
      for (const idx of groups.values()) {
        if (idx.length < spec.value) continue;
        const cardOk = cardGetters.every(({ get, min }) => new Set(idx.flatMap((i) => get(events[i]).map(scalarText))).size >= min);
        if (cardOk) alerts.push({ rule: rule.id, events: idx });
      }
      return alerts;
    },
    matches: (e) => q.matches(e),
    ...(q.prefilter ? { prefilter: q.prefilter } : {}),
    explain: (e) => q.explain(e),
    constraints: () => ({
      logic: q.logic,
      aggregate: { type: 'threshold', steps: [], groupBy: spec.fields, condition: `count >= ${spec.value}${spec.cardinality.map((c) => ` and cardinality(${c.field}) >= ${c.value}`).join('')}` },
    }),
  };
}
