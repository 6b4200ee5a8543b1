import type { Rule } from './rule.ts';

/**
 * A Rule for tests: a Sigma event rule with no metadata, overridden field by
 * field. One builder, so the Rule model can grow without touching every test.
 * @example testRule({ id: 'r1', body: { detection: { … } } })
 */
export function testRule(over: Partial<Rule> = {}): Rule {
  return {
    id: 'r1',
    title: 'test rule',
    format: 'sigma',
    language: 'sigma',
    kind: 'event',
    techniques: [],
    tactics: [],
    tags: [],
    related: [],
    source: { file: 'rules/test.yml', line: 1, column: 1 },
    document: 0,
    body: {},
    ...over,
  };
}
