import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compilePattern } from '../common/pattern-matcher.ts';
import { ONE, STAR, text, type Pattern } from '../common/pattern.ts';
import { StringGroup } from './string-group.ts';

// Characters whose folding is odd (length-changing İ, context-dependent Σ, Kelvin sign) next to plain ones.
const char = fc.constantFrom('a', 'B', 'c', '\\', '.', ' ', 'İ', 'i', 'Σ', 'σ', 'ς', '\u212a', 'k', '😀');
const literal = fc.array(char, { minLength: 1, maxLength: 4 }).map((cs) => cs.join(''));
const token = fc.oneof({ weight: 4, arbitrary: literal.map(text) }, { weight: 2, arbitrary: fc.constant(STAR) }, { weight: 1, arbitrary: fc.constant(ONE) });
const pattern: fc.Arbitrary<Pattern> = fc.array(token, { maxLength: 4 });
const value = fc.oneof(fc.array(char, { maxLength: 8 }).map((cs) => cs.join('')), fc.constantFrom<unknown>(null, 12, true, { a: 1 }));

describe('StringGroup', () => {
  test('answers as the OR of each pattern matcher, over any of the values', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ pattern, cased: fc.boolean() }), { minLength: 1, maxLength: 30 }), fc.array(value, { maxLength: 3 }), (parts, vals) => {
        const naive = vals.some((v) => {
          const t = typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
          return t !== undefined && parts.some((p) => compilePattern(p.pattern, p.cased ? 'sensitive' : 'insensitive')(t));
        });
        expect(new StringGroup(parts).test(vals)).toBe(naive);
      }),
      { seed: 7, numRuns: 3000 },
    );
  });

  test('many contains literals go through the rolling-hash table', () => {
    const lits = Array.from({ length: 50 }, (_, i) => `md5=${i.toString(16).padStart(4, '0')}`);
    const g = new StringGroup(lits.map((l) => ({ pattern: [STAR, text(l), STAR], cased: false })));
    expect(g.test(['SHA1=1,MD5=002A,x'])).toBe(true);
    expect(g.test(['MD5=00ZZ'])).toBe(false);
  });
});
