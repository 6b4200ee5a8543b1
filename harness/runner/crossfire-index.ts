import type { Alert, DetectContext, Detector } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import type { Rule } from '../core/rule.ts';
import { rulesShareEvents } from './logsource.ts';
import { buildRuleIndex, type RuleIndex } from './rule-index.ts';

/** Another rule that alerts on a set of events. */
export interface Firing {
  readonly detector: Detector;
  readonly alerts: readonly Alert[];
}

/**
 * Which other rules alert on some events, without running every rule over
 * them: the rule index names the rules whose single-event logic (`matches`)
 * holds for one of the events, and only those run. That is exact for every
 * kind: a single-event rule alerts on exactly the events it matches, and a
 * multi-event rule (sequence, threshold, new_terms, threat_match, correlation)
 * only on groups of events its `matches` accepts (a stage, its query, a base
 * rule), so a rule matching none of the events cannot alert. Built once per
 * rule list; the suite's cross-fire pass, bulk scaffolding and `accept`
 * share it.
 */
export class CrossFireIndex {
  private readonly index: RuleIndex;
  private readonly byId: ReadonlyMap<string, Detector>;
  private readonly position: ReadonlyMap<Detector, number>;

  /** `silent` rules (correlation bases with `generate: false`) raise no alerts of their own and are left out. */
  constructor(detectors: readonly Detector[], silent: ReadonlySet<string> = new Set()) {
    const alerting = detectors.filter((d) => !silent.has(d.rule.id));
    this.index = buildRuleIndex(alerting);
    this.byId = new Map(alerting.map((d) => [d.rule.id, d]));
    this.position = new Map(alerting.map((d, i) => [d, i]));
  }

  /** The detector of an alerting rule id. */
  detector(id: string): Detector | undefined {
    return this.byId.get(id);
  }

  /**
   * The rules other than `owner` that alert on `events`, in the order they were given: those
   * whose log source can see the owner's events, and the `declared` ones whatever their log
   * source (so a stale declaration is caught).
   */
  firing(owner: Rule, events: readonly Event[], context: DetectContext, declared: readonly string[] = []): Firing[] {
    const matched = new Set<Detector>();
    for (const e of events) for (const d of this.index.matching(e)) matched.add(d);
    const out: Firing[] = [];
    for (const d of matched) {
      if (d.rule.id === owner.id || !(rulesShareEvents(owner, d.rule) || declared.includes(d.rule.id))) continue;
      const alerts = d.detect(events, context);
      if (alerts.length > 0) out.push({ detector: d, alerts });
    }
    return out.sort((a, b) => this.position.get(a.detector)! - this.position.get(b.detector)!);
  }
}
