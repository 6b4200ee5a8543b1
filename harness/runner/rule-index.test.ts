import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Detector } from '../core/detector.ts';
import type { Event } from '../core/event.ts';
import { SHARED } from '../core/shared-dir.ts';
import type { Pattern } from '../engines/common/pattern.ts';
import type { Predicate } from '../engines/common/predicate.ts';
import { compileSigmaRule } from '../engines/sigma/index.ts';
import { detectorOf } from '../engines/sigma/testing.ts';
import { windowsNoiseEvents } from '../generator/noise/windows-events.ts';
import { loadRules } from '../rules/load.ts';
import { buildRuleIndex } from './rule-index.ts';
import { fieldsRead, MAX_FIELDS } from './rule-memo.ts';

const SHARED_CORPUS = join(SHARED, 'corpus', 'sigmahq');
const shared = existsSync(SHARED_CORPUS);
if (!shared) console.warn(`rule-index: ${SHARED_CORPUS} is absent, so the corpus sample is skipped (shipped rules still run)`);

const placeholders = (): Record<string, string[]> => {
  const p = JSON.parse(readFileSync(resolve('harness', 'suite', 'corpus-placeholders.json'), 'utf8')) as Record<string, string[]>;
  delete p['//'];
  return p;
};

function compileAll(root: string, every = 1): Detector[] {
  const opts = { placeholders: placeholders() };
  const out: Detector[] = [];
  loadRules(root).rules.forEach((r, i) => {
    if (r.kind !== 'event' || i % every !== 0) return;
    try {
      out.push(compileSigmaRule(r, [], opts));
    } catch {
      // a rule the engine rejects is not the index's concern
    }
  });
  return out;
}

/** Text a pattern accepts, with some filler for its wildcards and random case. */
function textFor(p: Pattern, fill: string, upper: boolean): string {
  const s = p.map((t) => (t.kind === 'text' ? t.text : t.kind === 'one' ? 'a' : fill)).join('');
  return upper ? s.toUpperCase() : s;
}

/** (field, value) pairs that satisfy leaves of a rule, so generated events often match. */
function leafValues(p: Predicate, fill: string, upper: boolean, out: [string | null, unknown][]): void {
  switch (p.kind) {
    case 'and':
    case 'or':
      for (const c of p.children) leafValues(c, fill, upper, out);
      return;
    case 'not':
      return leafValues(p.child, fill, upper, out);
    case 'match':
      out.push([p.field, textFor(p.pattern, fill, upper)]);
      return;
    case 'equals':
      out.push([p.field, upper && typeof p.value === 'number' ? String(p.value) : p.value]);
      return;
    case 'regex':
      out.push([p.field, p.source.replace(/\\(.)/g, '$1')]);
      return;
    default:
      if ('field' in p && p.field) out.push([p.field, fill]);
  }
}

/** Put a value at a dotted field: as a literal dotted key, nested objects, or inside an array. */
function place(e: Record<string, unknown>, field: string, value: unknown, shape: number): void {
  const parts = field.split('.');
  if (parts.length === 1 || shape === 0) e[field] = shape === 2 ? [value, 'x'] : value;
  else {
    let node = e;
    for (const k of parts.slice(0, -1)) {
      const next = typeof node[k] === 'object' && node[k] !== null && !Array.isArray(node[k]) ? (node[k] as Record<string, unknown>) : {};
      node[k] = shape === 2 ? [next] : next;
      node = next;
    }
    node[parts[parts.length - 1]!] = value;
  }
}

const noise = windowsNoiseEvents(300, 7);

/** Events built from random rules' own literals, mixed with noise, odd values and missing fields. */
function eventArb(detectors: readonly Detector[]): fc.Arbitrary<Event> {
  const logic = detectors.map((d) => d.constraints().logic);
  const odd = fc.constantFrom<unknown>(null, true, false, 0, 4104, '4104', ' 1 ', [], [[]], {}, 'İ', 'Σ', 'K', '\u212a', 'x'.repeat(300), 'C:\\Windows\\System32\\');
  return fc
    .record({
      base: fc.nat(noise.length - 1),
      keepBase: fc.boolean(),
      rules: fc.array(fc.nat(logic.length - 1), { minLength: 1, maxLength: 3 }),
      fill: fc.constantFrom('', 'x', ' -a ', 'C:\\Windows\\', '\\'),
      upper: fc.boolean(),
      drop: fc.array(fc.nat(20), { maxLength: 3 }),
      shape: fc.nat(2),
      extra: fc.array(fc.tuple(fc.constantFrom('CommandLine', 'Image', 'a.b', 'EventID', 'x'), odd), { maxLength: 3 }),
    })
    .map(({ base, keepBase, rules, fill, upper, drop, shape, extra }) => {
      const e: Record<string, unknown> = keepBase ? structuredClone(noise[base]!) as Record<string, unknown> : {};
      const pairs: [string | null, unknown][] = [];
      for (const r of rules) leafValues(logic[r]!, fill, upper, pairs);
      pairs.forEach(([field, value], i) => {
        if (drop.includes(i)) return;
        place(e, field ?? 'Message', value, shape);
      });
      for (const [field, value] of extra) place(e, field, value, shape);
      return e;
    });
}

function expectExact(detectors: readonly Detector[], events: fc.Arbitrary<Event>, runs: number): void {
  const index = buildRuleIndex(detectors);
  fc.assert(
    fc.property(events, (e) => {
      const naive = detectors.filter((d) => d.matches(e)).map((d) => d.rule.id);
      expect(index.matching(e).map((d) => d.rule.id)).toEqual(naive);
    }),
    { numRuns: runs, seed: 42 },
  );
}

describe('rule index: exactly the rules whose matches() holds', () => {
  const shipped = compileAll(resolve('rules', 'sigma'));

  test('shipped rules, generated and noise events', () => {
    expect(shipped.length).toBeGreaterThan(10);
    expectExact(shipped, fc.oneof(eventArb(shipped), fc.constantFrom(...noise)), 400);
  });

  test('keyword rules, dotted keys, arrays, nested values and rules that cannot be pruned', () => {
    const rules = [
      detectorOf("keywords: ['mimikatz', 'sekurlsa::', 'dir']\ncondition: keywords"),
      detectorOf("selection: { 'a.b|endswith': '\\\\cmd.exe' }\ncondition: selection"),
      detectorOf("selection: { 'a.b.c|contains': 'Power' }\ncondition: selection"),
      detectorOf("selection: { Image|endswith: ['.exe', '\\\\x.exe'] }\nfilter: { Image: null }\ncondition: not selection and not filter"),
      detectorOf("selection: { EventID: 4104, ScriptBlockText|re: 'Invoke-\\w+Mimi' }\ncondition: selection"),
      detectorOf("selection: { CommandLine|contains|windash: ' -enc ' }\ncondition: selection"),
      detectorOf("selection: { Name|cased: 'ΑΣ', Title|startswith: 'Σ' }\ncondition: 1 of selection*"),
      detectorOf("selection: { Image|contains: '😀' }\ncondition: selection"),
    ];
    const hand: Event[] = [
      { Message: 'run MIMIKATZ now' },
      { nested: { deep: ['sekurlsa::logonpasswords'] } },
      { 'a.b': 'C:\\X\\CMD.EXE' },
      { a: { b: ['y', 'c:\\cmd.exe'] } },
      { a: [{ 'b.c': 'powershell' }] },
      { 'a.b': { c: 'xPOWERx' } },
      { Image: null },
      { Image: [] },
      {},
      { EventID: '4104', ScriptBlockText: 'invoke-xMimi' },
      { EventID: 4104.0, ScriptBlockText: 'Invoke-xMimi' },
      { CommandLine: 'powershell /enc AAA' },
      { CommandLine: 'powershell –enc AAA' },
      { Name: 'ΑΣ', Title: 'σx' },
      { Image: 'C:\\😀.exe' },
      { Image: '\u212a.EXE' },
    ];
    const index = buildRuleIndex(rules);
    for (const e of hand) expect(index.matching(e).map((d) => rules.indexOf(d)), JSON.stringify(e)).toEqual(rules.flatMap((d, i) => (d.matches(e) ? [i] : [])));
    expect(index.matching({ Message: 'run MIMIKATZ now', Image: 'a.com' }).map((d) => rules.indexOf(d))).toEqual([0, 3]);
    // Even `not selection and not filter` is indexed: `not (Image: null)` needs an Image value.
    expect(index.unindexed).toBe(0);
    expect(buildRuleIndex([detectorOf("selection: { Image: 'x' }\ncondition: not selection")]).unindexed).toBe(1);
    expectExact(rules, fc.oneof(eventArb(rules), fc.constantFrom(...hand)), 300);
  });

  test('prunes: a process event is evaluated by few of the rules', () => {
    const index = buildRuleIndex(shipped);
    const counts = noise.map((e) => index.candidateCount(e));
    expect(Math.max(...counts)).toBeLessThan(shipped.length / 2);
  });

  describe.skipIf(!shared)('SigmaHQ corpus sample (needs ../shared)', () => {
    test('every 8th rule of rules/, generated and noise events', () => {
      const sample = compileAll(join(SHARED_CORPUS, 'rules'), 8);
      expect(sample.length).toBeGreaterThan(300);
      expectExact(sample, fc.oneof(eventArb(sample), fc.constantFrom(...noise)), 500);
    });
  });
});

describe('rule memo: answers of rules that read a few fields, by their values', () => {
  const oneField = detectorOf(`sel:\n  Image|endswith: '\\\\cmd.exe'\nfilter:\n  Image|startswith: 'C:\\\\Windows\\\\'\ncondition: sel and not filter`);
  const missingIsTrue = detectorOf(`sel:\n  Image: null\ncondition: sel`);
  const twoFields = detectorOf(`sel:\n  Image|endswith: '\\\\cmd.exe'\n  User: admin\ncondition: sel`);

  test('a rule gets a memo over the fields it reads, unless it reads every value, another field by reference, or too many', () => {
    expect(fieldsRead(oneField.constraints().logic)).toEqual(['Image']);
    expect(fieldsRead(missingIsTrue.constraints().logic)).toEqual(['Image']);
    expect(fieldsRead(twoFields.constraints().logic)).toEqual(['Image', 'User']);
    expect(fieldsRead(detectorOf(`keywords: [whoami]\ncondition: keywords`).constraints().logic)).toBeUndefined();
    expect(fieldsRead(detectorOf(`sel:\n  Image|fieldref: ParentImage\ncondition: sel`).constraints().logic)).toBeUndefined();
    const many = Array.from({ length: MAX_FIELDS + 1 }, (_, i) => `  F${i}: x`).join('\n');
    expect(fieldsRead(detectorOf(`sel:\n${many}\ncondition: sel`).constraints().logic)).toBeUndefined();
  });

  test('repeated, missing, non-string and edited-in-place values give the naive answers', () => {
    const images = ['C:\\Windows\\System32\\cmd.exe', 'D:\\tools\\cmd.exe', 'D:\\tools\\CMD.EXE', 'C:\\x\\calc.exe', '5:D:\\tools\\cmd.exe'];
    const events: Event[] = [];
    for (let i = 0; i < 3000; i++) {
      const k = i % 7;
      events.push(k === 5 ? { User: 'admin' } : k === 6 ? { Image: ['D:\\tools\\cmd.exe'], User: 'admin' } : { Image: images[(i >> 3) % images.length], User: i % 3 ? 'admin' : i % 2 ? 'ad' : 'min' });
    }
    const detectors = [oneField, missingIsTrue, twoFields];
    const index = buildRuleIndex(detectors);
    const naive = (e: Event) => detectors.filter((d) => d.matches(e));
    for (const e of events) expect(index.matching(e)).toEqual(naive(e));
    const edited: Record<string, unknown> = { Image: 'D:\\tools\\cmd.exe' };
    expect(index.matching(edited)).toEqual([oneField]);
    edited.Image = 'C:\\Windows\\cmd.exe';
    expect(index.matching(edited)).toEqual([]);
  });

  test('key parts come from the index walk: nested, dotted, array and duplicate spellings, and fields only a negation reads', () => {
    // `a.b` is read only under `not`: no atom indexes it, the walk still fills its part.
    const rule = detectorOf(`sel:\n  Image|endswith: '\\\\cmd.exe'\nfilter:\n  a.b: x\ncondition: sel and not filter`);
    const index = buildRuleIndex([rule]);
    const image = 'C:\\cmd.exe';
    const events: Event[] = [
      { Image: image, a: { b: 'x' } },
      { Image: image, 'a.b': 'x' },
      { Image: image, a: { b: 'y' } },
      { Image: image, a: [{ b: 'x' }] },
      { Image: image, a: { b: ['y', 'x'] } },
      { Image: image, a: { b: ['x', 'y'] } },
      { Image: image, a: { b: 'y' }, 'a.b': 'x' },
      { Image: image, a: { b: 'x' }, 'a.b': 'y' },
      { Image: image, a: { b: ['x'] } },
      { Image: image, a: { b: [] } },
      { Image: image, a: { b: null } },
      { Image: image, a: { b: { c: 'x' } } },
      { Image: image },
      { Image: [image], a: { b: 'x' } },
    ];
    for (let round = 0; round < 3; round++) for (const e of events) expect(index.matching(e), JSON.stringify(e)).toEqual(rule.matches(e) ? [rule] : []);
  });

  test('value combinations that concatenate alike are told apart', () => {
    // A negation: nothing to prefilter on, so every event reaches the memo.
    const rule = detectorOf(`sel:\n  A: ab\n  B: c\ncondition: not sel`);
    const index = buildRuleIndex([rule]);
    for (let i = 0; i < 5; i++) {
      expect(index.matching({ A: 'ab', B: 'c' })).toEqual([]);
      expect(index.matching({ A: 'a', B: 'bc' })).toEqual([rule]);
      expect(index.matching({ B: 'c' })).toEqual([rule]);
    }
  });
});
