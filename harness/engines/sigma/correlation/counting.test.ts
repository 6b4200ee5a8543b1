import { describe, expect, it } from 'vitest';
import type { Event } from '../../../core/event.ts';
import { Registry, at, fakeRule } from './test-fixtures.ts';

/** event_count / value_count / value_sum / value_avg / value_percentile (sigma.md §9). */
const failed = fakeRule('id-failed', 'failed_login', 'EventID', 4625);
const reg = () => new Registry().add(failed);
const fail = (min: number, extra: Record<string, unknown> = {}): Event => ({ '@timestamp': at(min), EventID: 4625, ...extra });
const alertsOf = (d: { detect(e: readonly Event[]): { events: readonly number[] }[] }, events: Event[]) => d.detect(events).map((a) => a.events);

describe('event_count (sigma.md §11 example 16)', () => {
  const d = reg().correlation('brute', { type: 'event_count', rules: ['failed_login'], 'group-by': ['User'], timespan: '5m', condition: { gte: 3 } });

  it('three failures by bob within 5 minutes → one alert listing them', () => {
    const alerts = d.detect([fail(0, { User: 'bob' }), fail(2, { User: 'bob' }), fail(4, { User: 'bob' })]);
    expect(alerts).toEqual([{ rule: 'brute', events: [0, 1, 2] }]);
  });
  it('a fourth at 4.5 min gives no second alert (state reset)', () => {
    expect(alertsOf(d, [fail(0, { User: 'bob' }), fail(2, { User: 'bob' }), fail(4, { User: 'bob' }), fail(4.5, { User: 'bob' })])).toEqual([[0, 1, 2]]);
  });
  it('after a reset, three more in a window alert again', () => {
    const ev = [0, 1, 2, 3, 4, 5].map((m) => fail(m, { User: 'bob' }));
    expect(alertsOf(d, ev)).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
  });
  it('one short of the threshold → none', () => {
    expect(d.detect([fail(0, { User: 'bob' }), fail(2, { User: 'bob' })])).toEqual([]);
  });
  it('other groups are counted separately', () => {
    expect(d.detect([fail(0, { User: 'bob' }), fail(1, { User: 'alice' }), fail(2, { User: 'bob' })])).toEqual([]);
    expect(alertsOf(d, [fail(0, { User: 'bob' }), fail(1, { User: 'alice' }), fail(2, { User: 'bob' }), fail(3, { User: 'alice' }), fail(4, { User: 'alice' })])).toEqual([[1, 3, 4]]);
  });
  it('an event without the group-by field is ignored (null too)', () => {
    expect(d.detect([fail(0, { User: 'bob' }), fail(1), fail(1.5, { User: null }), fail(2, { User: 'bob' })])).toEqual([]);
  });
  it('the window is (t − timespan, t]: exactly 5 minutes apart is outside', () => {
    expect(d.detect([fail(0, { User: 'bob' }), fail(2, { User: 'bob' }), fail(5, { User: 'bob' })])).toEqual([]);
    expect(alertsOf(d, [fail(0, { User: 'bob' }), fail(2, { User: 'bob' }), fail(4.999, { User: 'bob' })])).toEqual([[0, 1, 2]]);
  });
  it('events that left the window no longer count', () => {
    expect(alertsOf(d, [fail(0, { User: 'bob' }), fail(4, { User: 'bob' }), fail(6, { User: 'bob' }), fail(8, { User: 'bob' })])).toEqual([[1, 2, 3]]);
  });
  it('events matched by no referenced rule do not count', () => {
    const other = (min: number): Event => ({ '@timestamp': at(min), EventID: 4624, User: 'bob' });
    expect(d.detect([fail(0, { User: 'bob' }), other(1), fail(2, { User: 'bob' })])).toEqual([]);
  });
  it('a multi-valued group-by field puts the event in each group', () => {
    const ev = [fail(0, { User: ['bob', 'eve'] }), fail(1, { User: 'bob' }), fail(2, { User: 'eve' }), fail(3, { User: 'bob' })];
    expect(alertsOf(d, ev)).toEqual([[0, 1, 3]]);
  });
  it('without group-by there is one global group', () => {
    const g = reg().correlation('g', { type: 'event_count', rules: ['failed_login'], timespan: '5m', condition: { gte: 3 } });
    expect(alertsOf(g, [fail(0, { User: 'a' }), fail(1), fail(2, { User: 'c' })])).toEqual([[0, 1, 2]]);
  });
  it('an event matched by two referenced rules counts once', () => {
    const r = reg().add(fakeRule('id-any', 'any_logon', 'Channel', 'Security'));
    const c = r.correlation('c', { type: 'event_count', rules: ['failed_login', 'any_logon'], timespan: '5m', condition: { gte: 2 } });
    expect(c.detect([fail(0, { Channel: 'Security' })])).toEqual([]);
    expect(alertsOf(c, [fail(0, { Channel: 'Security' }), { '@timestamp': at(1), Channel: 'Security' }])).toEqual([[0, 1]]);
  });
});

describe('condition operators', () => {
  const ev = (n: number) => Array.from({ length: n }, (_, i) => fail(i * 0.1, { User: 'bob' }));
  const mk = (condition: Record<string, unknown>) => reg().correlation('c', { type: 'event_count', rules: ['failed_login'], 'group-by': 'User', timespan: '1h', condition });

  it('gt is strict', () => {
    expect(mk({ gt: 3 }).detect(ev(3))).toEqual([]);
    expect(alertsOf(mk({ gt: 3 }), ev(4))).toEqual([[0, 1, 2, 3]]);
  });
  it('eq fires when the count reaches the value', () => {
    expect(alertsOf(mk({ eq: 2 }), ev(2))).toEqual([[0, 1]]);
    expect(mk({ eq: 3 }).detect(ev(2))).toEqual([]);
  });
  it('lt / lte / neq are evaluated as each event arrives', () => {
    expect(alertsOf(mk({ lt: 2 }), ev(1))).toEqual([[0]]);
    expect(alertsOf(mk({ lte: 1 }), ev(1))).toEqual([[0]]);
    expect(mk({ neq: 1 }).detect(ev(1))).toEqual([]);
    expect(alertsOf(mk({ neq: 1 }), ev(2))).toEqual([[0, 1]]);
  });
  it('several operators are ANDed', () => {
    expect(mk({ gte: 3, lte: 5 }).detect(ev(2))).toEqual([]);
    expect(alertsOf(mk({ gte: 3, lte: 5 }), ev(3))).toEqual([[0, 1, 2]]);
    expect(mk({ gt: 1, lt: 2 }).detect(ev(5))).toEqual([]);
  });
});

describe('value_count', () => {
  const d = reg().correlation('spray', { type: 'value_count', rules: ['failed_login'], 'group-by': ['ComputerName'], timespan: '1h', condition: { field: 'User', gte: 3 } });
  const f = (min: number, host: string, user?: string) => fail(min, { ComputerName: host, ...(user !== undefined ? { User: user } : {}) });

  it('three distinct users on one host → alert', () => {
    expect(alertsOf(d, [f(0, 'h1', 'a'), f(1, 'h1', 'b'), f(2, 'h1', 'c')])).toEqual([[0, 1, 2]]);
  });
  it('repeated users do not count twice; one short → none; values are compared exactly (case-sensitive, as terms)', () => {
    expect(d.detect([f(0, 'h1', 'a'), f(1, 'h1', 'b'), f(2, 'h1', 'a')])).toEqual([]);
    expect(alertsOf(d, [f(0, 'h1', 'a'), f(1, 'h1', 'b'), f(2, 'h1', 'a'), f(3, 'h1', 'B')])).toEqual([[0, 1, 2, 3]]);
  });
  it('other host, outside window and events without the field do not contribute', () => {
    expect(d.detect([f(0, 'h1', 'a'), f(1, 'h2', 'b'), f(2, 'h1', 'c')])).toEqual([]);
    expect(d.detect([f(0, 'h1', 'a'), f(30, 'h1', 'b'), f(60, 'h1', 'c')])).toEqual([]);
    expect(d.detect([f(0, 'h1', 'a'), f(1, 'h1'), f(2, 'h1', 'c')])).toEqual([]);
  });
  it('the alert lists only events that contributed a value', () => {
    expect(alertsOf(d, [f(0, 'h1', 'a'), f(1, 'h1'), f(2, 'h1', 'b'), f(3, 'h1', 'c')])).toEqual([[0, 2, 3]]);
  });
  it('a field list counts distinct tuples', () => {
    const t = reg().correlation('t', { type: 'value_count', rules: ['failed_login'], timespan: '1h', condition: { field: ['User', 'Domain'], gte: 2 } });
    expect(t.detect([fail(0, { User: 'a', Domain: 'x' }), fail(1, { User: 'a', Domain: 'x' })])).toEqual([]);
    expect(alertsOf(t, [fail(0, { User: 'a', Domain: 'x' }), fail(1, { User: 'a', Domain: 'y' })])).toEqual([[0, 1]]);
  });
});

describe('value_sum / value_avg / value_percentile', () => {
  const web = fakeRule('id-web', 'website_access', 'type', 'web');
  const r = () => new Registry().add(web);
  const hit = (min: number, bytes: unknown, ip = '10.0.0.1'): Event => ({ '@timestamp': at(min), type: 'web', SourceIP: ip, bytes_sent: bytes });
  const corr = (type: string, condition: Record<string, unknown>) => r().correlation('v', { type, rules: ['website_access'], 'group-by': ['SourceIP'], timespan: '1h', condition: { field: 'bytes_sent', ...condition } });

  it('value_sum crosses the threshold', () => {
    const d = corr('value_sum', { gt: 1000 });
    expect(alertsOf(d, [hit(0, 400), hit(10, '400'), hit(20, 300)])).toEqual([[0, 1, 2]]);
    expect(d.detect([hit(0, 400), hit(10, 400), hit(20, 200)])).toEqual([]);
  });
  it('value_sum: other group and outside-window values do not add up; non-numbers are ignored', () => {
    const d = corr('value_sum', { gt: 1000 });
    expect(d.detect([hit(0, 600), hit(10, 600, '10.0.0.2')])).toEqual([]);
    expect(d.detect([hit(0, 600), hit(60, 600)])).toEqual([]);
    expect(d.detect([hit(0, 600), hit(10, 'lots'), hit(20, true), hit(30, '0x500')])).toEqual([]);
  });
  it('value_avg', () => {
    const d = corr('value_avg', { gt: 500 });
    expect(alertsOf(d, [hit(0, 100), hit(1, 'n/a'), hit(2, 900), hit(3, 600)])).toEqual([[0, 2, 3]]);
    expect(d.detect([hit(0, 100), hit(2, 800), hit(3, 599)])).toEqual([]);
  });
  it('value_percentile uses nearest rank', () => {
    const d = corr('value_percentile', { gte: 100, percentile: 50 });
    // after 3 values [10, 20, 200]: rank ceil(1.5) = 2 → 20; after [10, 20, 200, 300]: rank 2 → 20; after 5: rank 3 → 200.
    expect(alertsOf(d, [hit(0, 10), hit(1, 200), hit(2, 20), hit(3, 300), hit(4, 400)])).toEqual([[0, 1, 2, 3, 4]]);
    expect(d.detect([hit(0, 10), hit(1, 200), hit(2, 20), hit(3, 300)])).toEqual([]);
    const p95 = corr('value_percentile', { gte: 1000, percentile: 95 });
    expect(alertsOf(p95, [hit(0, 1), hit(1, 2000)])).toEqual([[0, 1]]);
  });
});

describe('input order', () => {
  const d = reg().correlation('c', { type: 'event_count', rules: ['failed_login'], timespan: '5m', condition: { gte: 2 } });
  it('events are sorted by time (stable) before windowing', () => {
    expect(alertsOf(d, [fail(10), fail(0), fail(20), fail(2)])).toEqual([[1, 3]]);
  });
  it('events without a parseable timestamp are ignored', () => {
    expect(d.detect([fail(0), { EventID: 4625 }, { EventID: 4625, '@timestamp': 'yesterday' }])).toEqual([]);
  });
});
