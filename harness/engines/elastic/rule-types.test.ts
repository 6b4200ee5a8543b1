import { describe, expect, test } from 'vitest';
import type { Event } from '../../core/event.ts';
import type { Rule } from '../../core/rule.ts';
import { fieldGetter } from '../common/fields.ts';
import { relativeOffsetMs } from './date-math.ts';
import type { EventQuery } from './event-query.ts';
import { newTermsDetector } from './new-terms-rule.ts';
import { threatMatchDetector } from './threat-match-rule.ts';
import { thresholdDetector } from './threshold-rule.ts';

/** A stand-in for the KQL query: `field == value`. */
function eq(field: string, value: string): EventQuery {
  const get = fieldGetter(field);
  return { matches: (e) => get(e).includes(value), explain: () => ({ label: `${field}:${value}`, result: null, children: [] }), logic: { kind: 'const', value: true } };
}

function rule(kind: Rule['kind'], body: Record<string, unknown>): Rule {
  return { id: 'r1', title: 'T', format: 'elastic', language: 'kuery', kind, techniques: [], tactics: [], tags: [], related: [], source: { file: 'x.toml', line: 1, column: 1 }, document: 0, body };
}

const fail = (user: string, ip: string, t = '2024-05-01T10:00:00Z'): Event => ({ event: { outcome: 'failure' }, user: { name: user }, source: { ip }, '@timestamp': t });

describe('threshold', () => {
  const d = thresholdDetector(rule('threshold', { threshold: { field: ['user.name'], value: 3 } }), eq('event.outcome', 'failure'));
  test('one alert per group reaching the value, listing its events', () => {
    const evs = [fail('bob', '1.1.1.1'), fail('bob', '1.1.1.2'), fail('alice', '1.1.1.1'), fail('bob', '1.1.1.3'), { ...fail('bob', '1.1.1.4'), event: { outcome: 'success' } }];
    expect(d.detect(evs)).toEqual([{ rule: 'r1', events: [0, 1, 3] }]);
  });
  test('one short of the value: no alert; events missing the group field are not counted', () => {
    expect(d.detect([fail('bob', '1'), fail('bob', '2'), { event: { outcome: 'failure' } }])).toEqual([]);
  });
  test('cardinality: distinct values of a field must reach its value too', () => {
    const c = thresholdDetector(rule('threshold', { threshold: { field: ['user.name'], value: 2, cardinality: [{ field: 'source.ip', value: 2 }] } }), eq('event.outcome', 'failure'));
    expect(c.detect([fail('bob', '1.1.1.1'), fail('bob', '1.1.1.1')])).toEqual([]);
    expect(c.detect([fail('bob', '1.1.1.1'), fail('bob', '1.1.1.2')])).toEqual([{ rule: 'r1', events: [0, 1] }]);
  });
  test('no group-by fields: all matching events form one group', () => {
    const g = thresholdDetector(rule('threshold', { threshold: { field: [], value: 2 } }), eq('event.outcome', 'failure'));
    expect(g.detect([fail('a', '1'), fail('b', '2')])).toEqual([{ rule: 'r1', events: [0, 1] }]);
  });
  test('a missing threshold table is a located error', () => {
    expect(() => thresholdDetector(rule('threshold', {}), eq('a', 'b'))).toThrow(/threshold/);
  });
});

describe('new_terms', () => {
  const body = { new_terms: { field: 'new_terms_fields', value: ['user.name', 'source.ip'], history_window_start: [{ field: 'history_window_start', value: 'now-7d' }] } };
  const d = newTermsDetector(rule('new_terms', body), eq('event.outcome', 'failure'));
  test('a combination absent from the history alerts once', () => {
    const history = [fail('bob', '1.1.1.1', '2024-04-28T10:00:00Z')];
    const events = [fail('bob', '1.1.1.1'), fail('bob', '2.2.2.2'), fail('bob', '2.2.2.2', '2024-05-01T10:01:00Z')];
    expect(d.detect(events, { history })).toEqual([{ rule: 'r1', events: [1] }]);
  });
  test('history older than the window does not count', () => {
    const history = [fail('bob', '1.1.1.1', '2024-04-01T10:00:00Z')];
    expect(d.detect([fail('bob', '1.1.1.1')], { history })).toEqual([{ rule: 'r1', events: [0] }]);
  });
  test('arrays expand into combinations; history events not matching the query do not count', () => {
    const history = [{ ...fail('bob', '1.1.1.1', '2024-04-30T00:00:00Z'), event: { outcome: 'success' } }];
    expect(d.detect([fail('bob', '1.1.1.1')], { history })).toHaveLength(1);
  });
  test('date math offsets', () => {
    expect([relativeOffsetMs('now-14d'), relativeOffsetMs('now-9m'), relativeOffsetMs('now-30d/d'), relativeOffsetMs('now'), relativeOffsetMs('yesterday')]).toEqual([-14 * 86400000, -9 * 60000, -30 * 86400000, 0, undefined]);
  });
});

describe('threat_match', () => {
  const body = {
    threat_mapping: [
      { entries: [{ field: 'source.ip', type: 'mapping', value: 'threat.indicator.ip' }] },
      { entries: [{ field: 'file.hash.sha256', type: 'mapping', value: 'threat.indicator.file.hash.sha256' }, { field: 'file.name', type: 'mapping', value: 'threat.indicator.file.name' }] },
    ],
  };
  const d = threatMatchDetector(rule('threat_match', body), eq('event.kind', 'event'));
  const indicators = [{ threat: { indicator: { ip: '203.0.113.7' } } }, { threat: { indicator: { file: { hash: { sha256: 'abc' }, name: 'evil.exe' } } } }];
  test('any mapping group, all entries of the group', () => {
    const events: Event[] = [
      { event: { kind: 'event' }, source: { ip: '203.0.113.7' } },
      { event: { kind: 'event' }, source: { ip: '203.0.113.8' } },
      { event: { kind: 'event' }, file: { hash: { sha256: 'abc' }, name: 'evil.exe' } },
      { event: { kind: 'event' }, file: { hash: { sha256: 'abc' }, name: 'good.exe' } },
      { event: { kind: 'alert' }, source: { ip: '203.0.113.7' } },
    ];
    expect(d.detect(events, { indicators }).map((a) => a.events[0])).toEqual([0, 2]);
  });
  test('no indicators, no alerts', () => {
    expect(d.detect([{ event: { kind: 'event' }, source: { ip: '203.0.113.7' } }])).toEqual([]);
  });
});
