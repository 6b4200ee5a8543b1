/**
 * One test (or a few) per transformation of pySigma's registry, against the
 * behaviour pySigma documents and tests (tests/test_processing_transformations.py):
 * what the rule becomes, and which events it then matches.
 */
import { describe, expect, test } from 'vitest';
import { compileError } from '../../testing.ts';
import { fieldsOf, leavesOf, mappedOf, underPipeline } from '../testing.ts';

const PROC = `
title: t
logsource: { product: windows, category: process_creation }
detection:
  sel: { Image|endswith: '\\cmd.exe', CommandLine|contains: 'whoami' }
  condition: sel
`;

describe('field_name_mapping', () => {
  test('maps one field to one, and the compiled rule reads the new field', () => {
    const d = underPipeline(`transformations: [{ type: field_name_mapping, mapping: { Image: process.executable } }]`, PROC);
    expect(fieldsOf(d)).toEqual(['process.executable', 'CommandLine']);
    expect(d.matches({ process: { executable: 'C:\\x\\cmd.exe' }, CommandLine: 'whoami /all' })).toBe(true);
    expect(d.matches({ Image: 'C:\\x\\cmd.exe', CommandLine: 'whoami /all' })).toBe(false);
  });
  test('one to many becomes an OR of the item under each name', () => {
    const d = underPipeline(`transformations: [{ type: field_name_mapping, mapping: { Image: [a.exe, b.exe] } }]`, PROC);
    expect(fieldsOf(d)).toEqual(['a.exe', 'b.exe', 'CommandLine']);
    expect(d.matches({ b: { exe: 'C:\\cmd.exe' }, CommandLine: 'whoami' })).toBe(true);
    expect(d.matches({ a: { exe: 'C:\\cmd.exe' }, CommandLine: 'whoami' })).toBe(true);
  });
  test('field references in values are mapped too', () => {
    const d = underPipeline(`transformations: [{ type: field_name_mapping, mapping: { ParentImage: process.parent.executable } }]`, `
logsource: { product: windows }
detection: { sel: { Image|fieldref: ParentImage }, condition: sel }`);
    expect(d.matches({ Image: 'x', process: { parent: { executable: 'x' } } })).toBe(true);
    expect(d.matches({ Image: 'x', ParentImage: 'x' })).toBe(false);
  });
  test('a mapping mixing strings and other values is a located error', () => {
    expect(() => underPipeline(`transformations: [{ type: field_name_mapping, mapping: { Image: 3 } }]`, PROC)).toThrow(/p0.yml:1:\d+: error: transformation 'field_name_mapping': mapping of 'Image'/);
  });
});

describe('field_name_prefix_mapping, field_name_prefix, field_name_suffix', () => {
  test('prefix mapping replaces the first matching prefix', () => {
    const d = underPipeline(`transformations: [{ type: field_name_prefix_mapping, mapping: { Comm: cmd., Im: [img., image.] } }]`, PROC);
    expect(fieldsOf(d)).toEqual(['img.age', 'image.age', 'cmd.andLine']);
  });
  test('prefix and suffix, limited by include_fields / exclude_fields', () => {
    const d = underPipeline(
      `transformations:
  - { type: field_name_prefix, prefix: 'winlog.', field_name_conditions: [{ type: include_fields, fields: [Image] }] }
  - { type: field_name_suffix, suffix: '.keyword', field_name_conditions: [{ type: exclude_fields, fields: ['^winlog\\.'], mode: re }] }`,
      PROC,
    );
    expect(fieldsOf(d)).toEqual(['winlog.Image', 'CommandLine.keyword']);
  });
  test('field_name_transform takes a Python function, which a file cannot give', () => {
    expect(() => underPipeline(`transformations: [{ type: field_name_transform, transform_func: lower }]`, PROC)).toThrow(/Python function/);
  });
});

describe('add_condition and change_logsource', () => {
  test('adds an identifier ANDed before every condition', () => {
    const d = underPipeline(`transformations: [{ type: add_condition, name: chan, conditions: { Channel: Security, EventID: [1, 2] } }]`, PROC);
    expect(mappedOf(d).conditions).toEqual(['chan and (sel)']);
    expect(d.matches({ Image: 'a\\cmd.exe', CommandLine: 'whoami', Channel: 'Security', EventID: 2 })).toBe(true);
    expect(d.matches({ Image: 'a\\cmd.exe', CommandLine: 'whoami', Channel: 'Security', EventID: 3 })).toBe(false);
  });
  test('negated, and templated with the logsource ($category; None when unset)', () => {
    const d = underPipeline(`transformations: [{ type: add_condition, name: c, negated: true, template: true, conditions: { source: '$category-$service' } }]`, PROC);
    expect(mappedOf(d).conditions).toEqual(['not c and (sel)']);
    expect(d.matches({ Image: 'a\\cmd.exe', CommandLine: 'whoami', source: 'process_creation-None' })).toBe(false);
    expect(d.matches({ Image: 'a\\cmd.exe', CommandLine: 'whoami', source: 'x' })).toBe(true);
  });
  test('change_logsource replaces all three fields; later items see the new logsource', () => {
    const d = underPipeline(
      `transformations:
  - { type: change_logsource, product: windows, service: sysmon, rule_conditions: [{ type: logsource, category: process_creation }] }
  - { type: add_condition, name: s, conditions: { EventID: 1 }, rule_conditions: [{ type: logsource, service: sysmon }] }
  - { type: add_condition, name: never, conditions: { EventID: 9 }, rule_conditions: [{ type: logsource, category: process_creation }] }`,
      PROC,
    );
    expect(mappedOf(d).logsource).toEqual({ category: null, product: 'windows', service: 'sysmon' });
    expect(mappedOf(d).conditions).toEqual(['s and (sel)']);
  });
});

describe('drop_detection_item', () => {
  test('drops the items its conditions select', () => {
    const d = underPipeline(`transformations: [{ type: drop_detection_item, field_name_conditions: [{ type: include_fields, fields: [CommandLine] }] }]`, PROC);
    expect(fieldsOf(d)).toEqual(['Image']);
    expect(d.matches({ Image: 'a\\cmd.exe' })).toBe(true);
  });
});

describe('value transformations', () => {
  test('replace_string: Python regex and group references, wildcards kept', () => {
    const d = underPipeline(`transformations: [{ type: replace_string, regex: '^\\*\\\\(.*)$', replacement: '*\\\\\\1' }]`, `
logsource: { product: windows }
detection: { sel: { Image: '*\\cmd.exe' }, condition: sel }`);
    expect(d.matches({ Image: 'C:\\cmd.exe' })).toBe(true);
    const e = underPipeline(`transformations: [{ type: replace_string, regex: 'cmd', replacement: 'pwsh' }]`, PROC);
    expect(e.matches({ Image: 'C:\\pwsh.exe', CommandLine: 'whoami' })).toBe(true);
    expect(e.matches({ Image: 'C:\\cmd.exe', CommandLine: 'whoami' })).toBe(false);
  });
  test('replace_string with skip_special leaves wildcards alone', () => {
    const d = underPipeline(`transformations: [{ type: replace_string, regex: '\\*', replacement: 'X', skip_special: true }]`, `
logsource: { product: windows }
detection: { sel: { F: 'a\\*b*' }, condition: sel }`);
    expect(d.matches({ F: 'aXbzzz' })).toBe(true);
    expect(d.matches({ F: 'a*bzzz' })).toBe(false);
  });
  test('replace_string keeps backslashes and escaped wildcards as pySigma does (test_replace_string_backslashes)', () => {
    const d = underPipeline(`transformations: [{ type: replace_string, regex: value, replacement: test }]`, `
logsource: { product: x }
detection: { sel: { field1: 'backslash\\\\value', field2: 'backslash\\\\\\\\value', field3: 'plainwildcard\\*value' }, condition: sel }`);
    expect(leavesOf(d).map((l) => l.pattern)).toEqual([[{ kind: 'text', text: 'backslash\\test' }], [{ kind: 'text', text: 'backslash\\\\test' }], [{ kind: 'text', text: 'plainwildcard*test' }]]);
  });
  test('replace_string skip_special + interpret_special: wildcards in the replacement count (test_replace_string_skip_specials)', () => {
    const d = underPipeline(`transformations: [{ type: replace_string, regex: '^.*\\\\', replacement: '/?/', skip_special: true, interpret_special: true }]`, `
logsource: { product: x }
detection: { sel: { field1: '*\\value' }, condition: sel }`);
    expect(leavesOf(d)[0]!.pattern).toEqual([{ kind: 'star' }, { kind: 'text', text: '/' }, { kind: 'one' }, { kind: 'text', text: '/value' }]);
  });
  test('map_string: one value to several', () => {
    const d = underPipeline(`transformations: [{ type: map_string, mapping: { 'low': [informational, low] } }]`, `
logsource: { product: x }
detection: { sel: { level: low }, condition: sel }`);
    expect(d.matches({ level: 'informational' })).toBe(true);
    expect(d.matches({ level: 'low' })).toBe(true);
    expect(d.matches({ level: 'high' })).toBe(false);
  });
  test('case: lower, upper, snake_case on the plain parts', () => {
    const lower = underPipeline(`transformations: [{ type: case, method: upper }]`, PROC);
    expect(leavesOf(lower)[0]).toMatchObject({ pattern: [{ kind: 'star' }, { kind: 'text', text: '\\CMD.EXE' }] });
    const snake = underPipeline(`transformations: [{ type: case, method: snake_case }]`, `
logsource: { product: x }
detection: { sel: { F|cased: 'CamelCaseValue' }, condition: sel }`);
    expect(snake.matches({ F: 'camel_case_value' })).toBe(true);
    expect(() => underPipeline(`transformations: [{ type: case, method: title }]`, PROC)).toThrow(/'method' must be one of lower, upper, snake_case/);
  });
  test.each([
    ['plain', '\\\\te\\.st.*va.ue', ''],
    ['ignore_case_brackets', '\\\\[tT][eE]\\.[sS][tT].*[vV][aA][lL].[uU][eE]', ''],
    ['ignore_case_flag', '\\\\tE\\.sT.*val.ue', 'i'],
  ])('regex method %s (pySigma test_regex_transformation_*)', (method, source, flags) => {
    const value = method === 'plain' ? '\\te.st*va?ue' : method === 'ignore_case_brackets' ? '\\tE.sT*val?ue' : '\\tE.sT*val?ue';
    const d = underPipeline(`transformations: [{ type: regex, method: ${method} }]`, `logsource: { product: x }\ndetection: { sel: { field: '${value}' }, condition: sel }`);
    expect(leavesOf(d)[0]).toMatchObject({ kind: 'regex', source, flags });
  });
  test('regex: a string becomes a regular expression (brackets, flag or plain)', () => {
    const d = underPipeline(`transformations: [{ type: regex }]`, `
logsource: { product: x }
detection: { sel: { F: 'Ab*.c' }, condition: sel }`);
    expect(leavesOf(d)[0]).toMatchObject({ kind: 'regex', source: '[aA][bB].*\\.[cC]' });
    const f = underPipeline(`transformations: [{ type: regex, method: ignore_case_flag }]`, `
logsource: { product: x }
detection: { sel: { F: 'a-b' }, condition: sel }`);
    expect(leavesOf(f)[0]).toMatchObject({ kind: 'regex', source: 'a\\-b', flags: 'i' });
    expect(f.matches({ F: 'xA-By' })).toBe(true);
  });
  test('set_value replaces every value; force_type converts it', () => {
    const d = underPipeline(`transformations: [{ type: set_value, value: '5', force_type: num, field_name_conditions: [{ type: include_fields, fields: [EventID] }] }]`, `
logsource: { product: x }
detection: { sel: { EventID: [1, 2] }, condition: sel }`);
    expect(d.matches({ EventID: 5 })).toBe(true);
    expect(d.matches({ EventID: 1 })).toBe(false);
  });
  test('convert_type: numbers to strings and strings to numbers; a non-number rejects the rule', () => {
    const s = underPipeline(`transformations: [{ type: convert_type, target_type: str }]`, `
logsource: { product: x }
detection: { sel: { EventID: 4624 }, condition: sel }`);
    expect(leavesOf(s)[0]).toMatchObject({ kind: 'match', pattern: [{ kind: 'text', text: '4624' }] });
    const n = underPipeline(`transformations: [{ type: convert_type, target_type: num }]`, `
logsource: { product: x }
detection: { sel: { EventID: '4624' }, condition: sel }`);
    expect(leavesOf(n)[0]).toMatchObject({ kind: 'equals', value: 4624 });
    const e = compileError(() => underPipeline(`transformations: [{ type: convert_type, target_type: num }]`, `
logsource: { product: x }
detection: { sel: { F: abc }, condition: sel }`));
    expect(e.code).toBe('sigma/pipeline-rejected');
    expect(e.message).toMatch(/Value 'abc' can't be converted to number/);
  });
  test('hashes_fields: Hashes values split into one field per algorithm', () => {
    const d = underPipeline(`transformations: [{ type: hashes_fields, valid_hash_algos: [MD5, SHA256], field_prefix: File }]`, `
logsource: { product: x }
detection: { sel: { Hashes: ['MD5=987B65CD9B9F4E9A1AFD8F8B48CF64A7', 'SHA1=5F1CBC3D99558307BC1250D084FA968521482025'] }, condition: sel }`);
    expect(fieldsOf(d)).toEqual(['FileMD5']);
    expect(d.matches({ FileMD5: '987b65cd9b9f4e9a1afd8f8b48cf64a7' })).toBe(true);
    const e = compileError(() => underPipeline(`transformations: [{ type: hashes_fields, valid_hash_algos: [SHA512] }]`, `
logsource: { product: x }
detection: { sel: { Hashes: 'MD5=987B65CD9B9F4E9A1AFD8F8B48CF64A7' }, condition: sel }`));
    expect(e.message).toMatch(/No valid hash algorithm found in Hashes field/);
  });
});

const EXPAND = `
logsource: { product: windows }
detection: { sel: { User|expand: '%admins%' }, condition: sel }`;

describe('placeholders', () => {
  test('value_placeholders: the pipeline vars, one value per combination', () => {
    const d = underPipeline(`vars: { admins: [Administrator, 'adm-*'] }\ntransformations: [{ type: value_placeholders }]`, EXPAND);
    expect(d.matches({ User: 'adm-bob' })).toBe(true);
    expect(d.matches({ User: 'administrator' })).toBe(true);
    expect(d.matches({ User: 'bob' })).toBe(false);
  });
  test('wildcard_placeholders, limited by include', () => {
    const d = underPipeline(`transformations: [{ type: wildcard_placeholders, include: [admins] }]`, EXPAND);
    expect(d.matches({ User: 'anyone' })).toBe(true);
  });
  test('an unresolved placeholder rejects the rule; harness.config.yml values still come first', () => {
    const e = compileError(() => underPipeline(`transformations: [{ type: wildcard_placeholders, exclude: [admins] }]`, EXPAND));
    expect(e.message).toMatch(/placeholder %admins% has no value/);
    const d = underPipeline(`transformations: []`, EXPAND, { admins: ['root'] });
    expect(d.matches({ User: 'root' })).toBe(true);
  });
  test('query_expression_placeholders become backend query text: not evaluable', () => {
    const e = compileError(() => underPipeline(`transformations: [{ type: query_expression_placeholders, expression: '{field} in list({id})' }]`, EXPAND));
    expect(e.message).toMatch(/query expression.*cannot evaluate/);
  });
});

describe('failures: the pipeline rejects the rule with its own message', () => {
  test('rule_failure, guarded by a rule condition', () => {
    const yaml = `transformations: [{ type: rule_failure, message: 'linux rules are not supported', rule_conditions: [{ type: logsource, product: linux }] }]`;
    expect(underPipeline(yaml, PROC).matches({ Image: 'a\\cmd.exe', CommandLine: 'whoami' })).toBe(true);
    const e = compileError(() => underPipeline(yaml, PROC.replace('windows', 'linux')));
    expect(e).toMatchObject({ code: 'sigma/pipeline-rejected', message: 'rejected by pipeline p0.yml: linux rules are not supported' });
  });
  test('detection_item_failure points at the item it refuses', () => {
    const e = compileError(() =>
      underPipeline(`transformations: [{ type: detection_item_failure, message: no wildcards here, detection_item_conditions: [{ type: contains_wildcard, cond: any }] }]`, PROC),
    );
    expect(e).toMatchObject({ message: 'rejected by pipeline p0.yml: no wildcards here', path: ['detection', 'sel', 'Image|endswith'] });
  });
  test('strict_field_mapping_failure lists the fields no mapping covered', () => {
    const e = compileError(() => underPipeline(`transformations: [{ type: field_name_mapping, mapping: { Image: process.executable } }, { type: strict_field_mapping_failure }]`, PROC));
    expect(e.message).toMatch(/The following fields are not mapped: CommandLine$/);
  });
});

describe('state, custom attributes, nesting and conditions between items', () => {
  test('set_state and processing_state; processing_item_applied on the rule and on items', () => {
    const d = underPipeline(
      `transformations:
  - { id: m, type: field_name_mapping, mapping: { Image: process.executable } }
  - { type: set_state, key: mapped, val: yes, rule_conditions: [{ type: processing_item_applied, processing_item_id: m }] }
  - { type: field_name_prefix, prefix: 'x.', field_name_conditions: [{ type: processing_item_applied, processing_item_id: m }], field_name_cond_not: true, rule_conditions: [{ type: processing_state, key: mapped, val: yes }] }`,
      PROC,
    );
    expect(fieldsOf(d)).toEqual(['process.executable', 'x.CommandLine']);
  });
  test('set_custom_attribute feeds rule_attribute; tag and is_sigma_rule conditions', () => {
    const d = underPipeline(
      `transformations:
  - { type: set_custom_attribute, attribute: team, value: red }
  - { type: field_name_prefix, prefix: 'a.', rule_conditions: [{ type: rule_attribute, attribute: team, value: red }, { type: tag, tag: attack.t1033 }, { type: is_sigma_rule }] }
  - { type: field_name_prefix, prefix: 'b.', rule_conditions: [{ type: rule_attribute, attribute: level, value: medium, op: gte }] }`,
      `${PROC}tags: [attack.t1033]\nlevel: high\n`,
    );
    expect(fieldsOf(d)).toEqual(['b.a.Image', 'b.a.CommandLine']);
  });
  test('nest runs its items under the enclosing item conditions', () => {
    const d = underPipeline(
      `transformations:
  - type: nest
    rule_conditions: [{ type: logsource, category: process_creation }]
    items:
      - { type: field_name_mapping, mapping: { Image: process.executable } }
      - { type: add_condition, name: pc, conditions: { event.category: process } }`,
      PROC,
    );
    expect(mappedOf(d).conditions).toEqual(['pc and (sel)']);
    expect(fieldsOf(d)).toEqual(['event.category', 'process.executable', 'CommandLine']);
  });
  test('condition expressions over named conditions, and detection-item value conditions', () => {
    const d = underPipeline(
      `transformations:
  - type: field_name_prefix
    prefix: 'p.'
    rule_conditions: { a: { type: logsource, product: windows }, b: { type: logsource, product: linux } }
    rule_cond_expr: a and not b
    detection_item_conditions: [{ type: match_string, pattern: '^\\*', cond: any }]`,
      PROC,
    );
    expect(fieldsOf(d)).toEqual(['p.Image', 'p.CommandLine']);
    const e = underPipeline(`transformations: [{ type: field_name_prefix, prefix: 'p.', detection_item_conditions: [{ type: match_value, value: 'x', cond: all }] }]`, PROC);
    expect(fieldsOf(e)).toEqual(['Image', 'CommandLine']);
  });
});

describe('composition by priority', () => {
  test('lower priority runs first, whatever the order given', () => {
    const late = `priority: 50\ntransformations: [{ type: field_name_prefix, prefix: 'late.' }]`;
    const early = `priority: 10\ntransformations: [{ type: field_name_prefix, prefix: 'early.' }]`;
    expect(fieldsOf(underPipeline([late, early], PROC))[0]).toBe('late.early.Image');
  });
});
