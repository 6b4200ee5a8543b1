import fc from 'fast-check';
import { hashOf } from '../core/hash.ts';
import type { Constraints } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import type { Rule } from '../core/rule.ts';
import { fieldGetter } from '../engines/common/fields.ts';
import type { Predicate } from '../engines/common/predicate.ts';
import { parseTimestamp } from '../engines/common/time.ts';
import type { Case, Expectation } from '../scenarios/model.ts';
import { allPaths, flattenKeys, hasDottedKeys, hasNestedObjects, mapValues, nestKeys, replaceNodes, scalarFields, setField } from './event-edit.ts';
import { aggregateFields, allPredicates, fieldFacts, protectedFields, touchesAny, type FieldFacts } from './model/analysis.ts';
import { evaluate, leafTruth, leafVector, modelOptionsFor, type ModelOptions } from './model/evaluate.ts';
import { NOISE_FIELDS, noiseValue, reseededFaker, replacementFor, type Dialect } from './realistic.ts';
import { freeRuns } from './text-spans.ts';

/**
 * Outcome-preserving variants of a scenario case, derived only from the
 * rule's `constraints()` — never from its text, never from the engine.
 *
 * Transformations, and when each is applied (decided once per case, in `planVariants`):
 * - `noise-add`: add realistic irrelevant fields (ECS names for Elastic rules, Windows /
 *   Sysmon names for Sigma) that neither the logic, the group keys nor the timestamps touch.
 * - `noise-change`: give an existing irrelevant field another realistic value of the same
 *   type. Not for aggregate rules other than threshold: their join / mapping fields are not
 *   all in the tree (EQL per-step keys, threat mappings).
 * - `case`: change the case of a value whose field only `match` leaves read, at positions
 *   every leaf that holds reads case-insensitively or under a `*`.
 * - `filler`: replace text under a `*` of every pattern that holds (the text around the
 *   fixed parts), only on fields read solely by `match` leaves.
 * - `extra-element`: add an element to an existing array field — positives of single-event
 *   rules only, and only on fields no `not` and no opaque leaf mentions (adding a value can
 *   then only turn leaves true, which cannot turn a match off).
 * - `key-style`: nested ↔ dotted keys (`{"a":{"b":1}}` ↔ `{"a.b":1}`).
 * - `jitter`: shrink the gaps between the timestamps of a multi-event case of an aggregate
 *   rule (order kept, first event fixed) — only for cases expecting an alert, where a
 *   shorter span cannot leave a window but could create one; not when a step must be
 *   missing within the window (a shorter span can bring the missing event in).
 * Opaque leaves: the fields they read are never touched; an opaque leaf with no field (or a
 * fieldref) makes the whole event undecidable, so only key-style and jitter remain.
 * Every transformation except extra-element and jitter must leave the truth of every leaf
 * of every predicate unchanged on every event (checked with the model; a transformation
 * that would change one is dropped from that variant) — that is what "preserves the
 * outcome" means without asking the engine.
 */
export type OpKind = 'noise-add' | 'noise-change' | 'case' | 'filler' | 'extra-element' | 'key-style' | 'jitter';

export interface Op {
  readonly kind: OpKind;
  readonly seed: number;
}

export interface VariantSpec {
  readonly ops: readonly Op[];
}

export interface Variant {
  readonly events: readonly Event[];
  /** What was done, one line per applied transformation. */
  readonly transformations: readonly string[];
}

export interface VariantRule {
  readonly rule: Pick<Rule, 'format' | 'language' | 'kind' | 'body'>;
  readonly constraints: Constraints;
  /** Extra timestamp field names (project config). */
  readonly timestampFields?: readonly string[];
}

export interface VariantPlan {
  readonly kinds: readonly OpKind[];
  readonly original: readonly Event[];
  readonly expect: Expectation;
  readonly dialect: Dialect;
  readonly model: ModelOptions;
  readonly predicates: readonly Predicate[];
  readonly facts: FieldFacts;
  readonly protect: ReadonlySet<string>;
  /** Fields no transformation may change at all: timestamps, group keys, condition fields, EQL's category / tiebreaker. */
  readonly fixed: ReadonlySet<string>;
  readonly timestampFields: readonly string[];
  readonly vectors: readonly string[];
  readonly aggregate: boolean;
  /** Why a transformation is not used for this case (for reports). */
  readonly skipped: readonly string[];
}

const DEFAULT_TIME_FIELDS = ['@timestamp', 'timestamp', 'UtcTime', 'TimeCreated', 'EventTime', 'event.created', 'event.ingested', 'event.start', 'event.end'];

export function dialectOf(rule: Pick<Rule, 'format'>): Dialect {
  return rule.format === 'elastic' ? 'ecs' : 'windows';
}

export function planVariants(r: VariantRule, c: Pick<Case, 'events' | 'expect'>): VariantPlan {
  const predicates = allPredicates(r.constraints);
  const facts = fieldFacts(predicates);
  const model = modelOptionsFor(r.rule);
  const body = r.rule.body;
  const str = (k: string) => (typeof body[k] === 'string' && body[k] !== '' ? [body[k] as string] : []);
  const timestampFields = [...new Set([...DEFAULT_TIME_FIELDS, ...(r.timestampFields ?? []), ...str('timestamp_field')])];
  const elasticExtra = r.rule.format === 'elastic' ? ['event.category', ...str('tiebreaker_field'), ...str('event_category_override')] : [];
  const fixed = new Set([...timestampFields, ...aggregateFields(r.constraints), ...elasticExtra]);
  const protect = protectedFields(facts, fixed);
  const aggregate = r.constraints.aggregate !== undefined;
  const aggType = r.constraints.aggregate?.type;
  const kinds: OpKind[] = [];
  const skipped: string[] = [];
  const alert = c.expect.kind === 'alert';
  if (facts.opaqueWholeEvent) skipped.push('noise, case, filler, extra elements: an opaque clause reads the whole event');
  else {
    kinds.push('noise-add');
    if (!aggregate || aggType === 'threshold') kinds.push('noise-change');
    else skipped.push(`noise-change: ${aggType} rules may read fields the tree does not list`);
    kinds.push('case', 'filler');
    // ES|QL makes a comparison on a multi-valued field null (with a warning): an extra element drops the row.
    if (!aggregate && alert && r.rule.language !== 'esql') kinds.push('extra-element');
    else if (r.rule.language === 'esql') skipped.push('extra-element: ES|QL compares multi-valued fields as null');
  }
  // A rule reading the document as JSON (ES|QL `JSON_EXTRACT(_source, "a.b")`) sees how its keys are spelled.
  if ((r.constraints.reads ?? []).includes('_source')) skipped.push('key-style: the rule reads _source, where nested and dotted keys differ');
  else kinds.push('key-style');
  const mentionsTime = timestampFields.some((f) => facts.mentioned.has(f) || (r.constraints.reads ?? []).includes(f));
  // A step that must be *absent* within the window (EQL `![…]`, labelled `missing …`) turns "closer in time" into "caught by the window".
  const absentStep = (r.constraints.aggregate?.steps ?? []).some((s) => /^missing\b/.test(s.logic.label ?? ''));
  if (absentStep) skipped.push('jitter: a step must be missing within the window');
  if (aggregate && alert && c.events.length > 1 && !mentionsTime && !absentStep) kinds.push('jitter');
  const vectors = c.events.map((e) => leafVector(predicates, e, model));
  return { kinds, original: c.events, expect: c.expect, dialect: dialectOf(r.rule), model, predicates, facts, protect, fixed, timestampFields, vectors, aggregate, skipped };
}

/** Apply a spec: each op in turn; an op whose result the model says could change the outcome is dropped. */
export function applyVariant(plan: VariantPlan, spec: VariantSpec): Variant {
  let events = [...plan.original];
  const done: string[] = [];
  for (const op of spec.ops) {
    if (!plan.kinds.includes(op.kind)) continue;
    const r = TRANSFORMS[op.kind](plan, events, op.seed);
    if (!r) continue;
    // An event the op left as it was (the same object) keeps the vector checked before: re-evaluating
    // every event per op made long sequences (runs = 60) cost events × ops × leaves per variant.
    if (op.kind !== 'extra-element' && op.kind !== 'jitter' && !r.events.every((e, i) => e === events[i] || leafVector(plan.predicates, e, plan.model) === plan.vectors[i])) continue;
    if (op.kind === 'extra-element' && !r.events.every((e, i) => stillMatches(plan, events[i]!, e))) continue;
    events = [...r.events];
    done.push(r.description);
  }
  return { events, transformations: done };
}

function stillMatches(plan: VariantPlan, before: Event, after: Event): boolean {
  const logic = plan.predicates[0]!;
  return evaluate(logic, before, plan.model) !== 'T' || evaluate(logic, after, plan.model) === 'T';
}

type Transform = (plan: VariantPlan, events: readonly Event[], seed: number) => { events: Event[]; description: string } | undefined;

const pickIndex = (seed: number, n: number): number => (n === 0 ? 0 : Math.abs(seed) % n);

function replaceAt(events: readonly Event[], i: number, e: Event): Event[] {
  return events.map((x, k) => (k === i ? e : x));
}

const TRANSFORMS: Record<OpKind, Transform> = {
  'noise-add': (plan, events, seed) => {
    const f = reseededFaker(seed);
    const i = pickIndex(seed, events.length);
    let ev = events[i]!;
    const existing = allPaths(ev);
    const names = NOISE_FIELDS[plan.dialect].filter((n) => !touchesAny(n, plan.protect) && !touchesAny(n, existing));
    const chosen = f.helpers.arrayElements(names, { min: 1, max: Math.min(3, names.length) });
    const added: string[] = [];
    const style = hasNestedObjects(ev) || plan.dialect === 'ecs' ? 'nested' : 'dotted';
    for (const n of chosen) {
      const next = setField(ev, n, noiseValue(f, n, plan.dialect), style);
      if (next) {
        ev = next;
        added.push(n);
      }
    }
    return added.length ? { events: replaceAt(events, i, ev), description: `event ${i}: added irrelevant fields ${added.join(', ')}` } : undefined;
  },
  'noise-change': (plan, events, seed) => {
    const f = reseededFaker(seed);
    const i = pickIndex(seed, events.length);
    const ev = events[i]!;
    const candidates = scalarFields(ev).filter((s) => !Array.isArray(s.value) && s.value !== null && !touchesAny(s.field, plan.protect));
    if (candidates.length === 0) return undefined;
    const target = f.helpers.arrayElement(candidates);
    const value = replacementFor(f, target.field, target.value, plan.dialect);
    if (value === undefined || value === target.value) return undefined;
    const next = replaceNodes(ev, target.field, () => value);
    return { events: replaceAt(events, i, next), description: `event ${i}: changed irrelevant field ${target.field} to ${JSON.stringify(value)}` };
  },
  case: (plan, events, seed) => {
    const f = reseededFaker(seed);
    const options = textFields(plan, events, (uses) => uses.some((u) => u.leaf.kind === 'match' && u.leaf.mode === 'insensitive'));
    if (options.length === 0) return undefined;
    const { i, field } = f.helpers.arrayElement(options);
    const style = f.helpers.arrayElement(['upper', 'lower', 'random'] as const);
    let changed = false;
    const next = mapValues(events[i]!, field, (v) => {
      if (typeof v !== 'string') return v;
      const allowed = casePositions(plan, field, v);
      if (!allowed) return v;
      let out = '';
      for (let k = 0; k < v.length; k++) {
        const ch = v[k]!;
        const to = style === 'upper' ? ch.toUpperCase() : style === 'lower' ? ch.toLowerCase() : f.datatype.boolean() ? ch.toUpperCase() : ch.toLowerCase();
        out += allowed[k] && to.length === 1 ? to : ch;
      }
      if (out !== v) changed = true;
      return out;
    });
    return changed ? { events: replaceAt(events, i, next), description: `event ${i}: ${style}-cased ${field} (its match is case-insensitive)` } : undefined;
  },
  filler: (plan, events, seed) => {
    const f = reseededFaker(seed);
    const options = textFields(plan, events, (uses) => uses.some((u) => u.leaf.kind === 'match' && u.leaf.pattern.some((t) => t.kind === 'star')));
    if (options.length === 0) return undefined;
    const { i, field } = f.helpers.arrayElement(options);
    let described = '';
    const next = mapValues(events[i]!, field, (v) => {
      if (typeof v !== 'string' || described) return v;
      const holding = holdingPatterns(plan, field, v);
      const runs = holding.length ? freeRuns(v, holding) : undefined;
      if (!runs || runs.length === 0) return v;
      const [s, e] = f.helpers.arrayElement(runs);
      const fill = f.helpers.arrayElement([f.word.noun(), f.system.fileName(), ` ${f.word.verb()} `, f.string.alphanumeric({ length: { min: 1, max: 8 } }), '']);
      const out = v.slice(0, s) + fill + v.slice(e);
      if (out === v) return v;
      described = `replaced ${JSON.stringify(v.slice(s, e))} with ${JSON.stringify(fill)}`;
      return out;
    });
    return described ? { events: replaceAt(events, i, next), description: `event ${i}: ${field}: ${described} (text under a wildcard)` } : undefined;
  },
  'extra-element': (plan, events, seed) => {
    const f = reseededFaker(seed);
    const options: { i: number; field: string; sample: unknown }[] = [];
    events.forEach((ev, i) => {
      for (const s of scalarFields(ev)) {
        if (!Array.isArray(s.value) || s.value.length === 0) continue;
        if (plan.facts.negated.has(s.field) || plan.facts.opaque.has(s.field) || plan.timestampFields.includes(s.field)) continue;
        if (touchesAny(s.field, plan.facts.negated) || touchesAny(s.field, plan.fixed)) continue;
        options.push({ i, field: s.field, sample: s.value[0] });
      }
    });
    if (options.length === 0) return undefined;
    const { i, field, sample } = f.helpers.arrayElement(options);
    const extra = replacementFor(f, field, sample, plan.dialect);
    if (extra === undefined) return undefined;
    const next = replaceNodes(events[i]!, field, (node) => (Array.isArray(node) ? [...node, extra] : node));
    return { events: replaceAt(events, i, next), description: `event ${i}: appended ${JSON.stringify(extra)} to multi-valued ${field}` };
  },
  'key-style': (_plan, events, seed) => {
    const i = pickIndex(seed, events.length);
    const ev = events[i]!;
    const toDotted = hasNestedObjects(ev) && (!hasDottedKeys(ev) || seed % 2 === 0);
    const next = toDotted ? flattenKeys(ev) : hasDottedKeys(ev) ? nestKeys(ev) : undefined;
    if (!next || JSON.stringify(next) === JSON.stringify(ev)) return undefined;
    return { events: replaceAt(events, i, next), description: `event ${i}: rewrote keys ${toDotted ? 'nested → dotted' : 'dotted → nested'}` };
  },
  jitter: (plan, events, seed) => {
    const f = reseededFaker(seed);
    const field = plan.timestampFields.find((t) => events.every((e) => fieldGetter(t)(e).length === 1 && parseTimestamp(fieldGetter(t)(e)[0]) !== undefined));
    if (!field) return undefined;
    const times = events.map((e) => parseTimestamp(fieldGetter(field)(e)[0])!);
    if (times.some((t, k) => k > 0 && t < times[k - 1]!)) return undefined;
    const shifted = [times[0]!];
    for (let k = 1; k < times.length; k++) {
      const gap = times[k]! - times[k - 1]!;
      const shrunk = gap <= 1 ? gap : Math.max(1, Math.floor(gap * f.number.float({ min: 0.3, max: 1 })));
      shifted.push(shifted[k - 1]! + shrunk);
    }
    const out = events.map((e, k) => {
      const delta = shifted[k]! - times[k]!;
      if (delta === 0) return e;
      let next: Event = e;
      for (const tf of plan.timestampFields) {
        next = mapValues(next, tf, (v) => shiftTime(v, delta));
      }
      return next;
    });
    const gaps = (ts: number[]) => ts.slice(1).map((t, k) => `${t - ts[k]!}ms`).join(', ');
    return { events: out, description: `shrank the gaps between events (${field}) from ${gaps(times)} to ${gaps(shifted)}` };
  },
};

/** Same representation, moved by `delta` ms: ISO strings stay ISO (with or without `T`/`Z`), epochs stay epochs. */
export function shiftTime(v: unknown, delta: number): unknown {
  const t = parseTimestamp(v);
  if (t === undefined) return v;
  if (typeof v === 'number') return Math.abs(v) > 1e12 ? v + delta : v + delta / 1000;
  const s = String(v);
  const iso = new Date(t + delta).toISOString();
  if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(s)) return iso.replace('T', ' ').replace('Z', '');
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(s)) return iso.replace('Z', '');
  if (/^-?\d+(\.\d+)?$/.test(s)) return String(Math.abs(Number(s)) > 1e12 ? Number(s) + delta : Number(s) + delta / 1000);
  return iso;
}

/** Fields of the events whose value the model may vary: read only by field `match` leaves, not protected otherwise. */
function textFields(plan: VariantPlan, events: readonly Event[], want: (uses: FieldFacts['byField'] extends ReadonlyMap<string, infer U> ? U : never) => boolean): { i: number; field: string }[] {
  const out: { i: number; field: string }[] = [];
  for (const [field, uses] of plan.facts.byField) {
    if (!uses.every((u) => u.leaf.kind === 'match')) continue;
    if (plan.facts.opaque.has(field) || !want(uses)) continue;
    if (touchesAny(field, plan.fixed)) continue;
    events.forEach((ev, i) => {
      if (fieldGetter(field)(ev).some((v) => typeof v === 'string')) out.push({ i, field });
    });
  }
  return out;
}

type MatchUse = { pattern: import('../engines/common/pattern.ts').Pattern; mode: import('../engines/common/pattern.ts').CaseMode; insensitive: boolean };

/** Patterns of `field`'s match leaves that hold on this value. */
function holdingPatterns(plan: VariantPlan, field: string, v: string): MatchUse[] {
  const out: MatchUse[] = [];
  const probe = setField({}, field, v, 'dotted') ?? {};
  for (const u of plan.facts.byField.get(field) ?? []) {
    const l = u.leaf;
    if (l.kind !== 'match') continue;
    if (leafTruth(l, probe, plan.model) === 'T') out.push({ pattern: l.pattern, mode: l.mode, insensitive: l.mode === 'insensitive' });
  }
  return out;
}

/** Positions whose case may change: under a `*` of every holding pattern, or read by case-insensitive leaves only. */
function casePositions(plan: VariantPlan, field: string, v: string): boolean[] | undefined {
  const uses = plan.facts.byField.get(field) ?? [];
  const allInsensitive = uses.every((u) => u.leaf.kind === 'match' && u.leaf.mode === 'insensitive');
  if (allInsensitive) return new Array<boolean>(v.length).fill(true);
  const holding = holdingPatterns(plan, field, v);
  const runs = holding.length ? freeRuns(v, holding) : undefined;
  if (!runs) return undefined;
  const out = new Array<boolean>(v.length).fill(false);
  for (const [s, e] of runs) for (let k = s; k < e; k++) out[k] = true;
  return out;
}

/** Variants as a fast-check arbitrary: a few seeded ops; shrinking drops ops and lowers seeds. */
export function variantArbitrary(plan: VariantPlan): fc.Arbitrary<{ spec: VariantSpec; variant: Variant }> {
  const op = fc.record({ kind: fc.constantFrom(...plan.kinds), seed: fc.nat({ max: 1_000_000 }) });
  return fc.array(op, { minLength: 1, maxLength: 4 }).map((ops) => {
    const spec = { ops };
    return { spec, variant: applyVariant(plan, spec) };
  });
}

export function caseFingerprint(c: Pick<Case, 'events' | 'expect' | 'history' | 'indicators'>): string {
  return hashOf(JSON.stringify([c.events, c.expect, c.history, c.indicators])).toString(16);
}
