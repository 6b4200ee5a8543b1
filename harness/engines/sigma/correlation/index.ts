import type { Alert, Constraints, Detector, Trace } from '../../../core/detector.ts';
import type { Event } from '../../../core/event.ts';
import { LocatedError } from '../../../core/located-error.ts';
import type { Rule } from '../../../core/rule.ts';
import { or, type Predicate } from '../../common/predicate.ts';
import { aggregatorFactory } from './aggregate.ts';
import { describeThresholds } from './condition.ts';
import { DEFAULT_TIMESTAMP_FIELDS, eventTimeReader } from './event-time.ts';
import { printRuleExpr } from './extended-condition.ts';
import { aliasResolver, compileGroupKeys, compileValues, type GroupKey } from './grouping.ts';
import { sortOccurrences, type Occurrence } from './occurrence.ts';
import { parseCorrelationSpec, type CorrelationSpec } from './spec.ts';
import { slide, type GroupHit } from './window.ts';

/**
 * Sigma correlation rules (sigma.md §9; Sigma correlation rules spec v2;
 * types and options as pySigma parses them). See window.ts for the window
 * and alert de-duplication semantics, grouping.ts for group-by and aliases.
 *
 * Events without a parseable timestamp (first parseable value among the
 * timestamp fields) cannot be placed in a time window and are ignored by the
 * correlation, as a SIEM ignores documents without its time field; explain()
 * says so for such an event.
 */
export interface CorrelationOptions {
  /** Fields event time is read from, first parseable wins (default: DEFAULT_TIMESTAMP_FIELDS). */
  readonly timestampFields?: readonly string[];
}

/** One alert of a correlation, with what an outer correlation of a chain needs. */
export interface CorrelationHit {
  readonly indices: readonly number[];
  /** Time of the last contributing event. */
  readonly time: number;
  /** Largest contributing event index: the tie-break among equal times. */
  readonly order: number;
  /** group-by field (or alias) → value. */
  readonly key: ReadonlyMap<string, string>;
}

export interface CorrelationDetector extends Detector {
  readonly generate: boolean;
  /** The `rules` entries as written (ids or names). */
  readonly references: readonly string[];
  correlate(events: readonly Event[]): readonly CorrelationHit[];
}

function isCorrelationDetector(d: Detector): d is CorrelationDetector {
  return typeof (d as Partial<CorrelationDetector>).correlate === 'function';
}

interface Source {
  readonly ref: string;
  readonly pos: number;
  readonly detector: Detector;
}

function resolveSources(spec: CorrelationSpec, rule: Rule, resolve: (ref: string) => Detector | undefined): Source[] {
  // parseCorrelationSpec has checked that `correlation` is a mapping; without `rules` the names come from the condition.
  const fromRules = (rule.body.correlation as Readonly<Record<string, unknown>>).rules !== undefined;
  return spec.references.map((ref, pos) => {
    const detector = resolve(ref);
    if (!detector) {
      throw new LocatedError('sigma/correlation', `correlation refers to rule '${ref}', but no loaded rule has this id or name`, fromRules ? ['correlation', 'rules', pos] : ['correlation', 'condition']);
    }
    return { ref, pos, detector };
  });
}

/** Every alias mapping must name one of the correlated rules (pySigma resolves them too). */
function checkAliases(spec: CorrelationSpec, refKeys: readonly (readonly string[])[]): void {
  for (const [alias, mapping] of spec.aliases) {
    for (const ruleRef of mapping.keys()) {
      if (!refKeys.some((keys) => keys.includes(ruleRef))) {
        throw new LocatedError('sigma/correlation', `alias '${alias}' maps rule '${ruleRef}', which is not one of the correlated rules`, ['correlation', 'aliases', alias, ruleRef], { atKey: true });
      }
    }
  }
}

const uniqueSorted = (xs: Iterable<number>): number[] => [...new Set(xs)].sort((a, b) => a - b);

/**
 * Compile a correlation document against already-compiled referenced rules.
 * @example
 * const d = compileCorrelation(rule, (ref) => detectors.get(ref), {});
 * d.detect(events) // one alert per group and window that satisfies the condition
 */
export function compileCorrelation(rule: Rule, resolve: (ref: string) => Detector | undefined, opts: CorrelationOptions): CorrelationDetector {
  const spec = parseCorrelationSpec(rule.body);
  const sources = resolveSources(spec, rule, resolve);
  const refKeys = sources.map((s) => [s.ref, ...(s.detector.rule.name ? [s.detector.rule.name] : []), s.detector.rule.id]);
  checkAliases(spec, refKeys);

  const timeFields = opts.timestampFields ?? DEFAULT_TIMESTAMP_FIELDS;
  const timeOf = eventTimeReader(timeFields);
  const fieldOf = aliasResolver(spec, refKeys);
  const keysOf = compileGroupKeys(spec.groupBy, fieldOf, sources.length);
  const valuesOf = compileValues(spec.measure, fieldOf, sources.length);
  const newAggregator = aggregatorFactory(spec.measure, sources.length, (name) => spec.references.indexOf(name));
  const bases = sources.filter((s) => !isCorrelationDetector(s.detector));
  const chained = sources.filter((s) => isCorrelationDetector(s.detector));

  const occurrencesOf = (events: readonly Event[]): Occurrence[] => {
    const occ: Occurrence[] = [];
    events.forEach((event, i) => {
      const rules = bases.filter((b) => b.detector.matches(event)).map((b) => b.pos);
      if (rules.length === 0) return;
      const time = timeOf(event);
      if (time !== undefined) occ.push({ time, order: i, indices: [i], subject: { kind: 'event', event }, rules });
    });
    for (const s of chained) {
      for (const h of (s.detector as CorrelationDetector).correlate(events)) {
        occ.push({ time: h.time, order: h.order, indices: h.indices, subject: { kind: 'group', key: h.key }, rules: [s.pos] });
      }
    }
    return sortOccurrences(occ);
  };

  const hitsOf = (o: Occurrence): GroupHit[] => {
    const byKey = new Map<string, { key: GroupKey; rules: number[] }>();
    for (const pos of o.rules) {
      for (const key of keysOf(pos, o.subject)) {
        const h = byKey.get(key.id);
        if (h) h.rules.push(pos);
        else byKey.set(key.id, { key, rules: [pos] });
      }
    }
    return [...byKey.values()].map((h) => ({ ...h, values: valuesOf(o.subject, h.rules) }));
  };

  const correlate = (events: readonly Event[]): CorrelationHit[] =>
    slide(occurrencesOf(events), { spanMs: spec.timespanMs, thresholds: spec.thresholds, newAggregator, hitsOf }).map((f) => ({
      indices: uniqueSorted(f.entries.flatMap((e) => e.occ.indices)),
      time: f.entries.reduce((m, e) => Math.max(m, e.occ.time), -Infinity),
      order: f.entries.reduce((m, e) => Math.max(m, e.occ.order), -1),
      key: new Map(spec.groupBy.map((g, i) => [g, f.key.values[i]!])),
    }));

  return {
    rule,
    warnings: spec.warnings,
    generate: spec.generate,
    references: spec.references,
    correlate,
    detect: (events): Alert[] => correlate(events).map((h) => ({ rule: rule.id, events: h.indices })),
    matches: (event) => sources.some((s) => s.detector.matches(event)),
    explain: (event) => explainEvent(event, sources, spec, timeOf(event), timeFields, keysOf),
    constraints: () => constraintsOf(spec, sources),
  };
}

function explainEvent(
  event: Event,
  sources: readonly Source[],
  spec: CorrelationSpec,
  time: number | undefined,
  timeFields: readonly string[],
  keysOf: (pos: number, s: { kind: 'event'; event: Event }) => GroupKey[],
): Trace {
  const children = sources.map((s): Trace => {
    const t = s.detector.explain(event);
    const keys = t.result === true && spec.groupBy.length > 0 ? keysOf(s.pos, { kind: 'event', event }) : undefined;
    const detail = keys === undefined ? undefined : keys.length === 0 ? `group-by ${spec.groupBy.join(', ')} missing: ignored by the correlation` : `group ${keys.map((k) => k.values.join(', ')).join(' | ')}`;
    return { label: `rule ${s.ref}`, result: t.result, ...(detail ? { detail } : {}), children: [t] };
  });
  const detail = time === undefined ? `no timestamp in ${timeFields.join(', ')}: the event cannot enter a time window` : `time ${new Date(time).toISOString()}`;
  return { label: `correlation ${spec.type} over ${spec.timespanMs / 1000}s`, result: children.some((c) => c.result === true), detail, children };
}

function conditionText(spec: CorrelationSpec): string {
  const m = spec.measure;
  switch (m.type) {
    case 'temporal':
      return m.expression ? `rules seen: ${printRuleExpr(m.expression)}` : describeThresholds('distinct rules', spec.thresholds);
    case 'temporal_ordered':
      return describeThresholds('rules in order', spec.thresholds);
    case 'event_count':
      return describeThresholds('count', spec.thresholds);
    case 'value_count':
      return describeThresholds(`distinct(${m.fields.join(', ')})`, spec.thresholds);
    case 'value_sum':
      return describeThresholds(`sum(${m.field})`, spec.thresholds);
    case 'value_avg':
      return describeThresholds(`avg(${m.field})`, spec.thresholds);
    case 'value_percentile':
      return describeThresholds(`percentile${m.percentile}(${m.field})`, spec.thresholds);
  }
}

function constraintsOf(spec: CorrelationSpec, sources: readonly Source[]): Constraints {
  const steps = sources.map((s) => s.detector.constraints());
  const logic: Predicate = or(steps.map((c, i) => ({ ...c.logic, label: `rule ${sources[i]!.detector.rule.name ?? sources[i]!.ref}` })));
  return { logic, aggregate: { type: spec.type, steps, windowMs: spec.timespanMs, groupBy: spec.groupBy, condition: conditionText(spec) } };
}
