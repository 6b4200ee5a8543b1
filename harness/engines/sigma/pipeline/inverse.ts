/**
 * Events written once in Sigma's field names, translated for a pipeline by
 * the inverse of its field mapping: each field of the event is put through
 * the pipeline (as an item of a rule with the same logsource and tags), and
 * its value moves to the name the pipeline gives it. Conditions the pipeline
 * adds (a channel, an EventID) describe where the event was logged, so the
 * translated event gets the value they require. Where this is ambiguous (a
 * field mapped to several names, an added condition with several values) the
 * first is used and a note says so; where it contradicts itself (two fields
 * landing on one name with different values) it fails, and the case should
 * give its events for that pipeline (`events_for`).
 */
import type { Event } from '../../../core/event.ts';
import { isRecord } from '../../../core/event.ts';
import type { Rule } from '../../../core/rule.ts';
import type { ParsedDetection } from '../detection.ts';
import type { ParsedItem } from '../detection-item.ts';
import { applyPipeline, type ComposedPipeline, type MappedRule } from './apply.ts';
import { PipelineRejection } from './model.ts';
import { parseSection } from '../detections.ts';
import { plainText } from '../sigma-string.ts';
import type { SigmaValue } from '../values.ts';

export class InverseMappingConflict extends Error {}

export interface Translated {
  readonly events: readonly Event[];
  /** Where the inverse was ambiguous and which choice was made. */
  readonly notes: readonly string[];
}

function itemsOf(d: ParsedDetection): ParsedItem[] {
  return d.items.flatMap((x) => (x.kind === 'item' ? [x] : itemsOf(x)));
}

/** Set a dotted ECS-style name as nested objects (an existing literal dotted key stays where it is). */
function put(e: Record<string, unknown>, field: string, value: unknown): void {
  const parts = field.split('.');
  let o = e;
  for (const p of parts.slice(0, -1)) {
    const next = o[p];
    if (!isRecord(next)) o[p] = {};
    o = o[p] as Record<string, unknown>;
  }
  o[parts.at(-1)!] = value;
}

function has(e: Record<string, unknown>, field: string): boolean {
  if (field in e) return true;
  let o: unknown = e;
  for (const p of field.split('.')) {
    if (!isRecord(o) || !(p in o)) return false;
    o = o[p];
  }
  return true;
}

/** The Sigma field names the rule's detection reads. */
function ruleFields(rule: Rule): Set<string> {
  const out = new Set<string>();
  const visit = (v: unknown, depth: number): void => {
    if (Array.isArray(v)) v.forEach((x) => visit(x, depth));
    else if (isRecord(v)) {
      for (const [k, x] of Object.entries(v)) {
        if (depth > 0) out.add(k.split('|')[0]!);
        visit(x, depth + 1);
      }
    }
  };
  visit(rule.body.detection, 0);
  return out;
}

/** A value an added condition requires, if it names one plainly. */
function plainValue(v: SigmaValue): unknown {
  if (v.kind === 'number' || v.kind === 'boolean') return v.value;
  if (v.kind === 'string' && v.s.every((t) => t.kind === 'text')) return plainText(v.s);
  return undefined;
}

/** The pipeline applied to a rule like `rule` whose only selection names `keys` (no keys: a field the pipeline never maps). */
function probe(rule: Rule, pipeline: ComposedPipeline, keys: readonly string[]): MappedRule {
  const names = keys.length > 0 ? keys : ['\u0000probe'];
  const detection = { sel: Object.fromEntries(names.map((k) => [k, 'x'])), condition: 'sel' };
  const section = parseSection(detection, ['detection'], new Set(['condition']), { placeholders: {}, warnings: [] });
  return applyPipeline(pipeline, { ...rule, kind: 'event', body: { ...rule.body, detection } }, section);
}

/** Translate one event (a new object; the input is not changed). */
function translateEvent(rule: Rule, pipeline: ComposedPipeline, event: Event, notes: Set<string>): Event {
  // Objects stay as they are (already in the target shape); a key that cannot be a Sigma field name (`a|b`, '') too.
  const keys = Object.keys(event).filter((k) => !isRecord(event[k]) && k !== '' && !k.includes('|'));
  let mapped: MappedRule;
  try {
    mapped = probe(rule, pipeline, keys);
  } catch (e) {
    if (!(e instanceof PipelineRejection)) throw e;
    // The pipeline refuses some field (strict mapping, a failure item): map the others one by one.
    const ids = new Map<string, ParsedDetection>();
    for (const k of keys) {
      try {
        const one = probe(rule, pipeline, [k]).section.ids;
        for (const [id, d] of one) ids.set(id === 'sel' ? `sel/${k}` : id, d);
      } catch (e2) {
        if (!(e2 instanceof PipelineRejection)) throw e2;
        notes.add(`${pipeline.name} rejects a rule on ${k} (${e2.message}); the field keeps its name`);
      }
    }
    mapped = { ...probe(rule, pipeline, []), section: { ids, conditions: [] } };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(event)) if (!keys.includes(k)) out[k] = structuredClone(v);
  const targets = new Map<string, string[]>();
  for (const [id, d] of mapped.section.ids) {
    if (id !== 'sel' && !id.startsWith('sel/')) continue;
    for (const item of itemsOf(d)) {
      const key = String(item.path.at(-1));
      if (item.field !== null) targets.set(key, [...(targets.get(key) ?? []), item.field]);
    }
  }
  const placed = new Map<string, string>();
  const used = ruleFields(rule);
  // Fields the rule reads are placed first, so a field it ignores cannot take their target name.
  for (const k of [...keys].sort((a, b) => Number(used.has(b)) - Number(used.has(a)))) {
    const names = targets.get(k) ?? [k];
    if (names.length > 1) notes.add(`${k} maps to ${names.join(', ')} under ${pipeline.name}: the translated event uses ${names[0]!}`);
    const name = names[0]!;
    const before = placed.get(name);
    if (before !== undefined && JSON.stringify(event[before]) !== JSON.stringify(event[k])) {
      if (used.has(k)) throw new InverseMappingConflict(`${before} and ${k} both map to ${name} under ${pipeline.name} with different values; give this case's events for ${pipeline.name} under events_for`);
      notes.add(`${k} also maps to ${name} under ${pipeline.name}; the translated event keeps ${before}'s value`);
      continue;
    }
    placed.set(name, k);
    put(out, name, structuredClone(event[k]));
  }
  for (const [id, d] of mapped.section.ids) {
    if (id === 'sel' || id.startsWith('sel/')) continue;
    if (d.linking !== 'and' || d.items.some((x) => x.kind !== 'item')) {
      notes.add(`condition ${id} added by ${pipeline.name} is not a plain AND of values; the translated events do not supply it`);
      continue;
    }
    for (const item of itemsOf(d)) {
      if (item.field === null || has(out, item.field)) continue;
      const values = item.values.map(plainValue).filter((x) => x !== undefined);
      if (values.length === 0 || item.negated) continue;
      if (values.length > 1) notes.add(`${pipeline.name} requires ${item.field} to be one of ${values.map((v) => JSON.stringify(v)).join(', ')}: the translated events use ${JSON.stringify(values[0])}`);
      put(out, item.field, values[0]);
    }
  }
  return out;
}

/**
 * Translate a case's events for a pipeline (the rule gives the logsource and tags the pipeline's conditions read).
 * @example translateEvents(rule, pipelineOf(['ecs_windows'])!, [{ Image: 'C:\\cmd.exe' }]) // [{ process: { executable: 'C:\\cmd.exe' } }]
 */
export function translateEvents(rule: Rule, pipeline: ComposedPipeline, events: readonly Event[]): Translated {
  const notes = new Set<string>();
  return { events: events.map((e) => translateEvent(rule, pipeline, e, notes)), notes: [...notes] };
}
