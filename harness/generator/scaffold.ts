import { dirname, relative } from 'node:path';
import { Document, isMap, isSeq, parseDocument } from 'yaml';
import type { Constraints, Detector } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import { fieldGetter } from '../engines/common/fields.ts';
import type { Predicate } from '../engines/common/predicate.ts';
import type { Expectation } from '../scenarios/model.ts';
import { topBranches } from './branches.ts';
import { setField } from './event-edit.ts';
import { aggregateFields, allPredicates, fieldFacts, protectedFields, touchesAny } from './model/analysis.ts';
import { evaluate, modelOptionsFor, type ModelOptions } from './model/evaluate.ts';
import { nearMisses } from './near-miss.ts';
import { noiseValue, realisticValue, seededFaker, type Dialect } from './realistic.ts';
import { synthesize, type SynthContext } from './synthesize.ts';
import { dialectOf } from './variants.ts';
import { draftEsql } from './esql-draft.ts';

/**
 * Scenario drafts synthesized from a rule's constraints: one positive per
 * top-level branch (a satisfying assignment of the tree with realistic
 * filler and noise), one near-miss negative per constraint of the first
 * branch, a benign event; for aggregate kinds a best effort (sequence steps in
 * order 1 s apart sharing the join keys; threshold / event_count copies with
 * equal group fields; value_count distinct values; new_terms with a history).
 * Every expectation comes from the generator's model; a case the model cannot
 * decide is left out and named in the notes.
 */
export interface DraftCase {
  readonly name: string;
  readonly expect: Expectation;
  readonly events: readonly Event[];
  readonly history?: readonly Event[];
  /** The branch / clause the case covers (a YAML comment on the case). */
  readonly comment: string;
  readonly role: 'positive' | 'negative';
  readonly alsoFires?: readonly string[];
}

export interface Draft {
  readonly cases: readonly DraftCase[];
  /** What could not be drafted, and why (YAML comments at the top; printed by the CLI). */
  readonly notes: readonly string[];
  /** Set when the rule's kind is not supported at all. */
  readonly unsupported?: string;
}

export interface ScaffoldOptions {
  readonly seed?: number;
  /** Timestamp fields of the project config (Sigma correlations). */
  readonly timestampFields?: readonly string[];
}

export const T0 = Date.parse('2024-05-01T10:00:00.000Z');
export const iso = (ms: number) => new Date(ms).toISOString();

export interface Ctx {
  readonly detector: Pick<Detector, 'rule' | 'constraints'>;
  readonly constraints: Constraints;
  readonly model: ModelOptions;
  readonly dialect: Dialect;
  readonly seed: number;
  readonly protect: ReadonlySet<string>;
  readonly timeField: string;
  readonly os: 'windows' | 'unix';
}

/** The platform a rule's events come from: its log source, its path, else the separators its patterns use. */
function osOf(detector: Pick<Detector, 'rule'>, constraints: Constraints): 'windows' | 'unix' {
  const r = detector.rule;
  const product = r.logsource?.product?.toLowerCase();
  if (product === 'windows') return 'windows';
  if (product === 'linux' || product === 'macos') return 'unix';
  if (/(^|\/)(windows)\//.test(r.source.file)) return 'windows';
  if (/(^|\/)(linux|macos)\//.test(r.source.file)) return 'unix';
  let back = 0;
  let fwd = 0;
  for (const p of allPredicates(constraints)) {
    const text = JSON.stringify(p);
    back += (text.match(/\\\\/g) ?? []).length;
    fwd += (text.match(/\//g) ?? []).length;
  }
  return back >= fwd && r.format === 'sigma' ? 'windows' : back > fwd ? 'windows' : 'unix';
}

const NOISE: Record<Dialect, readonly string[]> = {
  ecs: ['host.name', 'host.os.type', 'agent.type', 'user.domain', 'process.pid', 'ecs.version'],
  windows: ['Computer', 'ProcessId', 'LogonId', 'TerminalSessionId'],
};

function noiseEvent(c: Ctx, seed: number, withTime: number | undefined): Event {
  const f = seededFaker(seed);
  let ev: Event = {};
  if (withTime !== undefined && !c.protect.has(c.timeField)) ev = setField(ev, c.timeField, iso(withTime)) ?? ev;
  for (const n of NOISE[c.dialect]) {
    if (touchesAny(n, c.protect)) continue;
    const v = n === 'host.os.type' ? f.helpers.arrayElement(['windows', 'linux']) : n === 'agent.type' ? 'endpoint' : noiseValue(f, n, c.dialect);
    ev = setField(ev, n, v, c.dialect === 'ecs' ? 'nested' : 'dotted') ?? ev;
  }
  return ev;
}

function synthCtx(c: Ctx, seed: number): SynthContext {
  return { model: c.model, dialect: c.dialect, faker: seededFaker(seed), style: c.dialect === 'ecs' ? 'nested' : 'dotted', avoid: c.protect, os: c.os };
}

function makeCtx(detector: Pick<Detector, 'rule' | 'constraints'>, o: ScaffoldOptions): Ctx {
  const constraints = detector.constraints();
  const facts = fieldFacts(allPredicates(constraints));
  const body = detector.rule.body;
  const fromConfig = detector.rule.format === 'sigma' ? o.timestampFields?.[0] : undefined;
  const timeField = typeof body.timestamp_field === 'string' && body.timestamp_field ? body.timestamp_field : (fromConfig ?? '@timestamp');
  return {
    detector,
    constraints,
    model: modelOptionsFor(detector.rule),
    dialect: dialectOf(detector.rule),
    seed: o.seed ?? 1,
    protect: protectedFields(facts, aggregateFields(constraints)),
    timeField,
    os: osOf(detector, constraints),
  };
}

export function draftScenario(detector: Pick<Detector, 'rule' | 'constraints'>, o: ScaffoldOptions = {}): Draft {
  const c = makeCtx(detector, o);
  if (detector.rule.language === 'esql') return draftEsql(c, draftSingle);
  const agg = c.constraints.aggregate;
  if (!agg) return draftSingle(c);
  switch (agg.type) {
    case 'sequence':
    case 'sample':
    case 'temporal':
    case 'temporal_ordered':
      return draftSteps(c);
    case 'threshold':
    case 'event_count':
    case 'value_count':
      return draftCounting(c);
    case 'new_terms':
      return draftNewTerms(c);
    case 'threat_match':
      return { cases: [], notes: [], unsupported: 'threat_match rules need indicator documents from a threat index: write the indicators and events by hand' };
    default:
      return { cases: [], notes: [], unsupported: `${agg.type} correlations are not drafted (only event_count, value_count, temporal, temporal_ordered, threshold, sequence, new_terms)` };
  }
}

/** Positive events, one per branch of a predicate: [event, branch label][] plus notes on branches that failed. */
export function positives(c: Ctx, logic: Predicate, seedBase: number, time: number | undefined): { hits: { event: Event; label: string; branch: Predicate }[]; notes: string[] } {
  const hits: { event: Event; label: string; branch: Predicate }[] = [];
  const notes: string[] = [];
  const seen = new Set<string>();
  topBranches(logic).forEach((b, i) => {
    const base = noiseEvent(c, seedBase + i, time);
    const ev = synthesize(b.predicate, true, base, synthCtx(c, seedBase + i));
    const verdict = ev ? evaluate(logic, ev, c.model) : undefined;
    if (!ev || verdict !== 'T') {
      notes.push(`branch '${b.label}': ${ev ? `the generator's model cannot decide it (${verdict === 'U' ? 'opaque clause' : 'no satisfying assignment'})` : 'no satisfying assignment found'} — write this positive by hand`);
      return;
    }
    const key = JSON.stringify(ev);
    if (seen.has(key)) return;
    seen.add(key);
    hits.push({ event: ev, label: b.label, branch: b.predicate });
  });
  return { hits, notes };
}

function draftSingle(c: Ctx): Draft {
  const logic = c.constraints.logic;
  const time = c.dialect === 'ecs' ? T0 : undefined;
  const { hits, notes } = positives(c, logic, c.seed * 1000, time);
  const cases: DraftCase[] = hits.map((h, i) => ({ name: `matches ${h.label}`.slice(0, 120), expect: { kind: 'alert' }, events: [h.event], comment: `positive for branch ${i + 1}: ${h.label}`, role: 'positive' }));
  const first = hits[0];
  if (first) {
    for (const nm of nearMisses(logic, first.event, { model: c.model, dialect: c.dialect, seed: c.seed, within: first.branch })) {
      cases.push({ name: `near miss: ${nm.constraint}`.slice(0, 120), expect: { kind: 'none' }, events: [nm.event], comment: `negative for clause ${nm.constraint} of branch 1 — ${nm.description}`, role: 'negative' });
    }
  }
  const benign = noiseEvent(c, c.seed * 1000 + 999, time);
  const bv = evaluate(logic, benign, c.model);
  if (bv === 'F' || bv === 'N') cases.push({ name: 'benign event', expect: { kind: 'none' }, events: [benign], comment: 'negative: ordinary activity with none of the fields the rule looks for', role: 'negative' });
  return { cases: uniqueNames(cases), notes };
}

export function firstPositive(c: Ctx, logic: Predicate, seed: number, time: number): { event: Event; label: string } | undefined {
  const { hits } = positives(c, logic, seed, time);
  return hits[0];
}

/**
 * One value per join key, shared by the events: `keysOf(i)` names event i's join fields,
 * position by position (sequence steps may join on different fields); the first event's
 * value when it has one.
 */
export function shareKeys(c: Ctx, events: Event[], keyCount: number, keysOf: (i: number) => readonly string[], seed: number, fresh = false): Event[] {
  const f = seededFaker(seed);
  let out = events;
  for (let k = 0; k < keyCount; k++) {
    const names = out.map((_, i) => keysOf(i)[k]);
    if (names.some((n) => n === undefined || !/^[\w.@-]+$/.test(n))) continue;
    // A key a step already set (it may be constrained there) is shared as it is.
    const existing = fresh ? undefined : out.map((e, i) => fieldGetter(names[i]!)(e)[0]).find((x) => x !== undefined && x !== null);
    const v = existing ?? realisticValue(f, names[0]!, c.dialect);
    out = out.map((e, i) => setField(e, names[i]!, v, c.dialect === 'ecs' ? 'nested' : 'dotted') ?? e);
  }
  return out;
}

function spacing(c: Ctx, n: number): number {
  const w = c.constraints.aggregate?.windowMs;
  return w !== undefined && w > 0 && w <= n * 1000 ? Math.max(1, Math.floor(w / (n + 1))) : 1000;
}

function draftSteps(c: Ctx): Draft {
  const agg = c.constraints.aggregate!;
  const steps = agg.steps.filter((s) => !(s.logic.label ?? '').startsWith('missing '));
  if (steps.length === 0) return { cases: [], notes: [], unsupported: `${agg.type} without steps` };
  const gap = spacing(c, steps.length);
  const notes: string[] = [];
  const events: Event[] = [];
  for (const [i, s] of steps.entries()) {
    const hit = firstPositive(c, s.logic, c.seed * 1000 + i * 37, T0 + i * gap);
    if (!hit) return { cases: [], notes: [`step ${i + 1} (${s.logic.label ?? 'unlabelled'}): no satisfying event found — write the case by hand`] };
    events.push(setField(hit.event, c.timeField, iso(T0 + i * gap)) ?? hit.event);
  }
  const keysOf = (i: number): readonly string[] => steps[i]?.keys ?? agg.groupBy;
  const shared = shareKeys(c, events, agg.groupBy.length, keysOf, c.seed);
  if (!shared.every((e, i) => evaluate(steps[i]!.logic, e, c.model) === 'T')) notes.push(`the join keys (${agg.groupBy.join(', ')}) are also constrained by a step: check the draft's key values`);
  const cases: DraftCase[] = [{ name: `all ${steps.length} steps in order`, expect: { kind: 'alert' }, events: shared, comment: `positive: one event per step, ${gap} ms apart${agg.groupBy.length ? `, same ${agg.groupBy.join(', ')}` : ''}`, role: 'positive' }];
  if (steps.length > 1) cases.push({ name: 'last step missing', expect: { kind: 'none' }, events: shared.slice(0, -1), comment: 'negative: the sequence never completes', role: 'negative' });
  if (agg.groupBy.length && steps.length > 1) {
    const other = shareKeys(c, [shared.at(-1)!], agg.groupBy.length, () => keysOf(steps.length - 1), c.seed + 17, true)[0]!;
    if (JSON.stringify(other) !== JSON.stringify(shared.at(-1))) cases.push({ name: 'last step for another key', expect: { kind: 'none' }, events: [...shared.slice(0, -1), other], comment: `negative: the last step carries other ${agg.groupBy.join(', ')} values`, role: 'negative' });
  }
  return { cases, notes };
}

/** `count >= 5` → the smallest count meeting it; undefined if none is stated. */
function countNeeded(condition: string | undefined, subject: RegExp): number | undefined {
  if (!condition) return undefined;
  const m = new RegExp(`${subject.source}\\s*(>=|>|==|=)\\s*(\\d+)`).exec(condition);
  if (!m) return undefined;
  const n = Number(m[2]);
  return m[1] === '>' ? n + 1 : n;
}

function draftCounting(c: Ctx): Draft {
  const agg = c.constraints.aggregate!;
  const logic = agg.steps[0]?.logic ?? c.constraints.logic;
  const valueField = agg.type === 'value_count' ? /distinct\(([^)]*)\)/.exec(agg.condition ?? '')?.[1]?.split(',')[0]?.trim() : undefined;
  const card = agg.type === 'threshold' ? [...(agg.condition ?? '').matchAll(/cardinality\(([^)]+)\)\s*>=\s*(\d+)/g)].map((m) => ({ field: m[1]!, n: Number(m[2]) })) : [];
  const n = agg.type === 'value_count' ? countNeeded(agg.condition, /distinct\([^)]*\)/) : countNeeded(agg.condition, /count/);
  if (n === undefined) return { cases: [], notes: [], unsupported: `cannot read the threshold from '${agg.condition ?? ''}'` };
  const total = Math.max(n, 1, ...card.map((x) => x.n));
  const gap = spacing(c, total);
  const hit = firstPositive(c, logic, c.seed * 1000, T0);
  if (!hit) return { cases: [], notes: ['no event satisfying the rule logic was found — write the cases by hand'] };
  const f = seededFaker(c.seed + 5);
  const distinct = (field: string, i: number, e: Event) => setField(e, field, `${realisticValue(f, field, c.dialect)}-${i}`, c.dialect === 'ecs' ? 'nested' : 'dotted') ?? e;
  const make = (count: number, vary: boolean) => {
    let evs = Array.from({ length: count }, (_, i) => setField(hit.event, c.timeField, iso(T0 + i * gap)) ?? hit.event);
    evs = shareKeys(c, evs, agg.groupBy.length, () => agg.groupBy, c.seed);
    if (vary) {
      for (const fld of [...(valueField ? [valueField] : []), ...card.map((x) => x.field)]) evs = evs.map((e, i) => distinct(fld, i, e));
    }
    return evs;
  };
  const positive = make(total, true);
  const notes: string[] = [];
  if (!positive.every((e) => evaluate(logic, e, c.model) === 'T')) notes.push('the group / counted fields are also constrained by the logic: check the draft');
  const what = valueField ? `${total} distinct ${valueField}` : `${total} events`;
  const cases: DraftCase[] = [{ name: `${what} in one group`, expect: { kind: 'alert' }, events: positive, comment: `positive: ${agg.condition ?? ''}${agg.groupBy.length ? ` grouped by ${agg.groupBy.join(', ')}` : ''}`, role: 'positive' }];
  if (total > 1) {
    const below = valueField ? make(total, false) : make(total - 1, true);
    cases.push({ name: valueField ? `${total} events with one ${valueField}` : `${total - 1} events, one short`, expect: { kind: 'none' }, events: below, comment: `negative: just below ${agg.condition ?? 'the threshold'}`, role: 'negative' });
  }
  return { cases, notes };
}

function draftNewTerms(c: Ctx): Draft {
  const agg = c.constraints.aggregate!;
  const hit = firstPositive(c, c.constraints.logic, c.seed * 1000, T0);
  if (!hit) return { cases: [], notes: ['no event satisfying the rule query was found — write the cases by hand'] };
  const past = T0 - Math.min((agg.windowMs ?? 86_400_000) / 2, 86_400_000);
  const style = c.dialect === 'ecs' ? 'nested' : 'dotted';
  const f = seededFaker(c.seed + 3);
  // The new-terms fields need values (kept when the query already set them), and the history other ones.
  let event = setField(hit.event, c.timeField, iso(T0)) ?? hit.event;
  let other = setField(event, c.timeField, iso(past)) ?? event;
  for (const k of agg.groupBy) {
    const current = fieldGetter(k)(event)[0];
    const now = current ?? realisticValue(f, k, c.dialect);
    let before = realisticValue(f, k, c.dialect);
    if (String(before) === String(now)) before = `${before}0`;
    if (current === undefined) event = setField(event, k, now, style) ?? event;
    other = setField(other, k, current === undefined ? before : now, style) ?? other;
  }
  const seenBefore = setField(event, c.timeField, iso(past)) ?? event;
  return {
    cases: [
      { name: 'new term', expect: { kind: 'alert' }, events: [event], history: [other], comment: `positive: ${agg.groupBy.join(', ')} not seen in the history window`, role: 'positive' },
      { name: 'term already seen', expect: { kind: 'none' }, events: [event], history: [seenBefore], comment: `negative: the same ${agg.groupBy.join(', ')} was seen in the history window`, role: 'negative' },
    ],
    notes: [],
  };
}

export function uniqueNames(cases: DraftCase[]): DraftCase[] {
  const used = new Map<string, number>();
  return cases.map((c) => {
    const n = used.get(c.name) ?? 0;
    used.set(c.name, n + 1);
    return n === 0 ? c : { ...c, name: `${c.name} (${n + 1})` };
  });
}

/** The draft as scenario YAML: `$schema` comment line first, a comment on every case. */
export function renderDraft(rule: { id: string; title: string; file: string }, scenarioPath: string, schemaPath: string, draft: Draft): string {
  const rel = relative(dirname(scenarioPath), schemaPath).split('\\').join('/');
  const cases = draft.cases.map((c) => ({
    name: c.name,
    expect: c.expect.kind === 'count' ? { alerts: c.expect.alerts } : c.expect.kind,
    ...(c.alsoFires?.length ? { also_fires: [...c.alsoFires] } : {}),
    ...(c.history ? { history: c.history } : {}),
    events: c.events,
  }));
  // Cases share event objects (a near miss copies its positive): written out in full, never as YAML aliases.
  const doc = new Document({ rule: rule.id, cases }, { aliasDuplicateObjects: false });
  doc.commentBefore = [
    ` yaml-language-server: $schema=${rel}`,
    ` Scenario for '${rule.title}' (${rule.file}).`,
    ' Drafted by `rule-harness scaffold` from the rule\'s own logic: review every event, make it realistic, then commit.',
    ...draft.notes.map((n) => ` NOTE: ${n}`),
  ].join('\n');
  const seq = doc.get('cases');
  if (isSeq(seq)) {
    seq.items.forEach((item, i) => {
      const dc = draft.cases[i]!;
      if (isMap(item)) item.commentBefore = ` ${dc.comment}${dc.alsoFires?.length ? ` (also fires: ${dc.alsoFires.join(', ')} — check)` : ''}`;
    });
  }
  return doc.toString({ lineWidth: 0 });
}

/**
 * `scaffold --missing`: the draft's positives for top-level branches that no
 * positive event of the existing cases satisfies (decided by the generator's
 * model, like every expectation here).
 */
export function missingBranchCases(detector: Pick<Detector, 'rule' | 'constraints'>, draft: Draft, existingPositives: readonly Event[]): DraftCase[] {
  const constraints = detector.constraints();
  if (constraints.aggregate) return [];
  const model = modelOptionsFor(detector.rule);
  const uncovered = topBranches(constraints.logic).filter((b) => !existingPositives.some((e) => evaluate(b.predicate, e, model) === 'T'));
  const names = new Set(uncovered.map((b) => `matches ${b.label}`.slice(0, 120)));
  return draft.cases.filter((c) => c.role === 'positive' && names.has(c.name));
}

/** Append drafted cases to an existing scenario file, keeping its text, comments and cases; `by` names the command in each case's comment. */
export function appendDraftCases(existingText: string, cases: readonly DraftCase[], by = 'scaffold --missing'): string {
  const doc = parseDocument(existingText);
  const seq = doc.get('cases');
  if (!isSeq(seq)) throw new Error('the scenario has no `cases` list to add to');
  const taken = new Set(seq.items.map((i) => (isMap(i) ? String(i.get('name')) : '')));
  for (const c of cases) {
    let name = c.name;
    for (let n = 2; taken.has(name); n++) name = `${c.name} (${n})`;
    taken.add(name);
    const node = doc.createNode({ name, expect: c.expect.kind === 'count' ? { alerts: c.expect.alerts } : c.expect.kind, ...(c.alsoFires?.length ? { also_fires: [...c.alsoFires] } : {}), events: c.events }, { aliasDuplicateObjects: false });
    node.commentBefore = ` ${c.comment} (added by ${by}: review and make realistic)`;
    seq.items.push(node);
  }
  return doc.toString({ lineWidth: 0 });
}
