import { retainsEvent, type Constraints, type Detector } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import type { Predicate } from '../engines/common/predicate.ts';
import { aggregateFields, allPredicates, fieldFacts, leafUses } from './model/analysis.ts';
import { leafTruth, modelOptionsFor, type ModelOptions } from './model/evaluate.ts';
import { nearMisses } from './near-miss.ts';
import { IDENTIFYING_FIELDS, origin, recordedName, trimEvent, withoutStructure } from './recording-events.ts';
import type { Draft, DraftCase } from './scaffold.ts';
import { dialectOf } from './variants.ts';

export interface RecordingOptions {
  /** Most positive cases drafted (default 5). */
  readonly positives?: number;
  /** Most recorded negative cases (default 3). */
  readonly negatives?: number;
  /** Time fields of the project config, kept in every case. */
  readonly timestampFields?: readonly string[];
  /** Events held for a rule over several events, at most (default 200,000). */
  readonly retainLimit?: number;
}

interface Scored {
  readonly event: Event;
  readonly position: number;
  readonly score: number;
}

/** How many of the logic's positive leaves an event satisfies: how close it comes to firing. */
function closeness(logic: Predicate, event: Event, model: ModelOptions): number {
  let n = 0;
  for (const u of leafUses(logic)) if (!u.negated && leafTruth(u.leaf, event, model) === 'T') n++;
  return n;
}

function keptFields(c: Constraints, o: RecordingOptions): string[] {
  const facts = fieldFacts(allPredicates(c));
  return [...new Set([...facts.mentioned, ...aggregateFields(c), ...IDENTIFYING_FIELDS, ...(o.timestampFields ?? [])])];
}

/**
 * Scenario cases drafted from a recording (events in file order): events the rule
 * fires on become positives, trimmed to the fields the rule reads plus the
 * identifying ones; near misses are derived from the first positive as `scaffold`
 * derives them; events it does not fire on that come closest (satisfy the most of
 * its constraints, at least one) and share the positives' log source (their
 * `Channel`, when they have one) become negatives. Rules over several events get a
 * positive per alert, with the alert's events. Each case names its recording and
 * record. Expectations come from the rule's own evaluation of the trimmed events:
 * a trimmed event that no longer fires keeps all its flat fields instead.
 */
export function draftFromRecording(detector: Detector, recording: string, events: Iterable<Event>, o: RecordingOptions = {}): Draft {
  const constraints = detector.constraints();
  const fields = keptFields(constraints, o);
  const facts = fieldFacts(allPredicates(constraints));
  const trim = (ev: Event): Event => (facts.readsWholeEvent || facts.opaqueWholeEvent ? withoutStructure(ev) : trimEvent(ev, fields));
  return constraints.aggregate ? draftAggregate(detector, recording, events, trim, o) : draftSingle(detector, constraints, recording, events, trim, o);
}

function draftSingle(detector: Detector, constraints: Constraints, recording: string, events: Iterable<Event>, trim: (e: Event) => Event, o: RecordingOptions): Draft {
  const maxPos = o.positives ?? 5;
  const maxNeg = o.negatives ?? 3;
  const model = modelOptionsFor(detector.rule);
  const cases: DraftCase[] = [];
  const seen = new Set<string>();
  let closest: Scored[] = [];
  let read = 0;
  let fired = 0;
  let firstPositive: Event | undefined;
  for (const ev of events) {
    const position = read++;
    if (detector.matches(ev)) {
      fired++;
      if (cases.length >= maxPos) continue;
      let trimmed = trim(ev);
      if (!detector.matches(trimmed)) trimmed = withoutStructure(ev);
      const key = JSON.stringify(trimmed);
      if (seen.has(key)) continue;
      seen.add(key);
      firstPositive ??= trimmed;
      cases.push({ name: recordedName('recorded', position, ev), expect: { kind: 'alert' }, events: [trimmed], comment: `positive from ${origin(recording, position, ev)}`, role: 'positive' });
      continue;
    }
    if (maxNeg === 0) continue;
    const score = closeness(constraints.logic, ev, model);
    if (score === 0 || (closest.length >= maxNeg && score <= closest[closest.length - 1]!.score)) continue;
    closest = [...closest, { event: ev, position, score }].sort((a, b) => b.score - a.score || a.position - b.position).slice(0, maxNeg * 4);
  }
  const notes = [`cases drafted from the recording ${recording}: ${read} events read, the rule fired on ${fired}`];
  if (firstPositive) {
    for (const nm of nearMisses(constraints.logic, firstPositive, { model, dialect: dialectOf(detector.rule), seed: 1 })) {
      cases.push({ name: `near miss: ${nm.constraint}`.slice(0, 120), expect: { kind: 'none' }, events: [nm.event], comment: `negative: the first recorded positive with clause ${nm.constraint} broken — ${nm.description}`, role: 'negative' });
    }
  } else notes.push('the rule fired on no event of the recording: no positive case (and no near miss) could be drafted from it');
  // Same log source as the positives: a Windows event's Channel (when the positives have one).
  const channels = new Set<unknown>(cases.filter((c) => c.role === 'positive').map((c) => c.events[0]?.['Channel']).filter((v) => typeof v === 'string'));
  let negatives = 0;
  for (const s of closest) {
    if (negatives >= maxNeg) break;
    if (channels.size > 0 && !channels.has(s.event['Channel'])) continue;
    const trimmed = trim(s.event);
    // A trimmed event may fire where the whole one did not (a filter lost its field): the whole flat event then.
    const ev = detector.matches(trimmed) ? withoutStructure(s.event) : trimmed;
    const key = JSON.stringify(ev);
    if (seen.has(key) || detector.matches(ev)) continue;
    seen.add(key);
    negatives++;
    cases.push({ name: recordedName('recorded non-match', s.position, s.event), expect: { kind: 'none' }, events: [ev], comment: `negative from ${origin(recording, s.position, s.event)}: satisfies ${s.score} of the rule's constraints but not the rule`, role: 'negative' });
  }
  return { cases, notes };
}

function draftAggregate(detector: Detector, recording: string, events: Iterable<Event>, trim: (e: Event) => Event, o: RecordingOptions): Draft {
  const maxPos = o.positives ?? 5;
  const limit = o.retainLimit ?? 200_000;
  const kept: Event[] = [];
  const positions: number[] = [];
  let read = 0;
  for (const ev of events) {
    const position = read++;
    if (kept.length < limit && retainsEvent(detector, ev)) {
      kept.push(ev);
      positions.push(position);
    }
  }
  const notes = [`cases drafted from the recording ${recording}: ${read} events read, ${kept.length} could take part in the rule`];
  if (kept.length >= limit) notes.push(`only the first ${limit} events that could take part were kept`);
  const cases: DraftCase[] = [];
  for (const alert of detector.detect(kept).slice(0, maxPos)) {
    const whole = alert.events.map((i) => kept[i]!);
    const trimmed = whole.map(trim);
    const evs = detector.detect(trimmed).length > 0 ? trimmed : whole.map(withoutStructure);
    const at = alert.events.map((i) => positions[i]!);
    cases.push({
      name: recordedName('recorded alert on', at[0]!, whole[0]!),
      expect: { kind: 'alert' },
      events: evs,
      comment: `positive from ${recording}, events ${at.join(', ')}${whole.some((e) => e['EventRecordID'] !== undefined) ? ` (EventRecordID ${whole.map((e) => String(e['EventRecordID'] ?? '?')).join(', ')})` : ''}`,
      role: 'positive',
    });
  }
  if (cases.length === 0) notes.push('the rule raised no alert on the recording: no positive case could be drafted from it');
  notes.push('negatives for rules over several events are not drafted from a recording: add them with `scaffold` or by hand');
  return { cases, notes };
}
