import type { Event } from './event.ts';
import type { LocatedWarning } from './located-error.ts';
import type { PrefilterHandle } from './prefilter.ts';
import type { Rule } from './rule.ts';
import type { Predicate } from '../engines/common/predicate.ts';

/** One alert: the rule and the 0-based indices of the events that produced it. */
export interface Alert {
  readonly rule: string;
  readonly events: readonly number[];
}

/**
 * A predicate-level trace for one event: which selection / clause held and
 * which did not, and why. Rendered in failure messages; read by branch coverage.
 */
export interface Trace {
  /** What this node is: `selection`, `Image|endswith: '\\cmd.exe'`, `not filter`, … */
  readonly label: string;
  /** `null` where a three-valued engine (EQL) yields null. */
  readonly result: boolean | null;
  /** Why, for leaves: e.g. `field missing`, `value "C:\\x.exe" does not end with "\\cmd.exe"`. */
  readonly detail?: string;
  readonly children: readonly Trace[];
}

/** The rule's logic as data (design.md "constraints()"), for the generator and reports. */
export interface Constraints {
  /** Single-event logic as one predicate tree (Sigma detection, KQL, EQL event filter). */
  readonly logic: Predicate;
  /**
   * A step's own join fields, position by position with the aggregate's `groupBy`, when
   * they differ from it (EQL `sequence [a] by x [b] by y`).
   */
  readonly keys?: readonly string[];
  /**
   * Fields that decide the outcome outside `logic` (ES|QL: what STATS aggregates or groups,
   * what an opaque clause reads); variants never change them.
   */
  readonly reads?: readonly string[];
  /** For multi-event kinds: the steps / referenced rules, window and group keys. */
  readonly aggregate?: {
    readonly type: string;
    readonly steps: readonly Constraints[];
    readonly windowMs?: number;
    readonly groupBy: readonly string[];
    readonly condition?: string;
  };
}

/** What some rule types need beyond the events themselves (given by a scenario case). */
export interface DetectContext {
  /** new_terms: the history window's events, all earlier than `events`. */
  readonly history?: readonly Event[];
  /** threat_match: the indicator documents of the threat index. */
  readonly indicators?: readonly Event[];
  /** The time the rule runs (epoch ms; a case's `now:`); absent: the latest event timestamp. ES|QL rules read it (window, NOW()). */
  readonly now?: number;
}

/** A compiled rule: the one evaluation contract of every engine. */
export interface Detector {
  readonly rule: Rule;
  /** All alerts over events given in time order. */
  detect(events: readonly Event[], context?: DetectContext): Alert[];
  /** Does this single event satisfy the rule's single-event logic? (Correlation steps, cross-fire prefilters.) */
  matches(event: Event): boolean;
  /**
   * Can this event change `detect`'s answer over a stream? Default `matches`; an EQL
   * sequence's `until` events count too. Streaming `match` keeps only such events
   * for rules that must remember (sequences, correlations, thresholds, new_terms).
   */
  retains?(event: Event): boolean;
  explain(event: Event): Trace;
  /**
   * For rules whose run time defaults to the latest event (ES|QL: `now`, which
   * sets the window and NOW()): the time this event would set. A stream that
   * keeps only retained events passes the maximum over all events as `now`.
   */
  clockOf?(event: Event): number | undefined;
  /**
   * A trace over a whole case, for rules whose logic reads the event set as one
   * table (ES|QL: the table after each pipe stage). Failure messages and the
   * `explain` command show it instead of the per-event traces when present.
   */
  explainCase?(events: readonly Event[], context?: DetectContext): Trace;
  constraints(): Constraints;
  /** What compiled but is likely not what the author meant; `lint` lists them as warnings. */
  readonly warnings?: readonly LocatedWarning[];
  /** Where an engine's own index can prefilter this rule among many (core/prefilter.ts); absent: the rule index reads Sigma logic itself, or runs `matches` on every event. */
  readonly prefilter?: PrefilterHandle;
}

/** `retains` with its documented default, `matches`: whether a stream must keep this event for the rule. */
export function retainsEvent(d: Detector, event: Event): boolean {
  return d.retains ? d.retains(event) : d.matches(event);
}

/** A rule the harness cannot evaluate, with the reason — reported, never passed silently. */
export interface NotEvaluable {
  readonly rule: Rule;
  readonly reason: string;
}

export type Compiled = { readonly ok: true; readonly detector: Detector } | { readonly ok: false; readonly notEvaluable: NotEvaluable };
