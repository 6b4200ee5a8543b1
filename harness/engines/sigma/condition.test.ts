import { describe, expect, test } from 'vitest';
import { parseCondition } from './condition-parser.ts';
import { globMatch, selectIdentifiers } from './condition.ts';
import { compileError, detectorOf } from './testing.ts';

// Identifiers a..d each match the event field of the same name being 'y'.
const ids = 'a: {a: y}\nb: {b: y}\nc: {c: y}\nsel_1: {s1: y}\nsel_2: {s2: y}\n_helper: {h: y}\nfilter_x: {fx: y}\n';
const ev = (...on: string[]) => Object.fromEntries(on.map((k) => [k, 'y']));
const holds = (condition: string, event: Record<string, unknown>) => detectorOf(`${ids}condition: ${JSON.stringify(condition)}`).matches(event);

describe('condition precedence and operators', () => {
  test.each([
    ['not a and b', ev('b'), true],
    ['not a and b', ev('a', 'b'), false],
    ['not (a and b)', ev('a'), true],
    ['a or b and c', ev('a'), true],
    ['a or b and c', ev('b'), false],
    ['(a or b) and c', ev('b', 'c'), true],
    ['a and not b or c', ev('c'), true],
    ['not not a', ev('a'), true],
    ['a AND b', ev('a', 'b'), true],
    ['a Or b', ev('b'), true],
    ['1 of sel_*', ev('s2'), true],
    ['any of sel_*', ev('s1'), true],
    ['all of sel_*', ev('s1'), false],
    ['all of sel_*', ev('s1', 's2'), true],
    ['1 of them', ev('h'), false],
    ['1 of them', ev('c'), true],
    ['all of them', ev('a', 'b', 'c', 's1', 's2', 'fx'), true],
    ['1 of _h*', ev('h'), true],
    ['a and not 1 of nothing_*', ev('a'), true],
    ['a and all of nothing_*', ev('a'), true],
    ['1 of nothing_*', ev('a'), false],
    ['1 of sel_1', ev('s1'), true],
    ['1 of a*', ev('a'), true],
    ['not 1 of sel_* and a', ev('a'), true],
  ])('%s on %j → %s', (cond, event, expected) => {
    expect(holds(cond, event)).toBe(expected);
  });

  test('a list of conditions is OR', () => {
    const d = detectorOf(`${ids}condition: [a, b]`);
    expect([d.matches(ev('a')), d.matches(ev('b')), d.matches(ev('c'))]).toEqual([true, true, false]);
  });

  test('identifiers are case-sensitive', () => {
    expect(compileError(() => detectorOf('Selection: {a: 1}\ncondition: selection')).code).toBe('sigma/undefined-identifier');
  });

  test('them excludes _ identifiers (sigma.md §11.12)', () => {
    const d = detectorOf("selection: {a: x}\n_helper: {b: y}\ncondition: 1 of them");
    expect(d.matches({ b: 'y' })).toBe(false);
    expect(d.matches({ a: 'x' })).toBe(true);
  });

  test('the parser flattens chains and keeps offsets', () => {
    const ast = parseCondition('a and b and not (c or d)');
    expect(ast).toMatchObject({ kind: 'and', children: [{ kind: 'ident', name: 'a' }, { kind: 'ident', name: 'b' }, { kind: 'not', offset: 12, child: { kind: 'or' } }] });
  });

  test('glob patterns match whole identifiers', () => {
    expect(globMatch('sel*', 'selection')).toBe(true);
    expect(globMatch('sel', 'selection')).toBe(false);
    expect(globMatch('*_1', 'sel_1')).toBe(true);
    expect(globMatch('a*b*c', 'axxbyyc')).toBe(true);
    expect(globMatch('a*b*c', 'acb')).toBe(false);
    expect(selectIdentifiers('*', ['a', '_b'])).toEqual(['a']);
    expect(selectIdentifiers('_*', ['a', '_b'])).toEqual(['_b']);
  });
});

describe('condition errors are located with an offset', () => {
  const path = ['detection', 'condition'];
  test.each([
    ['a and nope', 'sigma/undefined-identifier', 6, /'nope'/],
    ['a and selction', 'sigma/undefined-identifier', 6, /did you mean 'sel_1'|'selction'/],
    ['a and', 'sigma/condition-syntax', 5, /ends too early/],
    ['a b', 'sigma/condition-syntax', 2, /unexpected 'b'/],
    ['(a or b', 'sigma/condition-syntax', 7, /expected '\)'/],
    ['a or b)', 'sigma/condition-syntax', 6, /unexpected '\)'/],
    ['2 of sel_*', 'sigma/condition-syntax', 0, /not a valid quantifier/],
    ['1 of', 'sigma/condition-syntax', 4, /after '1 of'/],
    ['sel_*', 'sigma/condition-syntax', 0, /is a pattern/],
    ['a | count() > 5', 'sigma/condition-aggregation', 2, /correlation rule/],
    ['a & b', 'sigma/condition-syntax', 2, /unexpected character '&'/],
    ['', 'sigma/condition-syntax', 0, /empty/],
  ])('%j → %s at %i', (cond, code, offset, message) => {
    const e = compileError(() => detectorOf(`${ids}condition: ${JSON.stringify(cond)}`));
    expect(e).toMatchObject({ code, path, offset });
    expect(e.message).toMatch(message);
  });

  test('in a condition list the path has the index', () => {
    expect(compileError(() => detectorOf(`${ids}condition: [a, a and zz]`))).toMatchObject({ path: ['detection', 'condition', 1], offset: 6 });
  });

  test('a missing condition points at detection', () => {
    expect(compileError(() => detectorOf('a: {a: 1}'))).toMatchObject({ code: 'sigma/missing-condition', path: ['detection'] });
  });
});
