import type { Alert, Detector } from '../core/detector.ts';
import { caseContext, type Case, type Expectation } from '../scenarios/model.ts';

/** The outcome of one case against its rule. */
export interface CaseVerdict {
  readonly pass: boolean;
  readonly expected: Expectation;
  readonly actual: readonly Alert[];
}

export function satisfies(expect: Expectation, alerts: readonly Alert[]): boolean {
  switch (expect.kind) {
    case 'alert':
      return alerts.length > 0;
    case 'none':
      return alerts.length === 0;
    case 'count':
      return alerts.length === expect.alerts;
  }
}

/** Run the rule over the case's events (in the order given: time order) and judge. */
export function runCase(detector: Detector, c: Case): CaseVerdict {
  const actual = detector.detect(c.events, caseContext(c));
  return { pass: satisfies(c.expect, actual), expected: c.expect, actual };
}
