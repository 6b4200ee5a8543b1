import type { Trace } from '../../core/detector.ts';
import type { Event } from '../../core/event.ts';
import { networkContains, parseIp, type Network } from '../common/cidr.ts';
import { text as textToken, type Pattern, printPattern } from '../common/pattern.ts';
import { compilePattern, patternToRegExp, type StringMatcher } from '../common/pattern-matcher.ts';
import type { Predicate } from '../common/predicate.ts';
import { compileRegex } from '../common/regex.ts';
import { analyse, splitPatternOnSpace } from './analysed-text.ts';
import { parseDateBound } from './date-value.ts';
import { anyLeaf, fieldAccess, leafEntries, type FieldAccess } from './field-access.ts';
import { planField, SEMANTICS_LABEL, type FieldPlan, type QueryOptions, type Semantics } from './field-semantics.ts';
import type { FieldName, QueryNode, TermValue } from './query-ast.ts';
import { fuzzyTest, looksLikeIp, numericLiteral, parseNetworkLenient, rangeTest, regexTest, termTest, type ScalarTest } from './value-tests.ts';

/**
 * Compile the shared query tree (KQL or Lucene) ONCE into closures: `matches`
 * never re-walks the tree. Field values are visited without allocation
 * (field-access.ts); `or` lists on one field become a single visit with a Set
 * lookup; `and` operands run cheapest first. `explain` and `logic` are built
 * from the same per-node decisions.
 */
export interface CompiledQuery {
  matches(event: Event): boolean;
  explain(event: Event): Trace;
  readonly logic: Predicate;
}

type Test = (event: unknown) => boolean;

/** A compiled node. `test` and `logic` are built on first use (getters): compile stays cheap when only `matches` is needed. */
interface Compiled {
  readonly test: Test;
  readonly explain: (event: unknown) => Trace;
  readonly logic: Predicate;
  /** Rough evaluation cost, to order `and` operands. */
  readonly cost: number;
}

interface Parts {
  readonly test: () => Test;
  readonly explain: (event: unknown) => Trace;
  readonly logic: () => Predicate;
  readonly cost: number;
}

function lazy(p: Parts): Compiled {
  let test: Test | undefined;
  let logic: Predicate | undefined;
  return {
    get test() {
      return (test ??= p.test());
    },
    get logic() {
      return (logic ??= p.logic());
    },
    explain: p.explain,
    cost: p.cost,
  };
}

interface Ctx {
  readonly opts: QueryOptions;
  readonly now: number;
  /** Field accesses of this query, shared by its leaves. */
  readonly access: Map<string, FieldAccess>;
}

function access(ctx: Ctx, name: string): FieldAccess {
  let a = ctx.access.get(name);
  if (!a) ctx.access.set(name, (a = fieldAccess(name)));
  return a;
}

const yes = () => true;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Compile a parsed query.
 * @example compileQuery(parseKql('process.name: cmd.exe')).matches({ process: { name: 'cmd.exe' } }) // true
 */
export function compileQuery(root: QueryNode, opts: QueryOptions = {}): CompiledQuery {
  const c = compileNode(root, { opts, now: opts.now ?? Date.now(), access: new Map() });
  return {
    matches: c.test,
    explain: c.explain,
    get logic() {
      return c.logic;
    },
  };
}

function compileNode(node: QueryNode, ctx: Ctx): Compiled {
  switch (node.kind) {
    case 'all':
      return lazy({ test: () => yes, explain: () => ({ label: node.label, result: true, detail: 'matches every event', children: [] }), logic: () => ({ kind: 'const', value: true, label: node.label }), cost: 0 });
    case 'and':
      return compileAnd(node.children.map((c) => compileNode(c, ctx)), node.label);
    case 'or':
      return compileOr(node.children, node.label, ctx);
    case 'not': {
      const c = compileNode(node.child, ctx);
      return lazy({
        test: () => {
          const t = c.test;
          return (e) => !t(e);
        },
        explain: (e) => {
          const child = c.explain(e);
          return { label: node.label, result: !child.result, children: [child] };
        },
        logic: () => ({ kind: 'not', child: c.logic, label: node.label }),
        cost: c.cost,
      });
    }
    case 'term':
      return compileTerm(node.field, node.value, node.label, ctx);
    case 'range': {
      const { op, value } = node;
      const n = numericLiteral(value);
      return fieldLeaf(node.field, node.label, (sem) => rangeTest(op, value, sem, ctx.now), `${op} ${JSON.stringify(value)}`, 2, ctx, (field, sem) => {
        const bound = sem === 'date' ? isoBound(value, op === 'gt' || op === 'lte', ctx.now) : n !== undefined && sem !== 'keyword' && sem !== 'caseless' && sem !== 'text' ? n : value;
        return bound === undefined ? { kind: 'const', value: false } : { kind: 'range', field, op, value: bound };
      });
    }
    case 'exists':
      return compileExists(node.field, node.label, ctx);
    case 'nested':
      return compileNested(node.path, compileNode(node.query, ctx), node.label);
    case 'regex': {
      return fieldLeaf(node.field, node.label, (sem) => regexTest(compileRegex(`^(?:${node.source})$`), sem), `a value matching /${node.source}/`, 4, ctx, (field, sem) => ({ kind: 'regex', field, source: node.source, flags: sem === 'text' || sem === 'caseless' ? 'i' : '' }));
    }
    case 'fuzzy': {
      const { text, distance } = node;
      return fieldLeaf(node.field, node.label, (sem) => fuzzyTest(text, distance, sem), `within edit distance ${distance} of ${JSON.stringify(text)}`, 4, ctx, (field) => ({ kind: 'opaque', field, description: `${text}~${distance} (edit distance)` }));
    }
  }
}

// ---- boolean nodes ----

function andTest(children: readonly Compiled[]): Test {
  const tests = [...children].sort((a, b) => a.cost - b.cost).map((c) => c.test);
  const [t0, t1, t2] = tests;
  if (tests.length === 2) return (e) => t0!(e) && t1!(e);
  if (tests.length === 3) return (e) => t0!(e) && t1!(e) && t2!(e);
  return (e) => {
    for (const t of tests) if (!t(e)) return false;
    return true;
  };
}

function compileAnd(children: Compiled[], label: string): Compiled {
  return lazy({
    test: () => andTest(children),
    explain: (e) => {
      const cs = children.map((c) => c.explain(e));
      return { label, result: cs.every((c) => c.result === true), children: cs };
    },
    logic: () => ({ kind: 'and', children: children.map((c) => c.logic), label }),
    cost: children.reduce((s, c) => s + c.cost, 0),
  });
}

function compileOr(nodes: readonly QueryNode[], label: string, ctx: Ctx): Compiled {
  const children = nodes.map((n) => compileNode(n, ctx));
  return lazy({
    test: () => {
      const tests = mergedOrTests(nodes, children, ctx);
      return tests.length === 1 ? tests[0]! : (e) => {
        for (const t of tests) if (t(e)) return true;
        return false;
      };
    },
    explain: (e) => {
      const cs = children.map((c) => c.explain(e));
      return { label, result: cs.some((c) => c.result === true), children: cs };
    },
    logic: () => ({ kind: 'or', children: children.map((c) => c.logic), label }),
    cost: children.reduce((s, c) => s + c.cost, 0) / 2,
  });
}

/** `f:(a or b or c)`: one visit of `f` with a combined value test instead of one visit per value. */
function mergedOrTests(nodes: readonly QueryNode[], children: readonly Compiled[], ctx: Ctx): Test[] {
  const groups = new Map<string, TermValue[]>();
  nodes.forEach((n) => {
    if (n.kind === 'term' && n.field && !n.field.glob) groups.set(n.field.name, [...(groups.get(n.field.name) ?? []), n.value]);
  });
  const out: Test[] = [];
  const done = new Set<string>();
  nodes.forEach((n, i) => {
    if (n.kind !== 'term' || !n.field || n.field.glob || groups.get(n.field.name)!.length < 2) {
      out.push(children[i]!.test);
      return;
    }
    if (done.has(n.field.name)) return;
    done.add(n.field.name);
    const plan = planField(n.field.name, ctx.opts);
    const values = groups.get(n.field.name)!;
    const t = plan.semantics === 'auto' ? mergedAutoTest(values) : anyOf(values.map((v) => termTest(v, plan.semantics, ctx.now)));
    out.push(visitTest(plan, t, ctx));
  });
  return out;
}

function anyOf(tests: readonly ScalarTest[]): ScalarTest {
  return (v) => {
    for (const t of tests) if (t(v)) return true;
    return false;
  };
}

/** The auto-semantics test of many values at once: a Set for exact strings, numbers, booleans; patterns and networks after. */
function mergedAutoTest(values: readonly TermValue[]): ScalarTest {
  const strings = new Set<string>();
  const nums = new Set<number>();
  const bools = new Set<boolean>();
  const patterns: StringMatcher[] = [];
  const nets: Network[] = [];
  for (const v of values) {
    if (v.kind === 'pattern') {
      patterns.push(compilePattern(v.pattern, 'sensitive'));
      continue;
    }
    strings.add(v.text);
    const n = numericLiteral(v.text);
    if (n !== undefined) nums.add(n);
    if (v.text === 'true' || v.text === 'false') bools.add(v.text === 'true');
    const net = looksLikeIp(v.text) ? parseNetworkLenient(v.text) : undefined;
    if (net) nets.push(net);
  }
  const inNets = (s: string): boolean => {
    if (nets.length === 0 || !looksLikeIp(s)) return false;
    const ip = parseIp(s);
    if (!ip) return false;
    for (const net of nets) if (networkContains(net, ip)) return true;
    return false;
  };
  return (v) => {
    if (typeof v === 'string') {
      if (strings.has(v)) return true;
      for (const m of patterns) if (m(v)) return true;
      return inNets(v);
    }
    if (typeof v === 'number') return nums.has(v);
    return typeof v === 'boolean' && bools.has(v);
  };
}

// ---- field leaves ----

/** Visit a concrete field's values (falling back to the multi-field's parent when the field itself is absent). */
function visitTest(plan: FieldPlan, t: ScalarTest, ctx: Ctx): Test {
  const acc = access(ctx, plan.path);
  if (plan.fallback === null) return (e) => acc.any(e, t);
  const parent = access(ctx, plan.fallback);
  return (e) => acc.any(e, t) || (!acc.any(e, yes) && parent.any(e, t));
}

/** The access explain() reads: the field itself, else its parent for a missing multi-field. */
function explainAccess(plan: FieldPlan): (e: unknown) => { path: string; values: readonly unknown[] } {
  const acc = fieldAccess(plan.path);
  const parent: FieldAccess | null = plan.fallback === null ? null : fieldAccess(plan.fallback);
  return (e) => {
    const own = acc.values(e);
    if (own.length > 0 || !parent) return { path: plan.path, values: own };
    return { path: parent.name, values: parent.values(e) };
  };
}

function globRegExp(name: string): RegExp {
  return patternToRegExp(name.split('*').flatMap((part, i) => (i === 0 ? [textToken(part)] : [{ kind: 'star' as const }, textToken(part)])), false);
}

/**
 * A leaf over one field, a field glob, or (field `null`) every field. The
 * semantics of a concrete field is fixed at compile time; for globs and free
 * text it depends on each leaf path, so tests are memoised per semantics.
 */
function fieldLeaf(
  field: FieldName | null,
  label: string,
  make: (sem: Semantics) => ScalarTest,
  expected: string,
  cost: number,
  ctx: Ctx,
  logicOf: (field: string, sem: Semantics) => Predicate,
): Compiled {
  if (field === null || field.glob) {
    const name = field?.name;
    return pathLeaf(field, label, make, expected, ctx, () => (name !== undefined ? { kind: 'opaque', field: name, description: `some field matching ${name} satisfies ${label}`, label } : anyFieldLogic(logicOf('', 'auto'), label)));
  }
  const plan = planField(field.name, ctx.opts);
  let t: ScalarTest | undefined;
  const scalar = (): ScalarTest => (t ??= make(plan.semantics));
  return lazy({
    test: () => visitTest(plan, scalar(), ctx),
    explain: (e) => {
      const { path, values } = explainAccess(plan)(e);
      const result = values.some(scalar());
      return { label, result, detail: describe(path, values, result, expected, plan), children: [] };
    },
    logic: () => ({ ...logicOf(plan.fallback ?? plan.path, plan.semantics), label: semanticsNote(label, plan) }),
    cost: cost + (plan.semantics === 'text' ? 4 : plan.fallback ? 1 : 0),
  });
}

/** Free-text logic: the same match / regex leaf with field `null` (any field), else opaque. */
function anyFieldLogic(p: Predicate, label: string): Predicate {
  if (p.kind === 'match' || p.kind === 'regex') return { ...p, field: null, label };
  return { kind: 'opaque', field: null, description: `any field: ${label}`, label };
}

function pathLeaf(field: FieldName | null, label: string, make: (sem: Semantics) => ScalarTest, expected: string, ctx: Ctx, logic: () => Predicate): Compiled {
  const bySem = new Map<Semantics, ScalarTest>();
  const byPath = new Map<string, ScalarTest>();
  const re = field ? globRegExp(field.name) : null;
  const testFor = (path: string): ScalarTest => {
    let t = byPath.get(path);
    if (t === undefined) {
      const sem = planField(path, ctx.opts).semantics;
      t = bySem.get(sem) ?? make(sem);
      bySem.set(sem, t);
      if (byPath.size < 10_000) byPath.set(path, t);
    }
    return t;
  };
  const visit = (path: string, v: unknown): boolean => (re === null || re.test(path)) && testFor(path)(v);
  return lazy({
    test: () => (e) => anyLeaf(e, '', visit),
    explain: (e) => {
      const hits = leafEntries(e).filter(([p, v]) => visit(p, v));
      const detail = hits.length > 0 ? `${hits.slice(0, 5).map(([p, v]) => `${p} is ${JSON.stringify(v)}`).join('; ')}` : `no ${field ? `field matching ${field.name}` : 'field'} has ${expected}`;
      return { label, result: hits.length > 0, detail, children: [] };
    },
    logic,
    cost: 20,
  });
}

function semanticsNote(label: string, plan: FieldPlan): string {
  if (plan.semantics === 'auto') return label;
  const on = plan.fallback ? `, on ${plan.fallback} when ${plan.path} is absent` : '';
  return `${label} (${SEMANTICS_LABEL[plan.semantics]}${on})`;
}

function formatValues(values: readonly unknown[]): string {
  const shown = values.slice(0, 5).map((v) => JSON.stringify(v) ?? String(v));
  return values.length === 1 ? shown[0]! : `[${shown.join(', ')}${values.length > 5 ? ', …' : ''}]`;
}

function describe(path: string, values: readonly unknown[], result: boolean, expected: string, plan: FieldPlan): string {
  if (values.length === 0) return `${path} is missing`;
  const first = values[0];
  const how =
    plan.semantics !== 'auto' ? SEMANTICS_LABEL[plan.semantics] : typeof first === 'number' ? 'numeric' : typeof first === 'boolean' ? 'boolean' : typeof first === 'string' ? 'keyword: case-sensitive' : 'no scalar value';
  return `${path} is ${formatValues(values)}${result ? '' : `, expected ${expected}`} (${how})`;
}

// ---- term, exists, nested ----

function compileTerm(field: FieldName | null, value: TermValue, label: string, ctx: Ctx): Compiled {
  const expected = value.kind === 'pattern' ? `a value matching "${printPattern(value.pattern)}"` : JSON.stringify(value.text);
  const cost = value.kind === 'pattern' ? 2 : looksLikeIp(value.text) && parseNetworkLenient(value.text) ? 3 : 1;
  return fieldLeaf(field, label, (sem) => termTest(value, sem, ctx.now), expected, cost, ctx, (f, sem) => termLogic(f, value, sem, ctx));
}

/** What a term asks of its field, as predicate leaves the generator can satisfy (witness values). */
function termLogic(field: string, value: TermValue, sem: Semantics, ctx: Ctx): Predicate {
  const pattern: Pattern = value.kind === 'pattern' ? value.pattern : [textToken(value.text)];
  switch (sem) {
    case 'caseless':
      return { kind: 'match', field, pattern, mode: 'insensitive' };
    case 'text': {
      const parts = value.kind === 'pattern' ? splitPatternOnSpace(value.pattern) : value.phrase ? (analyse(value.text).length ? [[textToken(analyse(value.text).join(' '))]] : []) : analyse(value.text).map((t) => [textToken(t)]);
      const leaves: Predicate[] = parts.map((p) => ({ kind: 'match', field, pattern: p, mode: 'insensitive' }));
      return leaves.length === 0 ? { kind: 'const', value: false } : leaves.length === 1 ? leaves[0]! : { kind: 'or', children: leaves };
    }
    case 'date': {
      const lo = value.kind === 'literal' ? isoBound(value.text, false, ctx.now) : undefined;
      const hi = value.kind === 'literal' ? isoBound(value.text, true, ctx.now) : undefined;
      if (lo === undefined || hi === undefined) return { kind: 'const', value: false };
      return { kind: 'and', children: [{ kind: 'range', field, op: 'gte', value: lo }, { kind: 'range', field, op: 'lte', value: hi }] };
    }
    default:
      if (value.kind === 'literal' && value.text.includes('/') && parseNetworkLenient(value.text)) return { kind: 'cidr', field, network: value.text };
      return { kind: 'match', field, pattern, mode: 'sensitive' };
  }
}

function isoBound(text: string, roundUp: boolean, now: number): string | undefined {
  const t = parseDateBound(text, roundUp, now);
  return t === undefined ? undefined : new Date(t).toISOString();
}

/** A non-null scalar, or an object with one somewhere inside (ES `exists` on an object field). */
function present(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v !== 'object') return true;
  return anyLeaf(v, '', (_p, x) => x !== null);
}

function compileExists(field: FieldName, label: string, ctx: Ctx): Compiled {
  if (field.glob) return pathLeaf(field, label, () => (v) => v !== null, 'a value', ctx, () => ({ kind: 'opaque', field: field.name, description: `some field matching ${field.name} exists`, label }));
  const plan = planField(field.name, ctx.opts);
  return lazy({
    test: () => visitTest(plan, present, ctx),
    explain: (e) => {
      const { path, values } = explainAccess(plan)(e);
      const result = values.some(present);
      return { label, result, detail: result ? `${path} is ${formatValues(values)}` : values.length ? `${path} is ${formatValues(values)} (null is missing)` : `${path} is missing`, children: [] };
    },
    logic: () => ({ kind: 'exists', field: plan.fallback ?? plan.path, label }),
    cost: 1,
  });
}

/** Prefix every field of the inner (relative) logic with the nested path. */
function prefixFields(p: Predicate, prefix: string): Predicate {
  switch (p.kind) {
    case 'and':
    case 'or':
      return { ...p, children: p.children.map((c) => prefixFields(c, prefix)) };
    case 'not':
      return { ...p, child: prefixFields(p.child, prefix) };
    case 'const':
      return p;
    default:
      return p.field === null ? p : { ...p, field: `${prefix}.${p.field}` } as Predicate;
  }
}

function compileNested(path: string, inner: Compiled, label: string): Compiled {
  const acc = fieldAccess(path);
  return lazy({
    test: () => {
      const t = inner.test;
      const element = (el: unknown): boolean => isObject(el) && t(el);
      return (e) => acc.any(e, element);
    },
    explain: (e) => {
      const els = acc.values(e).filter(isObject);
      const children = els.slice(0, 10).map((el, i) => ({ ...inner.explain(el), label: `${path}[${i}]: ${inner.explain(el).label}` }));
      const result = els.some((el) => inner.test(el));
      return { label, result, detail: els.length === 0 ? `${path} has no object value` : `${els.length} element(s); one must satisfy the whole inner query`, children };
    },
    logic: () => ({ kind: 'and', children: [prefixFields(inner.logic, path)], label: `${label} (one element of ${path} satisfies all)` }),
    cost: 10 + inner.cost,
  });
}
