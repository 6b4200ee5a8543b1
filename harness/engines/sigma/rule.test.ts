import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Trace } from '../../core/detector.ts';
import { compileSigmaRule } from './index.ts';
import { compileError, detectorOf, filterOf, itemDetector, NO_PLACEHOLDERS, ruleOf } from './testing.ts';
import { SHARED } from '../../core/shared-dir.ts';

describe('worked examples (sigma.md §11)', () => {
  // [n, detection YAML, event, expected]
  test.each([
    [1, "sel: {Image: 'C:\\Windows\\*'}\ncondition: sel", { Image: 'C:\\Windows\\cmd.exe' }, false],
    [1, "sel: {Image|startswith: 'C:\\Windows\\'}\ncondition: sel", { Image: 'C:\\Windows\\cmd.exe' }, true],
    [2, "sel: {Image|endswith: '\\cmd.exe'}\ncondition: sel", { Image: 'C:\\WINDOWS\\System32\\CMD.EXE' }, true],
    [2, "sel: {Image|endswith|cased: '\\cmd.exe'}\ncondition: sel", { Image: 'C:\\WINDOWS\\System32\\CMD.EXE' }, false],
    [3, 'sel: {EventID: 4688}\ncondition: sel', { EventID: '4688' }, true],
    [3, "sel: {EventID: '4688'}\ncondition: sel", { EventID: 4688 }, true],
    [3, 'sel: {EventID|gt: 4000}\ncondition: sel', { EventID: '0x1250' }, false],
    [4, "sel: {CommandLine|contains|all: ['-nop', '-w hidden']}\ncondition: sel", { CommandLine: 'powershell -NoP -W Hidden -enc AA==' }, true],
    [4, 'sel: {Tags|all: [a, b]}\ncondition: sel', { Tags: ['a', 'b'] }, true],
    [5, "sel: {CommandLine|windash|contains|all: ['-s ', '-p ']}\ncondition: sel", { CommandLine: 'tool.exe /s x \u2013p y' }, true],
    [6, 'sel: {User|neq: SYSTEM}\ncondition: sel', {}, true],
    [6, 'sel: {User|neq: SYSTEM}\ncondition: sel', { User: 'system' }, false],
    [7, 'sel: {PasswordLastSet|exists: true}\ncondition: sel', { PasswordLastSet: null }, true],
    [7, 'sel: {PasswordLastSet: null}\ncondition: sel', { PasswordLastSet: null }, true],
    [8, "sel: {CommandLine|re: 'Invoke-\\w+'}\ncondition: sel", { CommandLine: 'x invoke-mimikatz' }, false],
    [8, "sel: {CommandLine|re|i: 'Invoke-\\w+'}\ncondition: sel", { CommandLine: 'x invoke-mimikatz' }, true],
    [9, 'sel: {CommandLine|base64offset|contains: IEX}\ncondition: sel', { CommandLine: 'powershell -e YWJJRVgoTmV3' }, true],
    [10, "sel: {DestinationIp|cidr: '10.0.0.0/8'}\ncondition: sel", { DestinationIp: ['192.168.1.1', '10.2.3.4'] }, true],
    [11, "keywords: ['event::clear']\ncondition: keywords", { CommandLine: 'mimikatz event::clear exit' }, true],
    [12, 'selection: {a: x}\n_helper: {b: y}\ncondition: 1 of them', { b: 'y' }, false],
    [13, 'selection: {a: x}\ncondition: selection and not 1 of filter_*', { a: 'x' }, true],
    [14, "sel: {CommandLine: ''}\ncondition: sel", {}, false],
    [14, 'sel: {CommandLine: null}\ncondition: sel', {}, true],
    [15, 'sel: {ParentImage|fieldref: Image}\ncondition: sel', { Image: 'a.exe', ParentImage: 'A.EXE' }, true],
    [15, 'sel: {ParentImage|fieldref: Image}\ncondition: sel', { Image: 'a.exe' }, false],
  ])('example %i: %s on %j → %s', (_n, detection, event, expected) => {
    expect(detectorOf(detection).matches(event)).toBe(expected);
  });

  test('example 10: host bits set is a rule error', () => {
    expect(compileError(() => detectorOf("sel: {DestinationIp|cidr: '10.0.0.1/8'}\ncondition: sel")).code).toBe('sigma/invalid-cidr');
  });

  test('example 18: a filter document removes DC events', () => {
    const f = filterOf("title: DCs\nlogsource: {product: windows}\nfilter:\n  rules: [00000000-0000-0000-0000-000000000001]\n  selection: {ComputerName|startswith: DC-}\n  condition: not selection\n");
    const d = detectorOf('selection: {Image|endswith: cmd.exe}\ncondition: selection', NO_PLACEHOLDERS, [f]);
    expect(d.matches({ Image: 'cmd.exe', ComputerName: 'DC-01' })).toBe(false);
    expect(d.matches({ Image: 'cmd.exe', ComputerName: 'WS-01' })).toBe(true);
  });
});

describe('null / empty / missing truth table (sigma.md §8)', () => {
  const A = {};
  const N = { f: null };
  const E = { f: '' };
  const V = { f: 'x' };
  test.each([
    ['f: null', [true, true, false, false]],
    ["f: ''", [false, false, true, false]],
    ['f: x', [false, false, false, true]],
    ["f: '*'", [false, false, true, true]],
    ['f|exists: true', [false, true, true, true]],
    ['f|exists: false', [true, false, false, false]],
    ['f|neq: x', [true, true, true, false]],
    ['f: []', [true, true, false, false]],
    ["f: ['', null]", [true, true, true, false]],
  ])('%s', (item, expected) => {
    const d = detectorOf(`sel: {${item}}\ncondition: sel`);
    expect([A, N, E, V].map((e) => d.matches(e))).toEqual(expected);
  });

  test('not sel (sel = f: x)', () => {
    const d = detectorOf('sel: {f: x}\ncondition: not sel');
    expect([A, N, E, V].map((e) => d.matches(e))).toEqual([true, true, true, false]);
  });
});

describe('known divergences are pinned (sigma.md §12)', () => {
  test('neq on a missing field is true (pySigma: NOT of the item; rsigma: false)', () => {
    expect(itemDetector('User|neq', 'x').matches({})).toBe(true);
  });
  test('exists on JSON null is true (spec; rsigma: false)', () => {
    expect(itemDetector('f|exists', true).matches({ f: null })).toBe(true);
  });
  test('windash only touches dashes at word starts (pySigma; rsigma: every dash)', () => {
    expect(itemDetector('c|windash', 'a-b').matches({ c: 'a/b' })).toBe(false);
  });
  test('utf16 BOM is FF FE (byte-correct; old pySigma: EF BB BF)', () => {
    expect(itemDetector('c|utf16|base64', 'a').matches({ c: Buffer.from([0xff, 0xfe, 0x61, 0]).toString('base64') })).toBe(true);
    expect(itemDetector('c|utf16|base64', 'a').matches({ c: Buffer.from([0xef, 0xbb, 0xbf, 0x61, 0]).toString('base64') })).toBe(false);
  });
  test('keyword with wildcards is contains-style (rsigma: anchored)', () => {
    expect(detectorOf("k: ['mimi*clear']\ncondition: k").matches({ c: 'run mimikatz event::clear now' })).toBe(true);
  });
  test('"1" and "yes" are not true (rsigma: true)', () => {
    expect(itemDetector('b', true).matches({ b: '1' })).toBe(false);
    expect(itemDetector('b', true).matches({ b: 'yes' })).toBe(false);
  });
  test('regex is an unanchored search', () => {
    expect(itemDetector('c|re', 'mimi').matches({ c: 'run mimikatz' })).toBe(true);
  });
  test('empty selector: 1 of ∅ is false, all of ∅ is true', () => {
    expect(detectorOf('a: {a: 1}\ncondition: 1 of x*').matches({ a: 1 })).toBe(false);
    expect(detectorOf('a: {a: 1}\ncondition: all of x*').matches({})).toBe(true);
  });
});

describe('keywords and detection shapes (sigma.md §2, §6)', () => {
  test.each([
    ["k: ['a', 'b']\ncondition: k", { x: 'xxbxx' }, true],
    ["k: ['a', 'b']\ncondition: k", { x: 'zzz' }, false],
    ['k: abc\ncondition: k', { deep: { er: ['..ABC..'] } }, true],
    ['k: 4688\ncondition: k', { EventID: 4688 }, true],
    ["k: {'|all': ['foo', 'bar']}\ncondition: k", { a: 'foo', b: 'bar' }, true],
    ["k: {'|all': ['foo', 'bar']}\ncondition: k", { a: 'foo' }, false],
    ["k: {'|re': '^ab+c$'}\ncondition: k", { a: 'x', b: 'abbc' }, true],
    ["k: {'|startswith': 'abc'}\ncondition: k", { a: 'xabc' }, false],
    ["k: {'|startswith': 'abc'}\ncondition: k", { a: 'abcx' }, true],
    ["k: {'|cased': 'ABC'}\ncondition: k", { a: 'xabcx' }, false],
    ['sel: [{a: 1, b: 2}, {c: 3}]\ncondition: sel', { c: 3 }, true],
    ['sel: [{a: 1, b: 2}, {c: 3}]\ncondition: sel', { a: 1 }, false],
    ['sel: [{a: 1, b: 2}, {c: 3}]\ncondition: sel', { a: 1, b: 2 }, true],
    ["sel: [{a: 1}, 'kw']\ncondition: sel", { z: 'some kw here' }, true],
  ])('%s on %j → %s', (detection, event, expected) => {
    expect(detectorOf(detection).matches(event)).toBe(expected);
  });

  test.each([
    ['k: null\ncondition: k', 'sigma/keyword-null', ['detection', 'k']],
    ['k: []\ncondition: k', 'sigma/empty-detection', ['detection', 'k']],
    ['k: {}\ncondition: k', 'sigma/empty-detection', ['detection', 'k']],
    ["k: {'|cidr': '10.0.0.0/8'}\ncondition: k", 'sigma/keyword-modifier', ['detection', 'k', '|cidr']],
    ["sel: [{a: {b: 1}}]\ncondition: sel", 'sigma/value-type', ['detection', 'sel', 0, 'a']],
  ])('%s → %s', (detection, code, path) => {
    expect(compileError(() => detectorOf(detection))).toMatchObject({ code, path });
  });

  test('a rule without a detection mapping', () => {
    expect(compileError(() => compileSigmaRule(ruleOf({}), [], NO_PLACEHOLDERS))).toMatchObject({ code: 'sigma/missing-detection' });
  });
});

describe('detect / explain / constraints', () => {
  const d = detectorOf("selection: {Image|endswith: '\\cmd.exe', CommandLine|contains: ['/c', '/k']}\nfilter: {User: SYSTEM}\ncondition: selection and not filter");
  const hit = { Image: 'C:\\Windows\\cmd.exe', CommandLine: 'cmd /c dir', User: 'bob' };
  const miss = { Image: 'C:\\x.exe', CommandLine: 'x' };

  test('one alert per matching event', () => {
    expect(d.detect([miss, hit, hit])).toEqual([
      { rule: d.rule.id, events: [1] },
      { rule: d.rule.id, events: [2] },
    ]);
  });

  test('explain: condition root, identifiers, leaves with reasons', () => {
    const t = d.explain(miss);
    expect(t.label).toBe('condition: selection and not filter');
    expect(t.result).toBe(false);
    const sel = t.children[0]!;
    expect(sel.label).toBe('selection');
    const leaf = sel.children[0]!;
    expect(leaf).toMatchObject({ label: "Image|endswith: '\\cmd.exe'", result: false, detail: '"C:\\x.exe" does not end with "\\cmd.exe"' });
    expect(t.children[1]).toMatchObject({ label: 'not filter', result: true });
    expect(t.children[1]!.children[0]!.children[0]).toMatchObject({ label: "User: 'SYSTEM'", detail: 'field missing' });
    const cl = sel.children[1]!;
    expect(cl.children.map((c: Trace) => c.label)).toEqual(["CommandLine|contains: '/c'", "CommandLine|contains: '/k'"]);
    expect(d.explain(hit).result).toBe(true);
  });

  test('explain of a single identifier condition wraps it', () => {
    const t = itemDetector('Image|endswith', '\\cmd.exe').explain({ Image: 'C:\\x\\cmd.exe' });
    expect(t).toMatchObject({ label: 'condition: selection', result: true, children: [{ label: 'selection', result: true }] });
    expect(t.children[0]!.children[0]!.detail).toBe('"C:\\x\\cmd.exe"');
  });

  test('explain labels keywords, negations and expansions', () => {
    const k = detectorOf("keywords: ['event::clear', 'x']\ncondition: keywords").explain({ a: 'event::clear' });
    expect(k.children[0]!.children[0]).toMatchObject({ label: "keyword: ['event::clear', 'x']", result: true });
    expect(k.children[0]!.children[0]!.children[1]).toMatchObject({ label: "keyword: 'x'", result: false, detail: '"event::clear" does not contain "x"' });
    const n = itemDetector('User|neq', 'SYSTEM').explain({ User: 'system' });
    expect(n.children[0]!.children[0]).toMatchObject({ result: false, detail: 'negated (neq): "system"' });
    const b = itemDetector('c|base64offset|contains', 'IEX').explain({ c: 'zzz' });
    expect(b.children[0]!.children[0]!.detail).toMatch(/^none of 3 alternatives, e\.g\. "zzz" does not contain "SUVY"/);
  });

  test('constraints: identifiers are labelled nodes, negations are not nodes', () => {
    const logic = d.constraints().logic;
    expect(logic).toEqual({
      kind: 'and',
      children: [
        {
          kind: 'and',
          label: 'selection',
          children: [
            { kind: 'match', field: 'Image', pattern: [{ kind: 'star' }, { kind: 'text', text: '\\cmd.exe' }], mode: 'insensitive' },
            {
              kind: 'or',
              children: [
                { kind: 'match', field: 'CommandLine', pattern: [{ kind: 'star' }, { kind: 'text', text: '/c' }, { kind: 'star' }], mode: 'insensitive' },
                { kind: 'match', field: 'CommandLine', pattern: [{ kind: 'star' }, { kind: 'text', text: '/k' }, { kind: 'star' }], mode: 'insensitive' },
              ],
            },
          ],
        },
        { kind: 'not', child: { kind: 'and', label: 'filter', children: [{ kind: 'match', field: 'User', pattern: [{ kind: 'text', text: 'SYSTEM' }], mode: 'insensitive' }] } },
      ],
    });
  });

  test('constraints leaf kinds', () => {
    const leaf = (key: string, value: unknown) => {
      const p = itemDetector(key, value).constraints().logic;
      return p.kind === 'and' ? p.children[0] : p;
    };
    expect(leaf('EventID', 4688)).toEqual({ kind: 'equals', field: 'EventID', value: 4688 });
    expect(leaf('f', null)).toEqual({ kind: 'null', field: 'f' });
    expect(leaf('f|exists', true)).toEqual({ kind: 'exists', field: 'f' });
    expect(leaf('f|exists', false)).toEqual({ kind: 'not', child: { kind: 'exists', field: 'f' } });
    expect(leaf('f|re|i', 'a.b')).toEqual({ kind: 'regex', field: 'f', source: 'a.b', flags: 'i' });
    expect(leaf('f|cidr', '10.0.0.0/8')).toEqual({ kind: 'cidr', field: 'f', network: '10.0.0.0/8' });
    expect(leaf('f|gte', 5)).toEqual({ kind: 'range', field: 'f', op: 'gte', value: 5 });
    expect(leaf('f|fieldref|endswith', 'g')).toEqual({ kind: 'fieldref', field: 'f', other: 'g', position: 'endswith', mode: 'insensitive' });
    expect(leaf('f|cased', 'A')).toMatchObject({ kind: 'match', mode: 'sensitive' });
    expect(leaf('f|neq', 'a')).toMatchObject({ kind: 'not', child: { kind: 'match' } });
    expect(leaf('f|hour', 3)).toMatchObject({ kind: 'opaque', field: 'f' });
    const b64 = leaf('f|base64offset|contains', 'IEX');
    expect(b64).toMatchObject({ kind: 'or', children: [{ kind: 'match' }, { kind: 'match' }, { kind: 'match' }] });
  });
});

describe('filters (sigma.md §10)', () => {
  const rule = (over = {}) => ruleOf({ detection: { selection: { a: 1 }, condition: 'selection' } }, { id: 'R-1', name: 'rule_one', logsource: { product: 'windows', category: 'process_creation' }, ...over });
  const filter = (rules: string, logsource = '{product: windows}', condition = 'not sel') => filterOf(`title: F\nlogsource: ${logsource}\nfilter:\n  rules: ${rules}\n  sel: {b: 2}\n  condition: ${condition}\n`);
  const both = { a: 1, b: 2 };

  test.each([
    ['targets the id', filter('[r-1]'), false],
    ['targets the name', filter('rule_one'), false],
    ['targets any', filter('any'), false],
    ['an empty list means any', filter('[]'), false],
    ['another rule', filter('[other]'), true],
    ['another product', filter('any', '{product: linux}'), true],
    ['a narrower logsource does not contain the rule', filter('any', '{product: windows, service: security}'), true],
    ['same category', filter('any', '{category: process_creation}'), false],
  ])('%s', (_n, f, alerts) => {
    expect(compileSigmaRule(rule(), [f], NO_PLACEHOLDERS).matches(both)).toBe(alerts);
  });

  test('condition `selection` restricts (spec example kept as written)', () => {
    const d = compileSigmaRule(rule(), [filter('any', '{product: windows}', 'sel')], NO_PLACEHOLDERS);
    expect([d.matches({ a: 1 }), d.matches(both)]).toEqual([false, true]);
  });

  test('filters stack and never apply to correlations', () => {
    const f2 = filterOf('title: G\nlogsource: {product: windows}\nfilter:\n  rules: any\n  sel: {c: 3}\n  condition: not sel\n');
    const d = compileSigmaRule(rule(), [filter('any'), f2], NO_PLACEHOLDERS);
    expect([d.matches({ a: 1 }), d.matches({ a: 1, c: 3 }), d.matches(both)]).toEqual([true, false, false]);
    expect(d.explain({ a: 1 }).label).toBe('condition: (selection) and filter F: (not sel) and filter G: (not sel)');
  });

  test('filter identifiers are labelled with the filter and appear as not nodes', () => {
    const d = compileSigmaRule(rule(), [filter('any')], NO_PLACEHOLDERS);
    const logic = d.constraints().logic;
    expect(logic).toMatchObject({ kind: 'and', children: [{ label: 'selection' }, { kind: 'not', child: { label: 'F/sel' } }] });
  });

  test.each([
    ['title: F\nlogsource: {product: windows}\nfilter:\n  sel: {b: 2}\n  condition: not sel\n', 'sigma/filter-rules', ['filter']],
    ['title: F\nlogsource: {product: windows}\nfilter:\n  rules: 5\n  sel: {b: 2}\n  condition: not sel\n', 'sigma/filter-rules', ['filter', 'rules']],
    ['title: F\nlogsource: {product: windows}\nfilter:\n  rules: any\n  sel: {b: 2}\n', 'sigma/filter-condition', ['filter']],
    ['title: F\nlogsource: {product: windows}\nfilter:\n  rules: any\n  sel: {b: 2}\n  condition: not nope\n', 'sigma/undefined-identifier', ['filter', 'condition']],
    ['title: F\nlogsource: {product: windows}\nfilter:\n  rules: any\n  sel: {b|containz: 2}\n  condition: not sel\n', 'sigma/unknown-modifier', ['filter', 'sel', 'b|containz']],
    ['title: F\nlogsource: {product: windows}\nfilter: 3\n', 'sigma/filter-section', ['filter']],
    ['title: F\nfilter:\n  rules: any\n  sel: {b: 2}\n  condition: not sel\n', 'sigma/filter-logsource', []],
  ])('filter error %#: %s', (text, code, path) => {
    expect(compileError(() => filterOf(text))).toMatchObject({ code, path });
  });
});

const FILTER_EXAMPLES = join(SHARED, 'schemas', 'sigma', 'examples', 'filter');
const examples = existsSync(FILTER_EXAMPLES);
if (!examples) console.warn(`filter schema examples skipped: ${FILTER_EXAMPLES} is absent (needs ../shared)`);

describe.skipIf(!examples)('the Sigma filter schema examples compile (needs ../shared)', () => {
  test.each(examples ? readdirSync(FILTER_EXAMPLES) : [])('%s', (f) => {
    const compiled = filterOf(readFileSync(resolve(FILTER_EXAMPLES, f), 'utf8'));
    expect(compiled.rules).toEqual(new Set(['6f3e2987-db24-4c78-a860-b4f4095a7095', 'df0841c0-9846-4e9f-ad8a-7df91571771b']));
  });
});
