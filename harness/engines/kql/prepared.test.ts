import fc from 'fast-check';
import { existsSync, readFileSync } from 'node:fs';
import { resolve, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Event } from '../../core/event.ts';
import { QuerySyntaxError } from '../common/query-syntax-error.ts';
import { compileKql, FieldIndex, KqlQuerySet, prepareEvent, type CompiledQuery } from './index.ts';
import { SHARED } from '../../core/shared-dir.ts';

/**
 * Exactness of the fast paths: `matchesPrepared` (prepared-event.ts) and
 * KqlQuerySet (query-set.ts) must give `matches`' answer for every query and
 * event — random ones here (dotted keys, arrays, nested objects, missing
 * fields, case variants, inherited-key names) and corpus-derived ones below.
 */

/** Every answer of the three paths for queries × events, as compact strings (so a failure shows where). */
function answers(queries: readonly CompiledQuery[], events: readonly Event[]): { plain: string[]; prepared: string[]; set: string[] } {
  const set = new KqlQuerySet(queries);
  const plain: string[] = [];
  const prepared: string[] = [];
  const viaSet: string[] = [];
  events.forEach((e, j) => {
    const pe = prepareEvent(e);
    const hits = new Set<number>();
    set.forEachMatch(pe, (i) => hits.add(i));
    queries.forEach((q, i) => {
      plain.push(`q${i} e${j} ${q.matches(e)}`);
      prepared.push(`q${i} e${j} ${q.matchesPrepared(pe)}`);
      viaSet.push(`q${i} e${j} ${hits.has(i)}`);
    });
  });
  return { plain, prepared, set: viaSet };
}

function expectAgreement(queries: readonly CompiledQuery[], events: readonly Event[]): void {
  const a = answers(queries, events);
  expect(a.prepared).toEqual(a.plain);
  expect(a.set).toEqual(a.plain);
}

const key = fc.constantFrom('a', 'b', 'c', 'a.b', 'b.c', 'a.b.c', 'constructor', 'caseless', 'text', 'message', 'n', 'x', '');
const leaf = fc.oneof(
  fc.constantFrom('x', 'X', 'y', 'x y', 'cmd.exe', 'CMD.EXE', 'C:\\Windows\\x.exe', '10.1.2.3', '192.168.0.1', '1', '10', '-2', 'true', '2024-01-01T00:00:00Z', ''),
  fc.constantFrom(1, 2, 10, -2, 0, 1.5, true, false, null),
);
const { tree } = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(fc.oneof(tie('tree'), fc.constant(undefined)), { maxLength: 3 }),
    fc.dictionary(key, fc.oneof(tie('tree'), fc.constant(undefined)), { maxKeys: 4 }),
  ),
}));
const event = fc.dictionary(key, tree, { maxKeys: 5 });

const field = fc.constantFrom('a', 'b', 'a.b', 'b.c', 'a.b.c', 'c', 'n', 'constructor', 'a.constructor', 'a.caseless', 'a.b.caseless', 'message', 'a.text', '@timestamp', 'a.*', 'x', '');
const value = fc.constantFrom('x', 'X', 'y', '"x y"', 'cmd.exe', 'CMD.EXE', 'x*', '*y', '*.exe', 'C\\:\\\\Windows\\\\*', '1', '10', '-2', '1.5', 'true', 'false', '10.0.0.0/8', '10.1.2.3', '"2024-01-01"', '""', '"*"');
const leafQuery = fc.oneof(
  fc.tuple(field, value).map(([f, v]) => (f === '' ? v : `${f}: ${v}`)),
  fc.tuple(field, fc.constantFrom('>', '>=', '<', '<='), fc.constantFrom('1', '2', 'x', '"2023-12-31"', '10.0.0.5')).map(([f, op, v]) => `${f || 'a'} ${op} ${v}`),
  fc.tuple(field, value, value, fc.constantFrom('or', 'and')).map(([f, v, w, op]) => `${f || 'a'}: (${v} ${op} ${w})`),
  field.map((f) => `${f || 'a'}: *`),
);
const { query } = fc.letrec((tie) => ({
  query: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafQuery,
    tie('query').map((q) => `not (${q})`),
    fc.tuple(tie('query'), tie('query'), fc.constantFrom('and', 'or')).map(([p, q, op]) => `(${p}) ${op} (${q})`),
    leafQuery.map((q) => `a:{ ${q.replace(/^a\.\*?/, 'b')} }`),
  ),
}));

/** Compile, or undefined for a generated text that is not valid KQL. */
function tryCompile(q: string, index?: FieldIndex): CompiledQuery | undefined {
  try {
    return compileKql(q, index ? { fieldIndex: index } : {});
  } catch (e) {
    if (e instanceof QuerySyntaxError) return undefined;
    throw e;
  }
}

describe('prepared events and query sets agree with matches', () => {
  it('on random queries and events', () => {
    fc.assert(
      fc.property(fc.array(query, { minLength: 1, maxLength: 6 }), fc.array(event, { minLength: 1, maxLength: 6 }), (texts, events) => {
        const queries = texts.map((t) => tryCompile(t)).filter((q): q is CompiledQuery => q !== undefined);
        fc.pre(queries.length > 0);
        expectAgreement(queries, events);
        expectAgreement(queries, events.map((e) => JSON.parse(JSON.stringify(e)) as Event));
      }),
      { numRuns: 400 },
    );
  });

  it('reads own inherited-key properties only, and arrays at the root the plain way', () => {
    const queries = ['__proto__.x: 1', 'constructor: x', 'a.constructor: x', 'toString: *', 'a: x'].map((q) => compileKql(q));
    const inherited = Object.create({ constructor: 'x', a: 'x' }) as Event;
    const events = [JSON.parse('{"__proto__": {"x": 1}, "constructor": "x", "a": {"constructor": "x"}}') as Event, { a: {} }, [{ a: 'x' }] as unknown as Event, inherited];
    expectAgreement(queries, events);
    expect(queries[0]!.matchesPrepared(prepareEvent(events[0]!))).toBe(true);
    // An enumerable inherited `constructor` is not the field (plain access reads such keys only as own properties).
    expect(queries[1]!.matchesPrepared(prepareEvent(inherited))).toBe(false);
  });

  it('falls back to plain evaluation for events prepared before a query registered its fields, or by another index', () => {
    const e = { late: { field: 'v' }, 'late.other': 'w' };
    const early = prepareEvent(e);
    const q = compileKql('late.field: v and late.other: w');
    expect(q.matchesPrepared(early)).toBe(true);
    const own = new FieldIndex();
    const q2 = compileKql('late.field: v', { fieldIndex: own });
    expect(q2.matchesPrepared(own.prepare(e))).toBe(true);
    expect(q2.matchesPrepared(prepareEvent(e))).toBe(true);
    expect(compileKql('late.field: x', { fieldIndex: own }).matchesPrepared(prepareEvent(e))).toBe(false);
  });
});

const bench = join(SHARED, 'bench');
const shared = existsSync(resolve(bench, 'kql_queries.json'));
if (!shared) console.log(`prepared-event corpus agreement skipped: ${bench} is absent (needs ../shared beside the checkout)`);

/** Rewrite nested objects as literal dotted keys at random depths, and vary the case of strings: the same data in the other shapes field access must treat alike. */
function variant(e: unknown, rnd: () => number): unknown {
  if (Array.isArray(e)) return e.map((x) => variant(x, rnd));
  if (typeof e === 'string') return rnd() < 0.1 ? e.toUpperCase() : e;
  if (typeof e !== 'object' || e === null) return e;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    const w = variant(v, rnd);
    if (typeof w === 'object' && w !== null && !Array.isArray(w) && rnd() < 0.3) for (const [k2, v2] of Object.entries(w)) out[`${k}.${k2}`] = v2;
    else if (rnd() < 0.05) continue;
    else out[k] = w;
  }
  return out;
}

describe.skipIf(!shared)('prepared events agree with matches on corpus queries and events (needs ../shared)', () => {
  it('on the 50 bench queries × 1500 bench events and dotted/case variants of them', () => {
    const texts = (JSON.parse(readFileSync(resolve(bench, 'kql_queries.json'), 'utf8')) as { query: string }[]).map((q) => q.query);
    const lines = gunzipSync(readFileSync(resolve(bench, 'kql_events.jsonl.gz'))).toString('utf8').split('\n', 1500);
    const events = lines.filter((l) => l !== '').map((l) => JSON.parse(l) as Event);
    let seed = 7;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const queries = texts.map((t) => compileKql(t));
    expectAgreement(queries, [...events, ...events.slice(0, 500).map((e) => variant(e, rnd) as Event)]);
  });
});
