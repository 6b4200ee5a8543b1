import { describe, expect, test } from 'vitest';
import { kindsOf, renderSummary, summarise } from './suite-reporter.ts';

describe('suite summary', () => {
  test('failures are counted by rule and by the kind each failure starts with, worst rule first', () => {
    const rules = summarise([
      { group: 'Rule A [a]', messages: ['[verdict] case x failed'] },
      { group: 'Rule B [b]', messages: ['[cross-fire] one\n\n[variant] two\n\n[near miss] three'] },
      { group: 'Rule B [b]', messages: ['[cross-fire] again'] },
      { group: 'Rule C [c]', messages: ['TypeError: boom'] },
    ]);
    expect(rules.map((r) => r.rule)).toEqual(['Rule B [b]', 'Rule A [a]', 'Rule C [c]']);
    expect(rules[0]!.counts).toEqual({ verdict: 0, 'cross-fire': 2, variant: 1, 'near miss': 1 });
    expect(kindsOf(['TypeError: boom'])).toEqual(['verdict']);
    const text = renderSummary(rules, 10);
    expect(text).toContain('Rule suite: 3 rule(s) failing (of 10 rule-suite tests run)');
    expect(text).toMatch(/ {7}1 {11}· {8}· {10}· {2}Rule A \[a\]/);
    expect(text).toMatch(/ {6}2 {11}2 {8}1 {10}1 {2}total/);
    expect(renderSummary([], 10)).toBe('');
  });
});
