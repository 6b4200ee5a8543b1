import { describe, expect, test } from 'vitest';
import type { Rule } from '../core/rule.ts';
import type { Scenario } from '../scenarios/model.ts';
import { changeScope } from './changed-scope.ts';
import { testRule } from '../core/rule-fixture.ts';

const rule = (id: string, file: string): Rule => testRule({ id, title: id, source: { file, line: 1, column: 1 } });
const rules = [rule('a', 'rules/sigma/a.yml'), rule('b', 'rules/sigma/b.yml'), rule('c', 'rules/sigma/multi.yml'), rule('d', 'rules/sigma/multi.yml')];
const scenarios: Scenario[] = [{ file: 'scenarios/sigma/b.yml', rule: 'b', cases: [], ruleLine: 1 }];

describe('changeScope', () => {
  test('changed rule and scenario files map to their rules', () => {
    expect(changeScope(['rules/sigma/a.yml', 'scenarios/sigma/b.yml'], rules, scenarios)).toEqual({ kind: 'rules', ruleIds: ['a', 'b'], files: ['rules/sigma/a.yml', 'scenarios/sigma/b.yml'] });
    expect(changeScope(['rules/sigma/multi.yml'], rules, scenarios)).toMatchObject({ ruleIds: ['c', 'd'] });
  });
  test('harness code or dependencies changed: the full suite', () => {
    expect(changeScope(['rules/sigma/a.yml', 'harness/engines/sigma/index.ts'], rules, scenarios)).toEqual({ kind: 'full', reason: 'harness/engines/sigma/index.ts changed' });
    expect(changeScope(['package-lock.json'], rules, scenarios).kind).toBe('full');
  });
  test('docs and outputs do not count; nothing changed: no rules', () => {
    expect(changeScope(['README.md', 'reports/coverage.json'], rules, scenarios)).toEqual({ kind: 'rules', ruleIds: [], files: [] });
  });
});
