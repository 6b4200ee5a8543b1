import { describe, expect, test } from 'vitest';
import { STAR, text, type Pattern } from '../../engines/common/pattern.ts';
import { and, not, or, type Predicate } from '../../engines/common/predicate.ts';
import { evaluate, KLEENE, leafVector, modelVerdict, TWO_VALUED } from './evaluate.ts';
import { andTruth, notTruth, orTruth } from './truth.ts';
import { conditionFields, fieldFacts, protectedFields, touches } from './analysis.ts';

const m = (field: string | null, pattern: string | Pattern, mode: 'insensitive' | 'sensitive' = 'insensitive'): Predicate => ({
  kind: 'match',
  field,
  pattern: typeof pattern === 'string' ? [text(pattern)] : pattern,
  mode,
});

describe('truth tables', () => {
  test('F dominates and, T dominates or, U beats N', () => {
    expect(andTruth(['T', 'N', 'F'])).toBe('F');
    expect(andTruth(['T', 'N', 'U'])).toBe('U');
    expect(andTruth(['T', 'N'])).toBe('N');
    expect(orTruth(['F', 'U', 'T'])).toBe('T');
    expect(orTruth(['F', 'N'])).toBe('N');
    expect(notTruth('N')).toBe('N');
    expect(notTruth('U')).toBe('U');
  });
});

describe('model evaluator', () => {
  test('match: case modes, wildcards, numbers as text, arrays, nested and dotted keys', () => {
    const p = m('process.name', [STAR, text('\\cmd.exe')]);
    expect(evaluate(p, { process: { name: 'C:\\W\\CMD.EXE' } }, TWO_VALUED)).toBe('T');
    expect(evaluate(p, { 'process.name': ['x', 'C:\\cmd.exe'] }, TWO_VALUED)).toBe('T');
    expect(evaluate(m('p', 'CMD', 'sensitive'), { p: 'cmd' }, TWO_VALUED)).toBe('F');
    expect(evaluate(m('EventID', '4688'), { EventID: 4688 }, TWO_VALUED)).toBe('T');
  });
  test('missing fields: false in two-valued logic, null (and stays null under not) in EQL', () => {
    const p = not(m('a', 'x'));
    expect(evaluate(p, {}, TWO_VALUED)).toBe('T');
    expect(evaluate(p, {}, KLEENE)).toBe('N');
    expect(modelVerdict(p, {}, KLEENE)).toBe('no-match');
  });
  test('typed leaves', () => {
    expect(evaluate({ kind: 'cidr', field: 'ip', network: '10.0.0.0/8' }, { ip: '10.2.3.4' }, TWO_VALUED)).toBe('T');
    expect(evaluate({ kind: 'cidr', field: 'ip', network: '10.0.0.0/8' }, { ip: '11.0.0.0' }, TWO_VALUED)).toBe('F');
    expect(evaluate({ kind: 'range', field: 'n', op: 'gt', value: 5 }, { n: '6' }, TWO_VALUED)).toBe('T');
    expect(evaluate({ kind: 'range', field: 'n', op: 'gt', value: 5 }, { n: 'abc' }, TWO_VALUED)).toBe('U');
    expect(evaluate({ kind: 'range', field: 'n', op: 'gt', value: 'now-1d' }, { n: '2024-01-01' }, TWO_VALUED)).toBe('U');
    expect(evaluate({ kind: 'equals', field: 'n', value: 3 }, { n: '3' }, TWO_VALUED)).toBe('T');
    expect(evaluate({ kind: 'equals', field: 'b', value: true }, { b: 'TRUE' }, TWO_VALUED)).toBe('T');
    expect(evaluate({ kind: 'exists', field: 'x' }, { x: null }, TWO_VALUED)).toBe('U');
    expect(evaluate({ kind: 'null', field: 'x' }, { x: null }, TWO_VALUED)).toBe('T');
    expect(evaluate({ kind: 'fieldref', field: 'a', other: 'b', position: 'endswith', mode: 'insensitive' }, { a: 'xY', b: 'y' }, TWO_VALUED)).toBe('T');
    expect(evaluate({ kind: 'regex', field: 'a', source: '^ab+c', flags: '' }, { a: 'abbbc!' }, TWO_VALUED)).toBe('T');
    expect(evaluate({ kind: 'opaque', field: 'a', description: 'length(a) > 3' }, { a: 'abcd' }, TWO_VALUED)).toBe('U');
  });
  test('keyword leaves read every value', () => {
    expect(evaluate(m(null, [STAR, text('mimikatz'), STAR]), { a: { b: ['x', 'run Mimikatz now'] } }, TWO_VALUED)).toBe('T');
  });
  test('an opaque leaf is settled by a decided sibling', () => {
    const p = and([m('a', 'x'), { kind: 'opaque', field: null, description: 'f()' }]);
    expect(evaluate(p, { a: 'y' }, TWO_VALUED)).toBe('F');
    expect(evaluate(p, { a: 'x' }, TWO_VALUED)).toBe('U');
  });
  test('leaf vectors tell apart events that differ for the tree', () => {
    const p = or([m('a', 'x'), m('b', 'y')]);
    expect(leafVector([p], { a: 'x', c: 1 }, TWO_VALUED)).toBe(leafVector([p], { a: 'X' }, TWO_VALUED));
    expect(leafVector([p], { a: 'x' }, TWO_VALUED)).not.toBe(leafVector([p], { a: 'x', b: 'y' }, TWO_VALUED));
  });
});

describe('field analysis', () => {
  test('mentioned, negated, opaque fields and protection of .text parents', () => {
    const f = fieldFacts([and([m('process.name.caseless', 'x'), not(m('user.name', 'root')), { kind: 'opaque', field: 'process.args', description: 'length' }])]);
    expect([...f.negated]).toEqual(['user.name']);
    expect([...f.opaque]).toEqual(['process.args']);
    expect(protectedFields(f).has('process.name')).toBe(true);
    expect(touches('process', 'process.name')).toBe(true);
    expect(touches('process.pid', 'process.name')).toBe(false);
  });
  test('condition fields', () => {
    expect(conditionFields('count >= 5 and cardinality(user.name) >= 2')).toEqual(['user.name']);
  });
});
