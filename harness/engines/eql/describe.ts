import type { Trace } from '../../core/detector.ts';
import { type Predicate, and, not, or } from '../common/predicate.ts';
import { STAR, text } from '../common/pattern.ts';
import type { Expr, Scalar } from './ast.ts';
import { show } from './ast.ts';
import type { ExprCompiler } from './compile-expr.ts';
import { wildcardPattern } from './scalar-tests.ts';
import { fieldRead } from './field-access.ts';
import { parseCidr } from './functions.ts';
import { luceneToJs } from '../common/lucene-regex.ts';
import { flipOp, render } from './values.ts';

/**
 * The two views of a compiled condition that are not the hot path:
 * `explain` (a per-event trace whose results agree with the filter) and
 * `constraints` (the condition as a Predicate tree).
 */
export type Explainer = (e: unknown) => Trace;

type Lit = Extract<Expr, { k: 'lit' }>;
const isLit = (e: Expr): e is Lit => e.k === 'lit';

function firstField(e: Expr): string | null {
  switch (e.k) {
    case 'field':
      return e.name;
    case 'lit':
      return null;
    case 'call':
      for (const a of e.args) {
        const f = firstField(a);
        if (f) return f;
      }
      return null;
    case 'not':
    case 'neg':
      return firstField(e.e);
    case 'and':
    case 'or':
      return e.items.map(firstField).find((x) => x !== null) ?? null;
    case 'cmp':
    case 'arith':
      return firstField(e.l) ?? firstField(e.r);
    case 'seq':
    case 'in':
    case 'like':
    case 'regex':
      return firstField(e.l);
  }
}

function expectation(e: Expr): string {
  switch (e.k) {
    case 'cmp': {
      const cs = e.op === '==' || e.op === '!=' ? ' (case-sensitive)' : '';
      return `expected ${e.op} ${show(e.r)}${cs}`;
    }
    case 'seq':
      return `expected ${e.negated ? 'no match of' : ''}: ${e.r.map(show).join(', ')} (case-insensitive, wildcards)`;
    case 'in':
      return `expected ${e.negated ? 'not ' : ''}in${e.ci ? '~' : ''} (${e.list.map(show).join(', ')}) (${e.ci ? 'case-insensitive' : 'case-sensitive'})`;
    case 'like':
      return `expected like${e.ci ? '~' : ''} ${e.patterns.map((p) => JSON.stringify(p)).join(', ')} (${e.ci ? 'case-insensitive' : 'case-sensitive'}, wildcards)`;
    case 'regex':
      return `expected regex${e.ci ? '~' : ''} ${e.patterns.map((p) => JSON.stringify(p)).join(', ')} (full match)`;
    default:
      return 'expected true';
  }
}

export function explainer(c: ExprCompiler, e: Expr): Explainer {
  if (e.k === 'and' || e.k === 'or') {
    const kids = e.items.map((x) => explainer(c, x));
    const isAnd = e.k === 'and';
    return (ev) => {
      const children = kids.map((k) => k(ev));
      const result = isAnd ? children.every((t) => t.result === true) : children.some((t) => t.result === true);
      return { label: e.k, result, children };
    };
  }
  if (e.k === 'not') {
    const kid = explainer(c, e.e);
    return (ev) => {
      const child = kid(ev);
      return { label: 'not', result: child.result !== true, children: [child] };
    };
  }
  const filter = c.filter(e);
  const value = e.k === 'lit' ? () => e.value : c.value(e);
  const subject = e.k === 'cmp' && e.l.k === 'lit' ? e.r : 'l' in e ? e.l : e;
  const subjectValue = subject === e ? value : c.value(subject);
  const label = show(e);
  const typed = subject.k === 'field' ? c.fields.mappingOf?.(subject.name) : undefined;
  const typedNote = typed ? ` (typed by ${typed.source} as ${typed.mapping.esType})` : '';
  return (ev) => {
    const r = filter(ev);
    const v3 = value(ev);
    // Null (unknown) where the three-valued value is null and the filter says false.
    const result = !r && v3 === null ? null : r;
    const sv = subjectValue(ev);
    const detail = `${show(subject)} is ${render(sv)}${subject === e ? '' : `, ${expectation(e)}`}${typedNote}`;
    return { label, result, detail, children: [] };
  };
}

export function categoryTrace(field: string, category: string | null, read: (e: unknown) => unknown = fieldRead(field)): Explainer {
  if (category === null) return () => ({ label: 'any', result: true, detail: 'any where: no category test', children: [] });
  return (ev) => {
    const v = read(ev);
    const result = v === category || (Array.isArray(v) && v.includes(category));
    return { label: `${field} == ${JSON.stringify(category)}`, result, detail: `${field} is ${render(v)}, expected == ${JSON.stringify(category)} (case-sensitive)`, children: [] };
  };
}

// ---- constraints ------------------------------------------------------------

function eqLeaf(field: string, v: Scalar, mode: 'sensitive' | 'insensitive'): Predicate {
  if (v === null) return { kind: 'null', field };
  if (typeof v === 'string') return { kind: 'match', field, pattern: [text(v)], mode };
  return { kind: 'equals', field, value: v };
}

function opaque(e: Expr): Predicate {
  return { kind: 'opaque', field: firstField(e), description: show(e) };
}

function formatNetwork(cidr: string): string {
  const n = parseCidr(cidr);
  if (!n) return cidr;
  if (n.family === 4) {
    const v = Number(n.base);
    return `${[24, 16, 8, 0].map((s) => (v >>> s) & 255).join('.')}/${n.prefix}`;
  }
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((n.base >> BigInt(i * 16)) & 0xffffn).toString(16));
  return `${groups.join(':')}/${n.prefix}`;
}

export function predicateOf(c: ExprCompiler, e0: Expr): Predicate {
  const e = c.fold(e0);
  switch (e.k) {
    case 'lit':
      return typeof e.value === 'boolean' ? { kind: 'const', value: e.value } : { kind: 'const', value: false };
    case 'field':
      return { kind: 'equals', field: e.name, value: true };
    case 'and':
      return and(e.items.map((x) => predicateOf(c, x)));
    case 'or':
      return or(e.items.map((x) => predicateOf(c, x)));
    case 'not':
      return not(predicateOf(c, e.e));
    case 'cmp': {
      let l = c.fold(e.l);
      let r = c.fold(e.r);
      let op = e.op;
      if (isLit(l) && r.k === 'field') {
        [l, r] = [r, l];
        op = flipOp(op);
      }
      const byLength = lengthPredicate(l, op, r);
      if (byLength) return byLength;
      if (l.k !== 'field' || !isLit(r)) return opaque(e);
      if (op === '==') return eqLeaf(l.name, r.value, 'sensitive');
      if (op === '!=') return r.value === null ? { kind: 'exists', field: l.name } : not(eqLeaf(l.name, r.value, 'sensitive'));
      if (r.value === null || typeof r.value === 'boolean') return { kind: 'const', value: false };
      const rop = op === '<' ? 'lt' : op === '<=' ? 'lte' : op === '>' ? 'gt' : 'gte';
      return { kind: 'range', field: l.name, op: rop, value: r.value };
    }
    case 'seq': {
      let l = c.fold(e.l);
      let rs = e.r.map((x) => c.fold(x));
      if (rs.length === 1 && isLit(l) && rs[0]!.k === 'field') [l, rs] = [rs[0]!, [l]];
      if (l.k !== 'field' || !rs.every(isLit)) return opaque(e);
      const field = l.name;
      const leaves = (rs as Lit[]).map((x): Predicate => (typeof x.value === 'string' ? { kind: 'match', field, pattern: wildcardPattern(x.value), mode: 'insensitive' } : eqLeaf(field, x.value, 'sensitive')));
      const p = leaves.length === 1 ? leaves[0]! : or(leaves);
      return e.negated ? not(p) : p;
    }
    case 'in': {
      if (e.l.k !== 'field') return opaque(e);
      const field = e.l.name;
      const p = or(e.list.map((x) => c.fold(x)).map((x) => (isLit(x) ? eqLeaf(field, x.value, e.ci ? 'insensitive' : 'sensitive') : opaque(x))));
      return e.negated ? not(p) : p;
    }
    case 'like': {
      if (e.l.k !== 'field') return opaque(e);
      const field = e.l.name;
      const leaves = e.patterns.map((p): Predicate => ({ kind: 'match', field, pattern: wildcardPattern(p), mode: e.ci ? 'insensitive' : 'sensitive' }));
      return leaves.length === 1 ? leaves[0]! : or(leaves);
    }
    case 'regex': {
      if (e.l.k !== 'field') return opaque(e);
      const field = e.l.name;
      const leaves = e.patterns.map((p): Predicate => ({ kind: 'regex', field, source: luceneToJs(p), flags: e.ci ? 'is' : 's' }));
      return leaves.length === 1 ? leaves[0]! : or(leaves);
    }
    case 'call':
      if (e.name === 'cidrMatch' && e.args[0]?.k === 'field') {
        const field = e.args[0].name;
        return or(e.args.slice(1).map((a): Predicate => ({ kind: 'cidr', field, network: formatNetwork(String((a as Lit).value)) })));
      }
      return stringFunctionPredicate(e) ?? opaque(e);
    default:
      return opaque(e);
  }
}

/**
 * `length(f) > N` and its kin: a string length, which a regex leaf states
 * exactly (`^[\s\S]{N+1,}$`), so the generator can build and break it.
 */
function lengthPredicate(l: Expr, op: string, r: Expr): Predicate | undefined {
  if (l.k !== 'call' || l.name !== 'length' || l.args[0]?.k !== 'field' || r.k !== 'lit' || typeof r.value !== 'number' || !Number.isInteger(r.value)) return undefined;
  const n = r.value;
  const range = op === '>' ? `{${n + 1},}` : op === '>=' ? `{${Math.max(0, n)},}` : op === '<' ? (n <= 0 ? undefined : `{0,${n - 1}}`) : op === '<=' ? (n < 0 ? undefined : `{0,${n}}`) : op === '==' ? (n < 0 ? undefined : `{${n}}`) : undefined;
  if (range === undefined) return undefined;
  return { kind: 'regex', field: l.args[0].name, source: `^[\\s\\S]${range}$`, flags: 's' };
}

/**
 * `startsWith(f, "x")`, `endsWith(f, "x")`, `stringContains(f, "x")` (and their
 * `~` forms) are field matches the generator can reason about; with literal
 * arguments they become match leaves instead of opaque ones.
 */
function stringFunctionPredicate(e: Extract<Expr, { k: 'call' }>): Predicate | undefined {
  const shape = ({ startsWith: 'start', endsWith: 'end', stringContains: 'contains' } as const)[e.name as 'startsWith' | 'endsWith' | 'stringContains'];
  const [source, ...rest] = e.args;
  if (!shape || source?.k !== 'field' || rest.length === 0) return undefined;
  const mode = e.ci ? 'insensitive' : 'sensitive';
  // One field against another: a field reference, as Sigma's |fieldref|startswith says it.
  const other = rest[0];
  if (rest.length === 1 && other?.k === 'field') {
    return { kind: 'fieldref', field: source.name, other: other.name, position: shape === 'start' ? 'startswith' : shape === 'end' ? 'endswith' : 'contains', mode };
  }
  if (!rest.every((a) => a.k === 'lit' && typeof a.value === 'string')) return undefined;
  const leaves = rest.map((a): Predicate => {
    const t = text(String((a as Lit).value));
    const pattern = shape === 'start' ? [t, STAR] : shape === 'end' ? [STAR, t] : [STAR, t, STAR];
    return { kind: 'match', field: source.name, pattern, mode };
  });
  return leaves.length === 1 ? leaves[0]! : or(leaves);
}

export function categoryPredicate(field: string, category: string | null): Predicate | undefined {
  return category === null ? undefined : { kind: 'match', field, pattern: [text(category)], mode: 'sensitive' };
}
