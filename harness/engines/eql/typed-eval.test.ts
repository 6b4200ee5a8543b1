import { describe, expect, it } from 'vitest';
import type { Event } from '../../core/event.ts';
import { ecsMapping, parseMapping } from '../../mapping/index.ts';
import { compileEql } from './index.ts';

/** EQL over mapped fields (docs/typing.md T18, T19): each test asserts what Elasticsearch returns. */
const mapping = parseMapping(
  JSON.stringify({
    properties: {
      '@timestamp': { type: 'date' },
      event: { properties: { category: { type: 'keyword' } } },
      when: { type: 'date', format: 'epoch_second||strict_date_optional_time' },
      pid: { type: 'long' },
      ip: { type: 'ip' },
      ok: { type: 'boolean' },
      kw: { type: 'keyword', ignore_above: 5 },
      status: { type: 'keyword', null_value: 'NULL' },
      pname: { type: 'alias', path: 'process_name' },
      process_name: { type: 'keyword' },
    },
  }),
  'eql.json',
);
const ev = (over: Record<string, unknown>, t = 1000): Event => ({ '@timestamp': t, event: { category: 'process' }, ...over });
const hits = (q: string, events: Event[], size = 100): number[][] => compileEql(q, { mapping, size }).run(events).map((r) => r.events);

describe('typed EQL (docs/typing.md)', () => {
  it('T18 a date literal compares with a date field as an instant, whatever the format', () => {
    const events = [ev({}, Date.parse('2017-08-30T20:47:33Z')), ev({}, Date.parse('2017-08-30T20:47:34Z'))];
    expect(hits('process where @timestamp == "2017-08-30T20:47:33Z"', events)).toEqual([[0]]);
    expect(hits('process where @timestamp >= "2017-08-30T20:47:33.500Z"', events)).toEqual([[1]]);
    expect(hits('process where when == "2023-11-14T22:13:20Z"', [ev({ when: 1700000000 }), ev({ when: '2023-11-14T22:13:20.000Z' }), ev({ when: 5 })])).toEqual([[0], [1]]);
    expect(hits('process where @timestamp in ("2017-08-30T20:47:34Z")', events)).toEqual([[1]]);
  });

  it('T18 dates as join keys are instants: epoch seconds and ISO text join', () => {
    const events = [ev({ when: 1700000000, pid: 1 }, 1), { ...ev({ when: '2023-11-14T22:13:20Z', pid: 2 }, 2), event: { category: 'network' } }];
    expect(hits('sequence by when [process where pid == 1] [network where pid == 2]', events)).toEqual([[0, 1]]);
  });

  it('T19 numbers, booleans and IPs read as their type', () => {
    expect(hits('process where pid == 42', [ev({ pid: '42' }), ev({ pid: 42.7 }), ev({ pid: 'x' })])).toEqual([[0], [1]]);
    expect(hits('process where ok == true', [ev({ ok: 'true' }), ev({ ok: 'false' })])).toEqual([[0]]);
    expect(hits('process where ip == "10.0.0.1"', [ev({ ip: '::ffff:10.0.0.1' })])).toEqual([[0]]);
    expect(hits('process where cidrMatch(ip, "10.0.0.0/8")', [ev({ ip: '::ffff:10.0.0.1' })])).toEqual([[0]]);
  });

  it('T2 a keyword past ignore_above is missing; T13 null_value; T14 alias', () => {
    expect(hits('process where kw != null', [ev({ kw: 'abcdef' }), ev({ kw: 'abc' })])).toEqual([[1]]);
    expect(hits('process where status == "NULL"', [ev({ status: null }), ev({})])).toEqual([[0]]);
    expect(hits('process where pname : "CMD.EXE"', [ev({ process_name: 'cmd.exe' })])).toEqual([[0]]);
  });

  it('explain reads typed values too', () => {
    const q = compileEql('process where pid == 42', { mapping });
    expect(q.explain(ev({ pid: '42' })).result).toBe(true);
  });

  it('ECS types a rule: process.pid is long', () => {
    const e = { event: { category: 'process' }, process: { pid: 4.9 } };
    expect(compileEql('process where process.pid == 4', { mapping: ecsMapping() }).matches(e)).toBe(true);
    // Without a mapping 4.9 is not 4; a long field truncates it when indexing (T8).
    expect(compileEql('process where process.pid == 4').matches(e)).toBe(false);
  });
});

describe('EQL explain names the typing source', () => {
  it('a mapped field says which mapping typed it', () => {
    const t = compileEql('process where pid == 42', { mapping }).explain(ev({ pid: '41' }));
    expect(JSON.stringify(t)).toContain('pid is 41, expected == 42 (case-sensitive) (typed by eql.json as long)');
  });
});
