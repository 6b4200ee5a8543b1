import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { ONE, STAR, text, type Pattern } from '../engines/common/pattern.ts';
import { and, not, or, type Predicate } from '../engines/common/predicate.ts';
import { topBranches } from './branches.ts';
import { flattenKeys, mapValues, nestKeys, REMOVE, removeField, setField } from './event-edit.ts';
import { evaluate, KLEENE, TWO_VALUED, type ModelOptions } from './model/evaluate.ts';
import { flipChar, nearMisses } from './near-miss.ts';
import { seededFaker } from './realistic.ts';
import { synthesize, type SynthContext } from './synthesize.ts';
import { freeRuns, literalSpans } from './text-spans.ts';
import { applyVariant, planVariants, shiftTime, variantArbitrary } from './variants.ts';

const m = (field: string | null, pattern: string | Pattern, mode: 'insensitive' | 'sensitive' = 'insensitive'): Predicate => ({ kind: 'match', field, pattern: typeof pattern === 'string' ? [text(pattern)] : pattern, mode });
const ctx = (model: ModelOptions = TWO_VALUED, seed = 1): SynthContext => ({ model, dialect: 'windows', faker: seededFaker(seed), style: 'nested' });

describe('event edits', () => {
  test('edits reach nested and dotted spellings and never mutate the input', () => {
    const ev = Object.freeze({ 'a.b': 'x', a: Object.freeze({ b: ['y', 'z'] }) });
    const out = mapValues(ev, 'a.b', (v) => (v === 'y' ? REMOVE : String(v).toUpperCase()));
    expect(out).toEqual({ 'a.b': 'X', a: { b: ['Z'] } });
    expect(removeField(ev, 'a.b')).toEqual({ a: {} });
    expect(setField({ a: 'scalar' }, 'a.b', 1)).toBeUndefined();
    expect(setField({ a: { c: 1 } }, 'a.b', 1)).toEqual({ a: { c: 1, b: 1 } });
  });
  test('nested ↔ dotted', () => {
    expect(flattenKeys({ a: { b: 1, c: [{ d: 1 }] } })).toEqual({ 'a.b': 1, 'a.c': [{ d: 1 }] });
    expect(nestKeys({ 'a.b': 1, 'a.c': 2 })).toEqual({ a: { b: 1, c: 2 } });
    expect(nestKeys({ 'a.b': 1, a: { b: 2 } })).toBeUndefined();
  });
  test('a __proto__ key stays data', () => {
    const ev = JSON.parse('{"__proto__": {"x": 1}, "a": "v"}') as Record<string, unknown>;
    const out = mapValues(ev, 'a', () => 'w') as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toContain('__proto__');
  });
});

describe('text spans', () => {
  test('literal spans and free runs follow the pattern alignment', () => {
    expect(literalSpans('C:\\x\\cmd.exe', [STAR, text('\\cmd.exe')], 'insensitive')).toEqual([[4, 12]]);
    expect(freeRuns('abXYcd', [{ pattern: [text('ab'), STAR, text('cd')], mode: 'sensitive' }])).toEqual([[2, 4]]);
    expect(freeRuns('abc', [{ pattern: [STAR, text('b'), STAR], mode: 'sensitive' }])).toEqual([[0, 1], [2, 3]]);
  });
});

describe('satisfying assignments, per leaf kind', () => {
  const cases: [string, Predicate][] = [
    ['exact', m('Image', 'C:\\Windows\\System32\\cmd.exe')],
    ['endswith', m('Image', [STAR, text('\\cmd.exe')])],
    ['startswith', m('CommandLine', [text('powershell'), STAR])],
    ['contains all', and([m('CommandLine', [STAR, text('-enc'), STAR]), m('CommandLine', [STAR, text('http'), STAR]), m('CommandLine', [text('pwsh'), STAR])])],
    ['wildcard with ?', m('File', [text('a'), ONE, text('c'), STAR, text('.dll')])],
    ['regex', { kind: 'regex', field: 'Query', source: '^[a-z]{3}\\d+\\.evil\\.com$', flags: '' }],
    ['cidr', { kind: 'cidr', field: 'SourceIp', network: '192.168.0.0/16' }],
    ['cidr v6', { kind: 'cidr', field: 'SourceIp', network: 'fe80::/10' }],
    ['range', and([{ kind: 'range', field: 'Port', op: 'gte', value: 1024 }, { kind: 'range', field: 'Port', op: 'lt', value: 2000 }])],
    ['equals', { kind: 'equals', field: 'EventID', value: 4688 }],
    ['exists', { kind: 'exists', field: 'ParentImage' }],
    ['null', { kind: 'null', field: 'ParentImage' }],
    ['fieldref', { kind: 'fieldref', field: 'TargetUser', other: 'SubjectUser', position: 'equals', mode: 'sensitive' }],
    ['keyword', m(null, [STAR, text('mimikatz'), STAR])],
    ['conflicting exacts (multi-valued)', and([m('args', '-enc', 'sensitive'), m('args', '-nop', 'sensitive')])],
    ['negation', and([m('Image', [STAR, text('\\rundll32.exe')]), not(m('Image', [STAR, text('\\System32\\rundll32.exe')]))])],
    ['negated and', and([m('a', 'x'), not(and([m('b', [STAR, text('y')]), { kind: 'exists', field: 'c' }]))])],
  ];
  for (const [name, p] of cases) {
    test(name, () => {
      const ev = synthesize(p, true, {}, ctx());
      expect(ev, name).toBeDefined();
      expect(evaluate(p, ev!, TWO_VALUED)).toBe('T');
    });
  }
  test('EQL: a negated leaf needs the field present with another value', () => {
    const p = and([m('a', 'x', 'sensitive'), not(m('b', 'y', 'sensitive'))]);
    const ev = synthesize(p, true, {}, ctx(KLEENE))!;
    expect(evaluate(p, ev, KLEENE)).toBe('T');
    expect(ev.b).toBeDefined();
  });
  test('unsatisfiable and opaque trees give nothing', () => {
    expect(synthesize(and([m('a', 'x', 'sensitive'), m('a', 'y', 'sensitive'), not(m('a', 'x', 'sensitive'))]), true, {}, ctx())).toBeUndefined();
    expect(synthesize({ kind: 'opaque', field: 'a', description: 'f(a)' }, true, {}, ctx())).toBeUndefined();
  });
  test('deterministic from a seed', () => {
    const p = and([m('CommandLine', [STAR, text(' -enc '), STAR]), m('Image', [STAR, text('\\powershell.exe')])]);
    expect(synthesize(p, true, {}, ctx(TWO_VALUED, 5))).toEqual(synthesize(p, true, {}, ctx(TWO_VALUED, 5)));
  });
});

describe('branches', () => {
  test('alternatives on the and-chain become branches; or-lists inside a selection do not', () => {
    const sel = (l: string, p: Predicate): Predicate => ({ ...p, label: l }) as Predicate;
    const logic = and([or([sel('sel_a', and([or([m('a', '1'), m('a', '2')]), m('b', '3')])), sel('sel_b', m('c', '4'))]), not(m('d', '5'), 'filter')]);
    const b = topBranches(logic);
    expect(b.map((x) => x.label)).toEqual(['sel_a', 'sel_b']);
    expect(topBranches(sel('selection', or([m('a', '1'), m('a', '2')])))).toHaveLength(1);
  });
});

describe('near misses, per leaf kind', () => {
  const kinds: [string, Predicate, Record<string, unknown>][] = [
    ['match literal', m('Image', [STAR, text('\\cmd.exe')]), { Image: 'C:\\Windows\\cmd.exe' }],
    ['match number', m('EventID', '4688'), { EventID: 4688 }],
    ['keyword', m(null, [STAR, text('mimikatz'), STAR]), { Message: 'mimikatz run' }],
    ['regex', { kind: 'regex', field: 'q', source: '^abc$', flags: '' }, { q: 'abc' }],
    ['cidr', { kind: 'cidr', field: 'ip', network: '10.0.0.0/8' }, { ip: '10.1.2.3' }],
    ['range', { kind: 'range', field: 'n', op: 'gte', value: 10 }, { n: 12 }],
    ['equals', { kind: 'equals', field: 'n', value: 7 }, { n: 7 }],
    ['exists', { kind: 'exists', field: 'x' }, { x: 'v' }],
    ['null', { kind: 'null', field: 'x' }, {}],
    ['fieldref', { kind: 'fieldref', field: 'a', other: 'b', position: 'equals', mode: 'sensitive' }, { a: 'u1', b: 'u1' }],
  ];
  for (const [name, p, ev] of kinds) {
    test(name, () => {
      const misses = nearMisses(p, ev, { model: TWO_VALUED, dialect: 'windows' });
      expect(misses.length, name).toBeGreaterThan(0);
      for (const nm of misses) expect(evaluate(p, nm.event, TWO_VALUED)).toBe('F');
    });
  }
  test('one per constraint of the matched branch, filters included; other branches respected', () => {
    const logic = and([or([m('a', 'x'), m('a', 'x2')]), m('b', [text('y'), STAR]), not(m('c', 'z'), 'filter')]);
    const misses = nearMisses(logic, { a: 'x', b: 'yes', c: 'q' }, { model: TWO_VALUED, dialect: 'windows' });
    expect(misses.map((x) => x.constraint)).toEqual(['a equals "x"', 'b startswith "y"', 'not filter']);
    // Breaking `a` into `x2` would still match: never emitted.
    expect(misses.every((x) => evaluate(logic, x.event, TWO_VALUED) === 'F')).toBe(true);
  });
  test('no near miss when the model cannot decide', () => {
    const logic = or([m('a', 'x'), { kind: 'opaque', field: 'b', description: 'f(b)' }]);
    expect(nearMisses(logic, { a: 'x', b: 'q' }, { model: TWO_VALUED, dialect: 'windows' })).toEqual([]);
  });
  test('flipChar never yields the same letter in another case', () => {
    for (const c of 'aAzZ09\\/.x-') expect(flipChar(c).toLowerCase()).not.toBe(c.toLowerCase());
  });
});

describe('variants', () => {
  const logic = and([m('Image', [STAR, text('\\cmd.exe')]), m('CommandLine', [STAR, text(' /c '), STAR], 'sensitive'), not(m('User', 'SYSTEM'), 'filter')]);
  const rule = { format: 'sigma' as const, language: 'sigma' as const, kind: 'event' as const, body: {} };
  const positive = { events: [{ Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd.exe /c whoami', User: 'alice', Tags: ['a'], Computer: 'WS1' }], expect: { kind: 'alert' as const } };
  test('every variant keeps the truth of every leaf (except extra elements) and never touches mentioned fields by noise', () => {
    const plan = planVariants({ rule, constraints: { logic } }, positive);
    fc.assert(
      fc.property(variantArbitrary(plan), ({ variant }) => {
        expect(evaluate(logic, variant.events[0]!, TWO_VALUED)).toBe('T');
        const ev = variant.events[0] as Record<string, unknown>;
        expect(String(ev.User).toLowerCase()).toBe('alice');
      }),
      { seed: 42, numRuns: 200 },
    );
  });
  test('sensitive leaves: case changes only under wildcards', () => {
    const plan = planVariants({ rule, constraints: { logic } }, positive);
    for (let seed = 0; seed < 50; seed++) {
      const v = applyVariant(plan, { ops: [{ kind: 'case', seed }] });
      expect((v.events[0] as { CommandLine: string }).CommandLine).toContain(' /c ');
    }
  });
  test('negatives get no extra elements; an opaque whole-event clause leaves only key-style', () => {
    expect(planVariants({ rule, constraints: { logic } }, { ...positive, expect: { kind: 'none' } }).kinds).not.toContain('extra-element');
    const opaque = planVariants({ rule, constraints: { logic: { kind: 'opaque', field: null, description: 'x' } } }, positive);
    expect(opaque.kinds).toEqual(['key-style']);
  });
  test('a transformation re-checks only the events it changed, so long sequences stay cheap', () => {
    // 60 failed logins, as an EQL `runs = 60` sequence has them: each op edits one event at most.
    let reads = 0;
    const counted = (e: Record<string, unknown>): Record<string, unknown> =>
      new Proxy(e, {
        get(t, k, r) {
          reads++;
          return Reflect.get(t, k, r) as unknown;
        },
      });
    const login = (i: number) => counted({ Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: `cmd.exe /c whoami ${i}`, User: 'alice', Computer: 'WS1' });
    const long = { events: Array.from({ length: 60 }, (_, i) => login(i)), expect: { kind: 'alert' as const } };
    const plan = planVariants({ rule, constraints: { logic } }, long);
    reads = 0;
    const v = applyVariant(plan, { ops: [{ kind: 'case', seed: 1 }, { kind: 'noise-add', seed: 2 }, { kind: 'case', seed: 3 }, { kind: 'noise-change', seed: 4 }] });
    expect(v.transformations.length).toBeGreaterThan(1);
    // A pass over the events reads their 4 fields (240 reads); the ops themselves need about one pass.
    // Re-checking every event after every op needs one more pass per op (960 reads here).
    expect(reads).toBeLessThan(60 * 4 * 2);
  });
  test("a sequence step's own join keys keep their value: `by process.executable` joins case-sensitively", () => {
    // sequence by host.id [file where file.path : "/tmp/*"] by file.path [process where process.executable : "/tmp/*"] by process.executable
    const fileStep = m('file.path', [text('/tmp/'), STAR]);
    const procStep = m('process.executable', [text('/tmp/'), STAR]);
    const seq = { ...rule, format: 'elastic' as const, language: 'eql' as const, kind: 'sequence' as const };
    const constraints = { logic: or([fileStep, procStep]), aggregate: { type: 'sequence', steps: [{ logic: fileStep, keys: ['host.id', 'file.path'] }, { logic: procStep, keys: ['host.id', 'process.executable'] }], groupBy: ['host.id'] } };
    const events = [
      { '@timestamp': '2024-01-01T00:00:00.000Z', host: { id: 'h1' }, file: { path: '/tmp/Payload' } },
      { '@timestamp': '2024-01-01T00:00:01.000Z', host: { id: 'h1' }, process: { executable: '/tmp/Payload' } },
    ];
    const plan = planVariants({ rule: seq, constraints }, { events, expect: { kind: 'alert' } });
    expect(plan.kinds).toContain('case');
    for (let seed = 0; seed < 50; seed++) {
      const v = applyVariant(plan, { ops: [{ kind: 'case', seed }] });
      expect(v.events.map((e) => JSON.stringify(e).match(/"(?:path|executable)":"([^"]*)"/)?.[1])).toEqual(['/tmp/Payload', '/tmp/Payload']);
    }
  });
  test('deterministic from a seed', () => {
    const plan = planVariants({ rule, constraints: { logic } }, positive);
    const a = fc.sample(variantArbitrary(plan), { seed: 9, numRuns: 10 });
    const b = fc.sample(variantArbitrary(plan), { seed: 9, numRuns: 10 });
    expect(a).toEqual(b);
  });
  test('timestamp jitter shrinks gaps, keeps order and format', () => {
    const events = [{ '@timestamp': '2024-01-01T00:00:00.000Z', a: 1 }, { '@timestamp': '2024-01-01T00:00:10.000Z', a: 2 }, { '@timestamp': '2024-01-01T00:00:20.000Z', a: 3 }];
    const plan = planVariants({ rule: { ...rule, format: 'elastic', language: 'eql', kind: 'sequence' }, constraints: { logic: m('x', 'y'), aggregate: { type: 'sequence', steps: [], groupBy: [], windowMs: 30_000 } } }, { events, expect: { kind: 'alert' } });
    const v = applyVariant(plan, { ops: [{ kind: 'jitter', seed: 3 }] });
    const t = v.events.map((e) => Date.parse(e['@timestamp'] as string));
    expect(t[0]).toBe(Date.parse(events[0]!['@timestamp']));
    expect(t[1]! > t[0]! && t[2]! > t[1]!).toBe(true);
    expect(t[2]! - t[0]!).toBeLessThanOrEqual(20_000);
    expect(shiftTime('2024-01-01 00:00:00.000', 1500)).toBe('2024-01-01 00:00:01.500');
  });
});

