import type { DetectContext } from '../core/detector.ts';
import type { Event } from '../core/event.ts';

/** What a case expects of the rule under test. */
export type Expectation =
  | { readonly kind: 'alert' }
  | { readonly kind: 'none' }
  | { readonly kind: 'count'; readonly alerts: number };

export interface Case {
  readonly name: string;
  readonly expect: Expectation;
  /** Events in time order. */
  readonly events: readonly Event[];
  readonly alsoFires: readonly string[];
  readonly tags: readonly string[];
  /** Set: an expected failure (xfail) with its reason. */
  readonly knownGap?: string;
  /** new_terms: events of the history window, before `events`. */
  readonly history: readonly Event[];
  /** threat_match: indicator documents. */
  readonly indicators: readonly Event[];
  /** When the rule runs (epoch ms, from `now:`); absent: the latest event timestamp. */
  readonly now?: number;
  /** 1-based line of the case in its scenario file. */
  readonly line: number;
  /** Events given for one pipeline by name (instead of translating `events`). */
  readonly eventsFor?: Readonly<Record<string, readonly Event[]>>;
  /** Expected failures under a pipeline by name, with the reason. */
  readonly knownGapUnder?: Readonly<Record<string, string>>;
}

export interface Scenario {
  readonly file: string;
  readonly rule: string;
  readonly description?: string;
  readonly cases: readonly Case[];
  readonly variants?: { readonly runs: number };
  /** Sigma processing pipelines to run the cases under (`none` = as written); absent: the project's default. */
  readonly pipelines?: readonly string[];
  /** 1-based line of the `rule:` key. */
  readonly ruleLine: number;
}

/** What a rule reads of a case besides its events (history, indicators, now). */
export function caseContext(c: Case): DetectContext {
  return { history: c.history, indicators: c.indicators, ...(c.now !== undefined ? { now: c.now } : {}) };
}

export function describeExpectation(e: Expectation): string {
  switch (e.kind) {
    case 'alert':
      return 'at least one alert';
    case 'none':
      return 'no alert';
    case 'count':
      return `exactly ${e.alerts} alert${e.alerts === 1 ? '' : 's'}`;
  }
}
