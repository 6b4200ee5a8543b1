import jsonDiff from 'json-diff';
import type { Alert, Detector } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import { caseContext, describeExpectation, type Case } from '../scenarios/model.ts';
import type { CaseVerdict } from './verdict.ts';
import { renderTrace } from './render-trace.ts';

const MAX_TRACES = 3;

/** What the alert list should have looked like, as near to the actual one as the expectation allows. */
function expectedAlerts(c: Case, actual: readonly Alert[], ruleId: string): unknown[] {
  switch (c.expect.kind) {
    case 'none':
      return [];
    case 'alert':
      return actual.length > 0 ? [...actual] : [{ rule: ruleId, events: '(at least one alert)' }];
    case 'count':
      return Array.from({ length: c.expect.alerts }, (_, i) => actual[i] ?? { rule: ruleId, events: '(an alert)' });
  }
}

/** The events worth explaining: those that alerted unexpectedly, or all (up to a few) when alerts were missing. */
function eventsToExplain(c: Case, actual: readonly Alert[]): number[] {
  if (c.expect.kind === 'none') return [...new Set(actual.flatMap((a) => a.events))].slice(0, MAX_TRACES);
  return c.events.map((_, i) => i).slice(0, MAX_TRACES);
}

/**
 * A failure message a reviewer can act on: what was expected vs what happened
 * (a json-diff of the alert lists), and the rule's explain trace per event.
 */
export function renderFailure(detector: Detector, c: Case, v: CaseVerdict, file?: string): string {
  const where = file ? `${file}:${c.line}` : `line ${c.line}`;
  const expected = { alerts: expectedAlerts(c, v.actual, detector.rule.id) };
  const actual = { alerts: v.actual.map((a) => ({ rule: a.rule, events: [...a.events] })) };
  const diff = jsonDiff.diffString(expected, actual, { color: false, full: true }) || JSON.stringify(actual, null, 2);
  // A rule over the whole case (ES|QL) explains the case as one table per stage; others event by event.
  const traces = detector.explainCase
    ? [renderTrace(detector.explainCase(c.events, caseContext(c)), '  ')]
    : eventsToExplain(c, v.actual).map((i) => {
        const ev: Event | undefined = c.events[i];
        return ev ? `event ${i}:\n${renderTrace(detector.explain(ev), '  ')}` : '';
      });
  return [
    `${detector.rule.title} [${detector.rule.id}] — case '${c.name}' (${where})`,
    `expected ${describeExpectation(c.expect)}, got ${v.actual.length} alert${v.actual.length === 1 ? '' : 's'}`,
    '',
    'alerts (- expected, + actual):',
    diff.trimEnd(),
    '',
    'explain:',
    ...traces,
  ].join('\n');
}
