import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { requiredLiterals } from './regex-literals.ts';

describe('requiredLiterals', () => {
  test.each([
    ['ipconfig\\s+/all', '', ['ipconfig']],
    ['abc?d+e', '', ['ab']],
    ['colou?r', '', ['colo']],
    ['x{0,3}yz|ab{2}c', '', ['yz', 'ab']],
    ['\\x41bcd|def', '', ['bcd', 'def']],
    ['(?i)Invoke-Mimi', '', ['e-mimi']], // k and s end runs under (?i)
    ['TASK', 'i', ['ta']],
    ['[^/]{100,}$', '', undefined],
    ['a|[bc]', '', undefined],
    ['\\Qa.b\\E', '', undefined],
  ] as const)('/%s/%s', (source, flags, want) => {
    expect(requiredLiterals(source, flags)).toEqual(want);
  });

  // Every string the regex matches contains one of the literals (folded).
  const sources = ['ab?c+d', 'x(yz)?w{2}v', 'pre\\.fix[0-9]{2,}post|other\\d*end', 'a*bcd?e+', '(?:ab|cd)efg\\s?hij', 'q\\$\\(x\\)r|s.t', 'LoNg\\\\Path(\\\\sub)?\\\\file'];
  test.each(sources)('matches of /%s/ contain a required literal', (source) => {
    const lits = requiredLiterals(source, '')!;
    fc.assert(
      fc.property(fc.stringMatching(new RegExp(source)), (s) => {
        expect(lits.some((l) => s.toLowerCase().includes(l))).toBe(true);
      }),
      { seed: 1, numRuns: 200 },
    );
  });
});
