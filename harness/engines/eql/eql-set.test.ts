import fc from 'fast-check';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import type { Event } from '../../core/event.ts';
import type { Expr, Query } from './ast.ts';
import { compileEql, compileEqlSet } from './index.ts';
import { parseEql } from './parser.ts';
import { SHARED } from '../../core/shared-dir.ts';

/**
 * compileEqlSet is exact: for every event, the queries it reports are the
 * queries whose own `compileEql(q).matches(event)` is true. Checked as a
 * property over corpus queries and random events built from those queries'
 * own fields and literals (exact, re-cased, wildcard-filled, numbers, arrays,
 * literal dotted keys, nulls), and on fixed cases for each index path.
 */

/** Indices of the queries matching `e`, one query at a time. */
const oneByOne = (qs: readonly ReturnType<typeof compileEql>[], e: Event): number[] => qs.flatMap((q, i) => (q.matches(e) ? [i] : []));

describe('compileEqlSet: fixed cases', () => {
  const queries = [
    'process where process.name : ("cmd.exe", "pwsh.exe") and process.args == "-enc"',
    'process where process.name == "Cmd.exe"',
    'process where process.name in~ ("CMD.EXE") or process.parent.name like "explorer*"',
    'file where file.path : "C:\\\\Windows\\\\*" and not file.name : "x"',
    'any where event.code == "4688" or host.name == "h1"',
    'any where not process.name : "cmd.exe"',
    'sequence by host.id [process where process.name == "a"] [file where file.name == "b"]',
    'process where process.pid == 5',
  ];
  const set = compileEqlSet(queries);
  const singles = queries.map((q) => compileEql(q));
  const events: Event[] = [
    { event: { category: 'process' }, process: { name: 'CMD.exe', args: ['-enc', 'x'] } },
    { event: { category: 'process' }, process: { name: 'Cmd.exe' } },
    { event: { category: 'process' }, 'process.name': 'cmd.exe', process: { args: '-enc' } },
    { event: { category: 'process' }, process: { name: 5, pid: '5' } },
    { event: { category: ['process', 'file'] }, process: { name: 'a' }, file: { name: 'b', path: 'c:\\windows\\x' } },
    { event: { category: 'file' }, file: { name: 'b', path: 'C:\\Windows\\System32' } },
    { event: { category: 'network', code: 4688 } },
    { event: { category: 'registry', code: '4688' }, host: { name: 'H1' } },
    { event: { category: 7 }, host: { name: 'h1' } },
    {},
    { event: null, process: { name: ['cmd.exe', 'x'], parent: { name: 'Explorer.exe' } } },
    { event: { category: 'process' }, process: { parent: { name: 'explorer.exe' } } },
  ];
  it('reports exactly the queries that match, per event and in counts', () => {
    for (const e of events) expect(set.matchesPerEvent(e), JSON.stringify(e)).toEqual(oneByOne(singles, e));
    expect(set.countMatches(events)).toEqual(singles.map((q) => events.filter((e) => q.matches(e)).length));
    expect(set.size).toBe(queries.length);
  });
  it('describes its index: each query is reachable from its category (keyed or always run)', () => {
    const plans = set.describe();
    const reach = (cat: string | null): Set<number> => {
      const p = plans.find((x) => x.category === cat)!;
      return new Set([...Object.values(p.keyed).flat(), ...p.always]);
    };
    expect(reach('process')).toEqual(new Set([0, 1, 2, 4, 5, 6, 7]));
    expect(reach('file')).toEqual(new Set([3, 4, 5, 6]));
    expect(reach(null)).toEqual(new Set([4, 5]));
    // `process.name : ("cmd.exe", "pwsh.exe")` is an index key; `not …` can only be run.
    expect(plans.find((x) => x.category === 'process')!.keyed['process.name']).toContain(0);
    expect(plans.find((x) => x.category === null)!.always).toEqual([5]);
  });
  it('reads each event afresh: an event edited in place between calls', () => {
    const e = { event: { category: 'process' }, process: { name: 'Cmd.exe' } };
    expect(set.matchesPerEvent(e)).toContain(1);
    e.process.name = 'other';
    expect(set.matchesPerEvent(e)).not.toContain(1);
    expect(set.countMatches([e, e])).toEqual(singles.map((q) => (q.matches(e) ? 2 : 0)));
  });
});

// ---- the property over corpus queries --------------------------------------

const corpusRoot = join(SHARED, 'corpus', 'elastic');
const shared = existsSync(corpusRoot);
if (!shared) console.warn(`compileEqlSet property test skipped: ${corpusRoot} is absent (needs ../shared beside the checkout)`);

function corpusQueries(): string[] {
  const out: string[] = [];
  for (const f of readdirSync(corpusRoot, { recursive: true, encoding: 'utf8' }).filter((x) => x.endsWith('.toml')).sort()) {
    const doc = parse(readFileSync(join(corpusRoot, f), 'utf8')) as { rule?: { language?: string; query?: string } };
    if (doc.rule?.language === 'eql' && typeof doc.rule.query === 'string') out.push(doc.rule.query);
  }
  return out;
}

/** What one query tests: its categories and (field, literal) pairs; an event built from them tends to (nearly) match. */
interface Vocabulary {
  readonly categories: string[];
  readonly pairs: [string, string | number][];
  readonly fields: string[];
}

function collect(e: Expr, pairs: [string, string | number][], fields: Set<string>): void {
  const lits = (xs: readonly Expr[]): (string | number)[] => xs.flatMap((x) => (x.k === 'lit' && (typeof x.value === 'string' || typeof x.value === 'number') ? [x.value] : []));
  const pairUp = (l: Expr, values: readonly (string | number)[]): void => {
    if (l.k === 'field') for (const v of values) pairs.push([l.name, v]);
  };
  switch (e.k) {
    case 'field':
      fields.add(e.name);
      return;
    case 'lit':
      return;
    case 'call':
      e.args.forEach((a) => collect(a, pairs, fields));
      if (e.args[0]?.k === 'field') pairUp(e.args[0], lits(e.args.slice(1)));
      return;
    case 'not':
    case 'neg':
      collect(e.e, pairs, fields);
      return;
    case 'and':
    case 'or':
      e.items.forEach((x) => collect(x, pairs, fields));
      return;
    case 'cmp':
    case 'arith':
      collect(e.l, pairs, fields);
      collect(e.r, pairs, fields);
      pairUp(e.l, lits([e.r]));
      return;
    case 'seq':
      collect(e.l, pairs, fields);
      pairUp(e.l, lits(e.r));
      return;
    case 'in':
      collect(e.l, pairs, fields);
      pairUp(e.l, lits(e.list));
      return;
    case 'like':
    case 'regex':
      collect(e.l, pairs, fields);
      pairUp(e.l, e.patterns);
  }
}

function vocabulary(query: string): Vocabulary {
  const pairs: [string, string | number][] = [];
  const fields = new Set<string>();
  const categories = new Set<string>();
  const ast: Query = parseEql(query);
  const filters = ast.kind === 'event' ? [ast.filter] : ast.stages.map((s) => s.filter);
  for (const f of filters) {
    if (f.category !== null) categories.add(f.category);
    collect(f.condition, pairs, fields);
  }
  return { categories: [...categories], pairs, fields: [...fields] };
}

const fillArb = (s: string): fc.Arbitrary<unknown> => {
  const fill = (star: string, one: string): string => s.replace(/\*/g, star).replace(/\?/g, one);
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(fill('', 'c')) },
    { weight: 2, arbitrary: fc.constantFrom('x', 'abc', 'C:\\Windows\\', '/tmp/').map((f) => fill(f, 'Z')) },
    { weight: 2, arbitrary: fc.constant(fill('Q', 'q').toUpperCase()) },
  );
};

/** A value for a field: its literal (re-cased, wildcards filled), or noise, a number, an array, null. */
function valueArb(lit: string | number): fc.Arbitrary<unknown> {
  const scalar = fc.oneof(
    { weight: 8, arbitrary: typeof lit === 'string' ? fillArb(lit) : fc.constantFrom(lit, String(lit)) },
    { weight: 1, arbitrary: fc.constantFrom('noise', '', 'true', '0', '1') },
    { weight: 1, arbitrary: fc.oneof(fc.integer({ min: -5, max: 70000 }), fc.boolean()) },
  );
  return fc.oneof({ weight: 10, arbitrary: scalar }, { weight: 1, arbitrary: fc.array(scalar, { minLength: 2, maxLength: 3 }) }, { weight: 1, arbitrary: fc.constant(null) });
}

/** Put `value` at dotted `field` of `event`: nested objects, or (sometimes) a literal dotted key. */
function place(event: Record<string, unknown>, field: string, value: unknown, dotted: boolean): void {
  const parts = field.split('.');
  if (dotted && parts.length > 1) {
    const head = parts[0]!;
    const holder = typeof event[head] === 'object' && event[head] !== null && !Array.isArray(event[head]) ? (event[head] as Record<string, unknown>) : undefined;
    if (holder) holder[parts.slice(1).join('.')] = value;
    else event[field] = value;
    return;
  }
  let o = event;
  for (const p of parts.slice(0, -1)) {
    const next = o[p];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) o[p] = {};
    o = o[p] as Record<string, unknown>;
  }
  o[parts[parts.length - 1]!] = value;
}

/** An event aimed at one of the queries: most of its (field, literal) pairs, a few stray fields. */
function eventArb(vocs: readonly Vocabulary[]): fc.Arbitrary<Event> {
  const allFields = [...new Set(vocs.flatMap((v) => v.fields))];
  const allCats = [...new Set(vocs.flatMap((v) => v.categories))];
  return fc.constantFrom(...vocs).chain((voc) => {
    const category = fc.oneof(
      { weight: 8, arbitrary: voc.categories.length ? fc.constantFrom(...voc.categories) : fc.constant('process') },
      { weight: 1, arbitrary: fc.constantFrom('noise', 'Process', null, ...allCats) },
      { weight: 1, arbitrary: fc.array(fc.constantFrom('file', ...allCats), { minLength: 1, maxLength: 2 }) },
    );
    // Each field the query tests gets one of its literals, most of the time (as the bench's near-miss events do).
    const byField = new Map<string, (string | number)[]>();
    for (const [f, l] of voc.pairs) byField.set(f, [...(byField.get(f) ?? []), l]);
    const own = fc.tuple(
      ...[...byField].map(([f, ls]) =>
        fc.tuple(
          fc.constant(f),
          fc.constantFrom(...ls).chain((l) => fc.oneof({ weight: 9, arbitrary: valueArb(l) }, { weight: 1, arbitrary: fc.constant(undefined) })),
          fc.nat(12),
        ),
      ),
    ).map((xs) => xs.filter(([, v]) => v !== undefined));
    const stray = allFields.length ? fc.array(fc.tuple(fc.constantFrom(...allFields), valueArb('noise'), fc.nat(12)), { maxLength: 4 }) : fc.constant([]);
    return fc.tuple(category, own, stray).map(([cat, mine, others]) => {
      const e: Record<string, unknown> = {};
      if (cat !== null) place(e, 'event.category', cat, false);
      for (const [field, value, r] of [...mine, ...others]) place(e, field, value, r === 0);
      return e;
    });
  });
}

describe.skipIf(!shared)('compileEqlSet: exact on corpus queries (needs ../shared)', () => {
  const all = shared ? corpusQueries() : [];
  it('matchesPerEvent and countMatches equal each query’s own matches', () => {
    expect(all.length).toBeGreaterThan(1000);
    let checked = 0;
    fc.assert(
      fc.property(fc.uniqueArray(fc.nat(all.length - 1), { minLength: 5, maxLength: 40 }), fc.integer(), (picks, seed) => {
        const queries = picks.map((i) => all[i]!);
        const events = fc.sample(eventArb(queries.map(vocabulary)), { numRuns: 50, seed });
        const set = compileEqlSet(queries);
        const singles = queries.map((q) => compileEql(q));
        for (const e of events) {
          const want = oneByOne(singles, e);
          const got = set.matchesPerEvent(e);
          if (JSON.stringify(got) !== JSON.stringify(want)) throw new Error(`event ${JSON.stringify(e)}: set ${got} vs one by one ${want}`);
          checked += want.length;
        }
        expect(set.countMatches(events)).toEqual(singles.map((q) => events.filter((e) => q.matches(e)).length));
      }),
      { numRuns: 100 },
    );
    // The events are built to match: the property must not hold vacuously.
    console.log(`compileEqlSet property: ${checked} query matches checked`);
    expect(checked).toBeGreaterThan(100);
  });
});
