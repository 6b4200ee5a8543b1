/** Pipeline files: what loads, and bad files as errors located at file, line and column. */
import { describe, expect, test } from 'vitest';
import { HarnessError } from '../../../core/diagnostics.ts';
import { parsePipeline } from './load.ts';

function errorOf(text: string): string {
  try {
    parsePipeline('p.yml', text);
  } catch (e) {
    if (e instanceof HarnessError) return e.message;
    throw e;
  }
  throw new Error('expected a pipeline error');
}

describe('pipeline files', () => {
  test('name, priority, vars and items load; postprocessing and finalizers are ignored with a warning', () => {
    const p = parsePipeline('p.yml', `name: mine\npriority: 30\nvars: { a: [1] }\ntransformations:\n  - { type: field_name_prefix, prefix: x. }\npostprocessing:\n  - { type: embed, prefix: '(' }\nfinalizers:\n  - { type: concat }\n`);
    expect(p).toMatchObject({ name: 'mine', priority: 30, vars: { a: [1] } });
    expect(p.items.map((i) => i.type)).toEqual(['field_name_prefix']);
    expect(p.warnings).toEqual([expect.stringMatching(/'postprocessing' ignored/), expect.stringMatching(/'finalizers' ignored/)]);
  });
  test.each([
    ['unknown transformation', `transformations:\n  - type: field_name_mapin\n    mapping: {}\n`, "p.yml:2:11: error: unknown transformation type 'field_name_mapin' — did you mean 'field_name_mapping'?"],
    ['unknown parameter', `transformations:\n  - type: field_name_prefix\n    prefix: a.\n    prefx: b\n`, "p.yml:4:5: error: transformation 'field_name_prefix': unexpected parameter 'prefx'"],
    ['missing parameter', `transformations:\n  - type: replace_string\n    regex: a\n`, "p.yml:2:5: error: transformation 'replace_string': missing parameter 'replacement'"],
    ['unknown condition', `transformations:\n  - type: drop_detection_item\n    rule_conditions: [{ type: logsorce }]\n`, "p.yml:3:31: error: unknown rule condition type 'logsorce' in condition 1 — did you mean 'logsource'?"],
    ['unknown top-level key', `name: x\ntransformation: []\n`, "p.yml:2:1: error: unknown key 'transformation' — did you mean 'transformations'?"],
    ['bad expression', `transformations:\n  - type: drop_detection_item\n    rule_conditions: { a: { type: is_sigma_rule } }\n    rule_cond_expr: a and b\n`, "p.yml:4:21: error: condition expression 'a and b': condition identifier 'b' not found"],
    ['linking and expression together', `transformations:\n  - type: drop_detection_item\n    rule_conditions: { a: { type: is_sigma_rule } }\n    rule_cond_expr: a\n    rule_cond_op: or\n`, 'p.yml:4:21: error: rule condition expression is mutually exclusive to linking'],
    ['invalid regular expression', `transformations:\n  - type: drop_detection_item\n    detection_item_conditions: [{ type: match_string, pattern: '*exe', cond: any }]\n`, "p.yml:3:55: error: condition 'match_string': regular expression '*exe' is invalid"],
    ['YAML syntax', `transformations: [\n`, 'p.yml:2:1: error: invalid YAML'],
  ])('%s', (_what, text, message) => {
    expect(errorOf(text)).toContain(message);
  });
});
