import { describe, expect, it } from 'vitest';
import type { Detector } from '../../../core/detector.ts';
import type { Event } from '../../../core/event.ts';
import { Registry, at, fakeRule } from './test-fixtures.ts';

const spans = (d: Detector, events: Event[]) => d.detect(events).map((a) => a.events);

describe('aliases (spec "Field Name Aliases" example)', () => {
  const reg = new Registry().add(fakeRule('id-err', 'internal_error', 'http.response.status_code', 500)).add(fakeRule('id-conn', 'new_network_connection', 'event.category', 'network'));
  const d = reg.correlation('alias', {
    type: 'temporal',
    rules: ['internal_error', 'new_network_connection'],
    'group-by': ['internal_ip', 'remote_ip'],
    timespan: '10s',
    aliases: {
      internal_ip: { internal_error: 'destination.ip', new_network_connection: 'source.ip' },
      remote_ip: { internal_error: 'source.ip', new_network_connection: 'destination.ip' },
    },
  });
  const err = (s: number, src: string, dst: string): Event => ({ '@timestamp': at(s / 60), 'http.response.status_code': 500, source: { ip: src }, destination: { ip: dst } });
  const conn = (s: number, src: string, dst: string): Event => ({ '@timestamp': at(s / 60), 'event.category': 'network', 'source.ip': src, 'destination.ip': dst });

  it('error on 10.0.0.5 from 1.2.3.4, then 10.0.0.5 connects out to 1.2.3.4 → alert', () => {
    expect(spans(d, [err(0, '1.2.3.4', '10.0.0.5'), conn(5, '10.0.0.5', '1.2.3.4')])).toEqual([[0, 1]]);
  });
  it('the same addresses in the un-aliased fields do not correlate', () => {
    expect(d.detect([err(0, '1.2.3.4', '10.0.0.5'), conn(5, '1.2.3.4', '10.0.0.5')])).toEqual([]);
  });
  it('outside the 10 s window → none', () => {
    expect(d.detect([err(0, '1.2.3.4', '10.0.0.5'), conn(10, '10.0.0.5', '1.2.3.4')])).toEqual([]);
  });
  it('explain names the aliased group of a matching event', () => {
    const t = d.explain(err(0, '1.2.3.4', '10.0.0.5'));
    expect(t.result).toBe(true);
    expect(t.children[0]?.detail).toBe('group 10.0.0.5, 1.2.3.4');
    expect(t.children[1]?.result).toBe(false);
  });
});

describe('correlation of correlations (spec example: failed logins followed by success)', () => {
  const reg = new Registry().add(fakeRule('id-failed', 'failed_login', 'EventID', 4625)).add(fakeRule('id-ok', 'successful_login', 'EventID', 4624));
  const inner = reg.correlation('id-multi', { type: 'event_count', rules: ['failed_login'], 'group-by': ['User'], timespan: '10m', condition: { gte: 3 } }, {}, 'multiple_failed_login');
  const outer = reg.correlation('id-outer', { type: 'temporal_ordered', rules: ['multiple_failed_login', 'successful_login'], 'group-by': ['User'], timespan: '10m' });
  const logon = (min: number, id: number, user: string): Event => ({ '@timestamp': at(min), EventID: id, User: user });

  it('three failures then a success by the same user → one outer alert with all four events', () => {
    const events = [logon(0, 4625, 'bob'), logon(1, 4625, 'bob'), logon(2, 4625, 'bob'), logon(3, 4624, 'bob')];
    expect(spans(inner, events)).toEqual([[0, 1, 2]]);
    expect(outer.detect(events)).toEqual([{ rule: 'id-outer', events: [0, 1, 2, 3] }]);
  });
  it('the inner alert is timed at its last event: a success before it does not follow it', () => {
    const events = [logon(0, 4625, 'bob'), logon(1, 4625, 'bob'), logon(1.5, 4624, 'bob'), logon(2, 4625, 'bob')];
    expect(outer.detect(events)).toEqual([]);
  });
  it('a success by another user does not complete the chain (group key copied from the inner alert)', () => {
    const events = [logon(0, 4625, 'bob'), logon(1, 4625, 'bob'), logon(2, 4625, 'bob'), logon(3, 4624, 'alice')];
    expect(outer.detect(events)).toEqual([]);
  });
  it('too few failures → no inner alert → no outer alert', () => {
    expect(outer.detect([logon(0, 4625, 'bob'), logon(1, 4625, 'bob'), logon(3, 4624, 'bob')])).toEqual([]);
  });
  it('an outer group-by field the inner rule did not group by is missing for the inner alert', () => {
    const byHost = reg.correlation('by-host', { type: 'temporal', rules: ['multiple_failed_login', 'successful_login'], 'group-by': ['Host'], timespan: '10m' });
    const events = [0, 1, 2].map((m) => ({ ...logon(m, 4625, 'bob'), Host: 'h' })).concat([{ ...logon(3, 4624, 'bob'), Host: 'h' }]);
    expect(byHost.detect(events)).toEqual([]);
  });
  it('matches / explain / constraints describe the referenced rules', () => {
    expect(outer.matches(logon(0, 4625, 'x'))).toBe(true);
    expect(outer.matches(logon(0, 4634, 'x'))).toBe(false);
    const t = outer.explain(logon(0, 4624, 'x'));
    expect(t.children.map((c) => [c.label, c.result])).toEqual([
      ['rule multiple_failed_login', false],
      ['rule successful_login', true],
    ]);
    const c = outer.constraints();
    expect(c.aggregate).toMatchObject({ type: 'temporal_ordered', windowMs: 600_000, groupBy: ['User'], condition: 'rules in order >= 2' });
    expect(c.aggregate?.steps[0]?.aggregate).toMatchObject({ type: 'event_count', condition: 'count >= 3' });
    expect(c.logic).toMatchObject({ kind: 'or', children: [{ kind: 'or', label: 'rule multiple_failed_login' }, { kind: 'equals', field: 'EventID', value: 4624, label: 'rule successful_login' }] });
  });
});

describe('event time', () => {
  const reg = () => new Registry().add(fakeRule('id-a', 'a', 'k', 1));
  const spec = { type: 'event_count', rules: ['a'], timespan: '1m', condition: { gte: 2 } };
  const pair = (field: string, t1: unknown, t2: unknown): Event[] => [
    { k: 1, [field]: t1 },
    { k: 1, [field]: t2 },
  ];
  it.each([
    ['UtcTime', '2024-05-01 10:00:00.000', '2024-05-01 10:00:30.000', '2024-05-01 10:01:00.000'],
    ['TimeCreated', '2024-05-01T10:00:00Z', '2024-05-01T10:00:30Z', '2024-05-01T10:01:00Z'],
    ['EventTime', 1714557600, 1714557630, 1714557660],
    ['timestamp', 1714557600000, 1714557630000, 1714557660000],
    ['event.created', '2024-05-01T10:00:00Z', '2024-05-01T10:00:30Z', '2024-05-01T10:01:00Z'],
  ])('falls back to %s', (field, t0, inside, outside) => {
    const d = reg().correlation('c', spec);
    expect(spans(d, pair(field, t0, inside))).toEqual([[0, 1]]);
    expect(d.detect(pair(field, t0, outside))).toEqual([]);
  });
  it('reads nested Windows XML time (TimeCreated.SystemTime)', () => {
    const d = reg().correlation('c', spec);
    const e = (s: string): Event => ({ k: 1, TimeCreated: { SystemTime: s } });
    expect(spans(d, [e('2024-05-01T10:00:00Z'), e('2024-05-01T10:00:10Z')])).toEqual([[0, 1]]);
  });
  it('@timestamp wins over the fallbacks', () => {
    const d = reg().correlation('c', spec);
    const events = [
      { k: 1, '@timestamp': at(0), UtcTime: '2024-05-01 10:00:00' },
      { k: 1, '@timestamp': at(5), UtcTime: '2024-05-01 10:00:10' },
    ];
    expect(d.detect(events)).toEqual([]);
  });
  it('options.timestampFields replaces the default list', () => {
    const d = reg().correlation('c', spec, { timestampFields: ['when'] });
    expect(spans(d, pair('when', at(0), at(0.5)))).toEqual([[0, 1]]);
    expect(d.detect(pair('@timestamp', at(0), at(0.5)))).toEqual([]);
  });
  it('explain says when an event has no usable timestamp', () => {
    const d = reg().correlation('c', spec);
    expect(d.explain({ k: 1 }).detail).toMatch(/^no timestamp in @timestamp, UtcTime/);
    expect(d.explain({ k: 1, '@timestamp': '2024-05-01T10:00:00Z' }).detail).toBe('time 2024-05-01T10:00:00.000Z');
  });
  it('explain says when a group-by field is missing', () => {
    const d = reg().correlation('g', { ...spec, 'group-by': ['User'] });
    expect(d.explain({ k: 1 }).children[0]?.detail).toBe('group-by User missing: ignored by the correlation');
  });
  it('does not mutate events', () => {
    const d = reg().correlation('c', spec);
    const events = Object.freeze([Object.freeze({ k: 1, '@timestamp': at(0.5) }), Object.freeze({ k: 1, '@timestamp': at(0) })]);
    expect(spans(d, [...events])).toEqual([[0, 1]]);
  });
});
