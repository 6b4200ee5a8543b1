import { retainsEvent, type Alert, type Detector } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import { buildRuleIndex, type RuleIndex } from './rule-index.ts';

/** An alert and the rule that raised it. */
export interface StreamAlert {
  readonly detector: Detector;
  readonly alert: Alert;
}

/**
 * A rule alerts on exactly the events it matches, one alert each, in any order
 * and without limit, so it can answer as each event arrives. Elastic EQL rules
 * are left out: their results are ordered by time and cut at `max_signals`.
 */
function answersPerEvent(d: Detector): boolean {
  return d.rule.kind === 'event' && d.rule.language !== 'eql';
}

/**
 * Rules evaluated over events as they arrive, with memory bounded by what the
 * rules must remember rather than by the input:
 * - single-event rules go through the rule index, and their alerts are returned
 *   by `push` at once; nothing of the event is kept;
 * - rules over several events (sequences, correlations, thresholds, new_terms,
 *   EQL rules) keep only the events that can change their answer (`retains`,
 *   else `matches`) and are evaluated on those in `finish`, their alerts' event
 *   indices mapped back to positions in the input; a rule whose run time is the
 *   latest event (ES|QL, `clockOf`) runs at the latest time of the whole input.
 * The alerts equal those of `detect` over the whole input, rule by rule.
 */
export class StreamMatcher {
  private readonly index: RuleIndex;
  private readonly stateful: readonly Detector[];
  private readonly kept: number[][];
  private readonly retained = new Map<number, Event>();
  /** Per stateful rule with a clock (ES|QL): the latest time any event set, passed as `now`. */
  private readonly clocks: (number | undefined)[];

  constructor(detectors: readonly Detector[]) {
    this.index = buildRuleIndex(detectors.filter(answersPerEvent));
    this.stateful = detectors.filter((d) => !answersPerEvent(d));
    this.kept = this.stateful.map(() => []);
    this.clocks = this.stateful.map(() => undefined);
  }

  /** Alerts of single-event rules on this event (`position`: its 0-based index in the input). */
  push(event: Event, position: number): StreamAlert[] {
    for (let s = 0; s < this.stateful.length; s++) {
      const d = this.stateful[s]!;
      const t = d.clockOf?.(event);
      if (t !== undefined && (this.clocks[s] === undefined || t > this.clocks[s]!)) this.clocks[s] = t;
      if (retainsEvent(d, event)) {
        this.kept[s]!.push(position);
        this.retained.set(position, event);
      }
    }
    const matching = this.index.matching(event);
    return matching.length === 0 ? [] : matching.map((detector) => ({ detector, alert: { rule: detector.rule.id, events: [position] } }));
  }

  /** How many events are held for rules over several events. */
  get retainedCount(): number {
    return this.retained.size;
  }

  /** Alerts of the rules over several events, once the input has ended. */
  finish(): StreamAlert[] {
    const out: StreamAlert[] = [];
    this.stateful.forEach((detector, s) => {
      const positions = this.kept[s]!;
      const events = positions.map((p) => this.retained.get(p)!);
      const now = this.clocks[s];
      for (const alert of detector.detect(events, now === undefined ? {} : { now })) out.push({ detector, alert: { rule: alert.rule, events: alert.events.map((i) => positions[i]!) } });
    });
    this.retained.clear();
    return out;
  }
}
