import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ONE, STAR, text, type Pattern } from './pattern.ts';
import { compilePattern, patternToRegExp } from './pattern-matcher.ts';

const cases: [string, Pattern, string, boolean, boolean][] = [
  // name, pattern, value, insensitive result, sensitive result
  ['exact', [text('cmd.exe')], 'CMD.EXE', true, false],
  ['exact empty', [], '', true, true],
  ['empty vs text', [], 'x', false, false],
  ['star matches empty', [STAR], '', true, true],
  ['prefix', [text('C:\\Win'), STAR], 'c:\\windows\\x', true, false],
  ['suffix', [STAR, text('\\cmd.exe')], 'C:\\X\\CMD.EXE', true, false],
  ['contains', [STAR, text('-enc'), STAR], 'powershell -ENC aa', true, false],
  ['prefix and suffix', [text('a'), STAR, text('z')], 'az', true, true],
  ['prefix and suffix overlap is not a match', [text('ab'), STAR, text('ba')], 'aba', false, false],
  ['one char', [text('a'), ONE, text('c')], 'abc', true, true],
  ['one char needs exactly one', [text('a'), ONE, text('c')], 'ac', false, false],
  ['star crosses newlines', [text('a'), STAR, text('b'), STAR, text('c')], 'a\n\nb\nc', true, true],
  ['regex metacharacters are literal', [STAR, text('(x).+['), STAR], 'a(x).+[b', true, true],
  ['unicode folding', [text('ÄRGER')], 'ärger', true, false],
  ['one matches one code point', [ONE], '😀', true, true],
];

describe('compilePattern', () => {
  test.each(cases)('%s', (_name, p, value, ci, cs) => {
    expect(compilePattern(p, 'insensitive')(value)).toBe(ci);
    expect(compilePattern(p, 'sensitive')(value)).toBe(cs);
  });

  test('fast paths agree with the general regex on random inputs', () => {
    const tok = fc.oneof(fc.constant(STAR), fc.constant(ONE), fc.string({ maxLength: 3, unit: fc.constantFrom('a', 'B', '*', '\\') }).map(text));
    fc.assert(
      fc.property(fc.array(tok, { maxLength: 5 }), fc.string({ maxLength: 8, unit: fc.constantFrom('a', 'b', 'A', '*', '\\', '\n') }), (p, v) => {
        const re = patternToRegExp(p, true);
        expect(compilePattern(p, 'insensitive')(v)).toBe(re.test(v.toLowerCase()));
      }),
    );
  });
});
