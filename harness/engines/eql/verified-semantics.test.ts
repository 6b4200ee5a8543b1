import { describe, expect, it } from 'vitest';
import type { Event } from '../../core/event.ts';
import { compileEql } from './index.ts';

/**
 * The points ../shared/semantics/eql.md marked **Verify**, each pinned to what
 * Elasticsearch does; docs/semantics-verified.md gives the evidence (section
 * numbers below). Paths are in elastic/elasticsearch unless stated.
 */
const proc = (fields: Record<string, unknown>, t?: number): Event => ({ event: { category: ['process'] }, ...(t === undefined ? {} : { '@timestamp': t }), ...fields });
const hits = (q: string, events: readonly Event[]): number[][] => compileEql(q, { size: 1000 }).run(events).map((r) => r.events);
const m = (q: string, e: Event): boolean => compileEql(q).matches(e);

describe('§3 stage count after `with runs` (EqlBase.g4, PR #78895, PR #132638, Elastic rules with one repeated stage)', () => {
  it('rejects a sequence of one stage, also with runs=1 or with only an until', () => {
    for (const q of ['sequence [process where true]', 'sequence [process where true] with runs=1', 'sequence by h [process where true] until [process where true]']) {
      expect(() => compileEql(q), q).toThrow(/at least two stages/);
    }
  });
  it('accepts `[a] with runs=2` alone as two stages (rules/windows/command_and_control_dns_tunneling_nslookup.toml does this)', () => {
    const data = [proc({ h: 1 }, 1), proc({ h: 1 }, 2), proc({ h: 1 }, 3)];
    // An event may end one sequence and start the next: SequenceMatcher.match takes the latest partial before each hit.
    expect(hits('sequence by h [process where true] with runs=2', data)).toEqual([[0, 1], [1, 2]]);
    expect(hits('sequence by h [process where true] with runs=3', data)).toEqual([[0, 1, 2]]);
  });
});

describe('§4–§6 regex is Lucene RegExp (querytranslator_tests.txt regexSingleArg; apache/lucene RegExp.java)', () => {
  const cmd = (v: string): Event => proc({ process: { command_line: v } });
  it('passes ^ to Lucene as an ordinary character', () => {
    expect(m('process where process.command_line regex "^cmd.*"', cmd('cmd.exe /c'))).toBe(false);
    expect(m('process where process.command_line regex "^cmd.*"', cmd('^cmd.exe'))).toBe(true);
  });
  it('knows \\s as [ \\t\\n\\r] (regexMultiMultiArgVariant sends net1\\s+ to Lucene)', () => {
    expect(m('process where process.command_line regex ".*net1?\\\\s+user.*"', cmd('net1  user x'))).toBe(true);
    expect(m('process where process.command_line regex ".*net1?\\\\s+user.*"', cmd('net1\fuser x'))).toBe(false);
  });
  it('fails the query on a backslash before another letter, as Lucene does', () => {
    expect(() => compileEql('process where process.command_line regex ".*\\\\n.*"')).toThrow(/invalid character class/);
  });
});

describe('§7 `!=` on a missing field (querytranslator_tests.txt fieldNotEqualsTrue / notFilter: a bare must_not)', () => {
  it('is true when the field is missing; a function result compared with != stays null-safe (false)', () => {
    const noParent = proc({ process: { name: 'x' } });
    expect(m('process where process.parent.name != "explorer.exe"', noParent)).toBe(true);
    expect(m('process where not process.parent.name in ("explorer.exe")', noParent)).toBe(true);
    expect(m('process where length(process.parent.name) != 12', noParent)).toBe(false);
  });
});

describe('§8 stringContains and "" (eql/util/StringUtils.java stringContains; planner/QueryTranslator.java)', () => {
  const e = proc({ s: 'subdomain.example.com', empty: '' });
  it('a field against a literal is a *x* wildcard query: "" matches every value, "" included', () => {
    expect(m('process where stringContains(s, "")', e)).toBe(true);
    expect(m('process where stringContains~(s, "")', e)).toBe(true);
    expect(m('process where stringContains(empty, "")', e)).toBe(true);
    expect(m('process where stringContains(missing, "")', e)).toBe(false);
  });
  it('anything else runs the script, which answers false when either string is empty', () => {
    expect(m('process where stringContains(substring(s, 0), "")', e)).toBe(false);
    expect(m('process where stringContains("abc", "")', e)).toBe(false);
    expect(m('process where stringContains(concat(empty), "")', e)).toBe(false);
    expect(m('process where stringContains(concat(s), "example")', e)).toBe(true);
  });
});

describe('§9 multi-valued join keys (QA test_extra.toml "basic": transID [1234, 599999] joins 1234)', () => {
  it('joins on each value of an array', () => {
    const data = [proc({ k: 'a', id: [1234, 599999] }, 1), proc({ k: 'b', id: 1234 }, 2), proc({ k: 'c', id: [1234, 9876554] }, 3)];
    expect(hits('sequence by id [process where k == "a"] [process where k == "b"] [process where k == "c"]', data)).toEqual([[0, 1, 2]]);
  });
});

describe('§10 an until event that also matches a stage (execution/sequence/SequenceMatcher.java; QA sequenceWithOptionalFieldsAndUntil_1/_2)', () => {
  const q = 'sequence by id [process where k == "A"] [process where k == "B"] until [process where u == true]';
  it('completes the sequence it ends, cancels one it would only advance', () => {
    expect(hits(q, [proc({ id: 1, k: 'A' }, 1), proc({ id: 1, k: 'B', u: true }, 2)])).toEqual([[0, 1]]);
    const three = 'sequence by id [process where k == "A"] [process where k == "B"] [process where k == "C"] until [process where u == true]';
    expect(hits(three, [proc({ id: 1, k: 'A' }, 1), proc({ id: 1, k: 'B', u: true }, 2), proc({ id: 1, k: 'C' }, 3)])).toEqual([]);
  });
  it('starts nothing under its own keys, but starts a sequence under keys it does not carry', () => {
    expect(hits(q, [proc({ id: 1, k: 'A', u: true }, 1), proc({ id: 1, k: 'B' }, 2)])).toEqual([]);
    const byStage = 'sequence [process where k == "A"] by a [process where k == "B"] by a until [process where u == true] by b';
    expect(hits(byStage, [proc({ a: 1, b: 2, k: 'A', u: true }, 1), proc({ a: 1, k: 'B' }, 2)])).toEqual([[0, 1]]);
    expect(hits(byStage, [proc({ a: 1, b: 1, k: 'A', u: true }, 1), proc({ a: 1, k: 'B' }, 2)])).toEqual([]);
  });
});
