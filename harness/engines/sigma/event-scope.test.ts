import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { enterEvent, leaveEvent, withEvent } from './event-scope.ts';
import { compileRegex } from '../common/regex.ts';
import { itemDetector } from './testing.ts';

describe('event scope: shared field values', () => {
  const cmd = itemDetector('CommandLine|contains', 'WHOAMI');
  const img = itemDetector('Image|endswith', '\\cmd.exe');

  test('rules in one scope see the event as it is', () => {
    const e = { CommandLine: 'c:\\x\\whoami /all', Image: 'C:\\Windows\\CMD.EXE' };
    expect(withEvent(e, () => [cmd.matches(e), img.matches(e)])).toEqual([true, true]);
  });

  test('an event edited between two scopes is read afresh', () => {
    const e: Record<string, unknown> = { CommandLine: 'whoami' };
    expect(withEvent(e, () => cmd.matches(e))).toBe(true);
    e.CommandLine = 'hostname';
    expect(withEvent(e, () => cmd.matches(e))).toBe(false);
    expect(cmd.matches(e)).toBe(false);
  });

  test('another event inside a scope is read directly, and nested scopes restore the outer one', () => {
    const a = { CommandLine: 'whoami' };
    const b = { CommandLine: 'hostname' };
    const outer = enterEvent(a);
    try {
      expect(cmd.matches(a)).toBe(true);
      expect(cmd.matches(b)).toBe(false);
      expect(withEvent(b, () => cmd.matches(b))).toBe(false);
      expect(cmd.matches(a)).toBe(true);
    } finally {
      leaveEvent(outer);
    }
  });

  test('a regex with a required literal: the prefilter never changes the answer', () => {
    const cases: [key: string, source: string, ignoreCase: boolean][] = [
      ['CommandLine|re', '\\w+`(?:\\w+|-|.)`[\\w+|\\s]', false],
      ['CommandLine|re|i', 'ipconfig\\s+/all|net\\s+user', true],
      ['CommandLine|re', '(?i)\\$\\{`?e`?n`?v', false],
    ];
    const rules = cases.map(([key, source, ignoreCase]) => ({ detector: itemDetector(key, source), re: compileRegex(source, { ignoreCase }) }));
    const text = fc.string({ unit: fc.constantFrom('a', 'B', '`', '-', ' ', 'i', 'P', 'ipconfig ', '/ALL', 'NET ', 'user', '${', 'E', 'n', 'v', 'ſ', 'K'), maxLength: 14 });
    fc.assert(
      fc.property(fc.oneof(text, fc.array(text, { maxLength: 3 })), (v) => {
        const e = { CommandLine: v };
        for (const { detector, re } of rules) {
          const expected = (Array.isArray(v) ? v : [v]).some((x) => re.test(x));
          expect(withEvent(e, () => detector.matches(e))).toBe(expected);
          expect(detector.matches(e)).toBe(expected);
        }
      }),
      { numRuns: 400 },
    );
  });
});
