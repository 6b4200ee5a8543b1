import { describe, expect, test } from 'vitest';
import { ONE, STAR, text, type Pattern } from '../common/pattern.ts';
import { parseSigmaString } from './sigma-string.ts';

// sigma.md §3: the string as Sigma receives it (after YAML unquoting) → tokens.
const table: [string, Pattern][] = [
  ['C:\\Windows\\System32', [text('C:\\Windows\\System32')]],
  ['C:\\\\Windows', [text('C:\\Windows')]],
  ['\\\\\\\\', [text('\\\\')]],
  ['C:\\Windows\\*', [text('C:\\Windows*')]],
  ['C:\\Windows\\\\*', [text('C:\\Windows\\'), STAR]],
  ['\\\\\\*', [text('\\*')]],
  ['\\?', [text('?')]],
  ['\\\\\\a', [text('\\\\a')]],
  ['end\\', [text('end\\')]],
  ['a*b?c', [text('a'), STAR, text('b'), ONE, text('c')]],
  ['', []],
  ['**', [STAR, STAR]],
];

describe('parseSigmaString (pySigma SigmaString escapes)', () => {
  test.each(table)('%j', (input, expected) => {
    expect(parseSigmaString(input)).toEqual(expected);
  });
});
