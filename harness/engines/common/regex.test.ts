import { describe, expect, test } from 'vitest';
import { compileRegex, nestedQuantifier } from './regex.ts';

describe('compileRegex runs in linear time', () => {
  // Backtracking needs ~2^50 steps here; the test's own timeout is the proof that it terminates.
  test('a catastrophic pattern against 50 a and a ! answers at once (RE2)', { timeout: 5000 }, () => {
    const re = compileRegex('(a+)+$');
    expect(re.engine).toBe('re2');
    expect(re.test(`${'a'.repeat(50)}!`)).toBe(false);
    expect(re.test('a'.repeat(50))).toBe(true);
  });
  test('lookaround falls back to the native engine only without nested quantifiers', () => {
    const ok = compileRegex('foo(?!bar)');
    expect(ok.engine).toBe('native');
    expect(ok.test('foobaz')).toBe(true);
    expect(ok.test('foobar')).toBe(false);
    expect(() => compileRegex('(?=x)(a+)+$')).toThrow(/nested quantifier at offset 5/);
  });
  test('nestedQuantifier finds star height 2', () => {
    expect(nestedQuantifier('(a+)+')).toBe(0);
    expect(nestedQuantifier('x(\\w*y)*')).toBe(1);
    expect(nestedQuantifier('(a|b)+c*')).toBeUndefined();
    expect(nestedQuantifier('[(a+)+]')).toBeUndefined();
  });
});
