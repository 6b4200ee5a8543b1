import { compilePattern } from '../common/pattern-matcher.ts';
import { QuerySyntaxError } from '../common/query-syntax-error.ts';
import { type Expr, type Scalar, hasField, show } from './ast.ts';
import { DIRECT_FIELDS, type FieldSource } from './field-access.ts';
import { FUNCTIONS, type FunctionSpec, arith, implement, parseCidr } from './functions.ts';
import { anyOf, anyOfExact, anyOfSet, anyOfString, lazy } from './leaves.ts';
import { type ScalarTest, eqTest, inTest, likeTest, rangeTest, regexTest, seqTest, wildcardPattern } from './scalar-tests.ts';
import { anyPair, applyCmp, flipOp, looseEquals, mapValues, truth } from './values.ts';
import { typedLiteral, versionRangeTest } from './typed-fields.ts';

/** Evaluates to a runtime value: null, a scalar, or an array of values (multi-valued). */
export type ValueFn = (e: unknown) => unknown;
/** A two-valued filter (Elasticsearch query semantics: positive tests on missing fields are false). */
export type FilterFn = (e: unknown) => boolean;

type Lit = Extract<Expr, { k: 'lit' }>;
type Field = Extract<Expr, { k: 'field' }>;

const fold = (s: string): string => s.toLowerCase();
const isLit = (e: Expr): e is Lit => e.k === 'lit';
const isField = (e: Expr): e is Field => e.k === 'field';
const values = (lits: readonly Lit[]): Scalar[] => lits.map((l) => l.value);

/** Both sides optional fields (`?x == ?y`): the one field-to-field comparison Elasticsearch accepts (eql.md §7). */
function bothOptional(a: Expr, b: Expr): boolean {
  return a.k === 'field' && a.optional && b.k === 'field' && b.optional;
}

/** Is the expression a float by its literals (Java typing: `4.0` is a double, so `x / 4.0` is not integral)? */
export function staticFloat(e: Expr): boolean {
  switch (e.k) {
    case 'lit':
      return typeof e.value === 'number' && !e.integer;
    case 'arith':
      return staticFloat(e.l) || staticFloat(e.r);
    case 'neg':
      return staticFloat(e.e);
    case 'call':
      return ['add', 'subtract', 'multiply', 'divide', 'modulo'].includes(e.name) && e.args.some(staticFloat);
    default:
      return false;
  }
}

export class ExprCompiler {
  constructor(
    private readonly src: string,
    /** Where field values come from: the event itself, or a frame shared by a set of queries. */
    readonly fields: FieldSource = DIRECT_FIELDS,
  ) {}

  fail(msg: string, pos: number): never {
    throw new QuerySyntaxError(msg, this.src, pos);
  }

  /** Fold field-free subexpressions into literals (`add(0, 1)` → `1`), so leaves see literals. */
  private readonly folded = new WeakMap<Expr, Expr>();

  fold(e: Expr): Expr {
    if (e.k === 'lit' || e.k === 'field') return e;
    const done = this.folded.get(e);
    if (done) return done;
    const f = this.foldOnce(e);
    this.folded.set(e, f);
    return f;
  }

  private foldOnce(e: Expr): Expr {
    if (!hasField(e)) {
      const v = this.value(e)(undefined);
      if (v === null || typeof v !== 'object') {
        const value = v as Scalar;
        return { k: 'lit', value, integer: typeof value === 'number' && Number.isInteger(value) && !staticFloat(e), pos: e.pos };
      }
    }
    return e;
  }

  /** Literals compared with `field`, read as the field's mapping reads values (a date string → an instant); the mapping is looked up once. */
  private typedLits(field: Expr, lits: Lit[]): Lit[] {
    const m = field.k === 'field' ? this.fields.mappingOf?.(field.name)?.mapping : undefined;
    if (!m) return lits;
    return lits.map((lit) => {
      const v = typedLiteral(m, lit.value);
      return v === undefined ? lit : { ...lit, value: v as Scalar };
    });
  }

  private typedLit(field: Expr, lit: Lit): Lit {
    return this.typedLits(field, [lit])[0]!;
  }

  /** Both sides of a comparison with the literal typed by the field on the other side. */
  private typedPair(l: Expr, r: Expr): [Expr, Expr] {
    if (isField(l) && isLit(r)) return [l, this.typedLit(l, r)];
    if (isLit(l) && isField(r)) return [this.typedLit(r, l), r];
    return [l, r];
  }

  private checkNoFieldPair(a: Expr, b: Expr, pos: number): void {
    if (bothOptional(a, b)) return;
    if (hasField(a) && hasField(b)) this.fail('comparing two field expressions is not supported by Elasticsearch EQL (the right-hand side must be a literal)', pos);
  }

  private literalList(items: readonly Expr[]): Lit[] {
    return items.map((x) => {
      const f = this.fold(x);
      if (!isLit(f)) this.fail('only literal values are allowed in this list', x.pos);
      return f as Lit;
    });
  }

  // ---- value (three-valued) evaluation --------------------------------------

  value(e: Expr): ValueFn {
    switch (e.k) {
      case 'lit': {
        const v = e.value;
        return () => v;
      }
      case 'field':
        return this.fields.read(e.name);
      case 'call':
        return this.call(e);
      case 'neg': {
        const f = this.value(e.e);
        this.checkNumeric(e.e);
        return (ev) => mapValues([f(ev)], (a) => arith('-', 0, a[0]));
      }
      case 'arith': {
        const l = this.value(e.l);
        const r = this.value(e.r);
        this.checkNumeric(e.l);
        this.checkNumeric(e.r);
        const op = e.op;
        const fl = staticFloat(e);
        return (ev) => {
          const a = l(ev);
          const b = r(ev);
          if (!Array.isArray(a) && !Array.isArray(b)) return arith(op, a, b, fl);
          return mapValues([a, b], (x) => arith(op, x[0], x[1], fl));
        };
      }
      case 'not': {
        const f = this.value(e.e);
        return (ev) => {
          const t = truth(f(ev));
          return t === null ? null : !t;
        };
      }
      case 'and':
      case 'or': {
        const fs = e.items.map((x) => this.value(x));
        const isAnd = e.k === 'and';
        return (ev) => {
          let unknown = false;
          for (const f of fs) {
            const t = truth(f(ev));
            if (t === null) unknown = true;
            else if (t !== isAnd) return t;
          }
          return unknown ? null : isAnd;
        };
      }
      case 'cmp': {
        this.checkNoFieldPair(e.l, e.r, e.pos);
        const [l, r] = this.typedPair(this.fold(e.l), this.fold(e.r));
        const op = e.op;
        // A literal null operand makes ==/!= an existence test (eql.md §7).
        if ((isLit(l) && l.value === null) || (isLit(r) && r.value === null)) {
          const other = this.value(isLit(l) && l.value === null ? r : l);
          if (op === '==') return (ev) => other(ev) === null;
          if (op === '!=') return (ev) => other(ev) !== null;
          return () => null;
        }
        const lf = this.value(l);
        const rf = this.value(r);
        // `?x == ?y`: Elasticsearch replaces an unmapped optional field by null before comparing, so null == null holds.
        const nullsEqual = bothOptional(l, r) && (op === '==' || op === '!=');
        return (ev) => {
          const a = lf(ev);
          const b = rf(ev);
          if (a === null || b === null) return nullsEqual ? (a === b) === (op === '==') : null;
          return anyPair(a, b, (x, y) => applyCmp(op, x, y));
        };
      }
      case 'seq': {
        const test = this.seqValueTest(e);
        return test;
      }
      case 'in': {
        const l = this.value(e.l);
        const lits = this.typedLits(e.l, this.literalList(e.list));
        const test = inTest(values(lits), e.ci);
        const neg = e.negated;
        return (ev) => {
          const v = l(ev);
          if (v === null) return null;
          const r = anyPair(v, null, (x) => test(x));
          return r === null ? null : neg ? !r : r;
        };
      }
      case 'like':
      case 'regex': {
        const l = this.value(e.l);
        const test = e.k === 'like' ? likeTest(e.patterns, e.ci) : this.regex(e.patterns, e.ci, e.pos);
        return (ev) => {
          const v = l(ev);
          if (v === null) return null;
          return anyPair(v, null, (x) => test(x));
        };
      }
    }
  }

  private checkNumeric(e: Expr): void {
    const f = this.fold(e);
    if (isLit(f) && f.value !== null && typeof f.value !== 'number') this.fail(`arithmetic needs a number, found ${show(f)}`, e.pos);
  }

  private call(e: Extract<Expr, { k: 'call' }>): ValueFn {
    const spec = FUNCTIONS.find((f) => f.name === e.name)!;
    const folded = e.args.map((a) => this.fold(a));
    folded.forEach((a, i) => this.checkArg(spec, a, i));
    if (spec.name === 'cidrMatch') {
      folded.slice(1).forEach((a) => {
        if (!isLit(a) || typeof a.value !== 'string') this.fail('cidrMatch needs literal CIDR strings', a.pos);
        if (!parseCidr(a.value as string)) this.fail(`invalid CIDR ${JSON.stringify(a.value)}`, a.pos);
      });
    }
    const fieldQuery = folded.length === 2 && folded[0]!.k === 'field' && isLit(folded[1]!);
    const impl = implement(spec.name, e.ci, folded.map((a) => (isLit(a) ? a.value : undefined)), e.args.some(staticFloat), fieldQuery);
    const fns = folded.map((a) => this.value(a));
    const n = fns.length;
    if (n === 1) {
      const f0 = fns[0]!;
      return (ev) => {
        const a = f0(ev);
        return Array.isArray(a) ? mapValues([a], impl) : impl([a]);
      };
    }
    if (n === 2) {
      const [f0, f1] = fns as [ValueFn, ValueFn];
      return (ev) => {
        const a = f0(ev);
        const b = f1(ev);
        return Array.isArray(a) || Array.isArray(b) ? mapValues([a, b], impl) : impl([a, b]);
      };
    }
    return (ev) => mapValues(fns.map((f) => f(ev)), impl);
  }

  private checkArg(spec: FunctionSpec, a: Expr, i: number): void {
    const kind = spec.args[Math.min(i, spec.args.length - 1)]!;
    if (kind === 'any' || !isLit(a) || a.value === null) return;
    if (typeof a.value !== kind) this.fail(`argument ${i + 1} of ${spec.name} must be a ${kind}, found ${show(a)}`, a.pos);
  }

  private seqValueTest(e: Extract<Expr, { k: 'seq' }>): ValueFn {
    let l = e.l;
    let rs = e.r;
    if (rs.length === 1) {
      this.checkNoFieldPair(l, rs[0]!, e.pos);
      const lf = this.fold(l);
      const rf = this.fold(rs[0]!);
      // `1 : serial_event_id` — literal on the left, expression on the right.
      if (isLit(lf) && !isLit(rf)) {
        l = rf;
        rs = [lf];
      } else {
        l = lf;
        rs = [rf];
      }
    }
    const neg = e.negated;
    const lv = this.value(l);
    if (rs.length === 1 && !isLit(rs[0]!)) {
      const rv = this.value(rs[0]!);
      return (ev) => {
        const a = lv(ev);
        const b = rv(ev);
        if (a === null || b === null) return neg ? a !== b : a === b;
        const r = anyPair(a, b, (x, y) => looseEquals(x, y));
        return r === null ? null : neg ? !r : r;
      };
    }
    const lits = this.literalList(rs);
    if (lits.some((x) => x.value === null)) {
      const others = lits.filter((x) => x.value !== null);
      const test = others.length ? seqTest(values(others)) : () => false;
      return (ev) => {
        const v = lv(ev);
        const r = v === null ? true : anyPair(v, null, (x) => test(x)) === true;
        return neg ? !r : r;
      };
    }
    const test = seqTest(values(lits));
    return (ev) => {
      const v = lv(ev);
      if (v === null) return null;
      const r = anyPair(v, null, (x) => test(x));
      return r === null ? null : neg ? !r : r;
    };
  }

  private regex(patterns: readonly string[], ci: boolean, pos: number): ScalarTest {
    try {
      return regexTest(patterns, ci);
    } catch (err) {
      return this.fail((err as Error).message, pos);
    }
  }

  // ---- index keys (eql-set.ts) ----------------------------------------------

  /**
   * When `filter(e)` is a leaf on one field that can only be true if the
   * field's value is not a string or, lower-cased, is one of `keys`, those
   * keys. It follows `filter` case by case: `:`, `in`, `in~`, `like`, `like~`
   * and `==` against plain string literals (no wildcards, no numbers, not
   * negated). A case-sensitive `v === lit` implies `lower(v) === lower(lit)`,
   * so one lower-cased key set serves both kinds.
   */
  keyedLeaf(e: Expr): { field: string; keys: string[] } | undefined {
    let k = this.keyedLeaves.get(e);
    if (k === undefined) this.keyedLeaves.set(e, (k = this.keyedLeafOnce(e) ?? null));
    return k ?? undefined;
  }

  private readonly keyedLeaves = new WeakMap<Expr, { field: string; keys: string[] } | null>();

  private keyedLeafOnce(e: Expr): { field: string; keys: string[] } | undefined {
    const strings = (xs: readonly unknown[]): string[] | undefined => (xs.every((x): x is string => typeof x === 'string') ? (xs as string[]) : undefined);
    const plain = (xs: readonly string[] | undefined, wildcards: boolean): string[] | undefined => (xs && xs.length > 0 ? this.plainFolded(xs, wildcards) : undefined);
    const keyed = (field: string, keys: string[] | undefined) => (keys ? { field, keys } : undefined);
    switch (e.k) {
      case 'seq': {
        if (e.negated) return undefined;
        const leaf = this.fieldAndLiterals(e.l, e.r, e.pos);
        return leaf ? keyed(leaf[0].name, plain(strings(values(leaf[1])), true)) : undefined;
      }
      case 'in':
        if (e.negated || !isField(e.l)) return undefined;
        return keyed(e.l.name, plain(strings(values(this.literalList(e.list))), false));
      case 'like':
        return isField(e.l) ? keyed(e.l.name, plain(e.patterns, true)) : undefined;
      case 'cmp': {
        if (e.op !== '==') return undefined;
        const l = this.fold(e.l);
        const r = this.fold(e.r);
        const [field, lit] = isField(l) && isLit(r) ? [l, r] : isLit(l) && isField(r) ? [r, l] : [undefined, undefined];
        return field && typeof lit.value === 'string' ? { field: field.name, keys: [fold(lit.value)] } : undefined;
      }
      default:
        return undefined;
    }
  }

  // ---- filter (two-valued) evaluation --------------------------------------

  filter(e: Expr): FilterFn {
    switch (e.k) {
      case 'lit':
        if (typeof e.value === 'boolean') {
          const b = e.value;
          return () => b;
        }
        if (e.value === null) return () => false;
        return this.fail(`a condition must be boolean, found ${show(e)}`, e.pos);
      case 'field': {
        const test = eqTest(true, false);
        return anyOf(this.fields.read(e.name), test);
      }
      case 'not': {
        const f = this.filter(e.e);
        return (ev) => !f(ev);
      }
      case 'and':
      case 'or': {
        const fs = e.items.map((x) => this.filter(x));
        if (e.k === 'and') {
          if (fs.length === 2) {
            const [a, b] = fs as [FilterFn, FilterFn];
            return (ev) => a(ev) && b(ev);
          }
          if (fs.length === 3) {
            const [a, b, c] = fs as [FilterFn, FilterFn, FilterFn];
            return (ev) => a(ev) && b(ev) && c(ev);
          }
          if (fs.length === 4) {
            const [a, b, c, d] = fs as [FilterFn, FilterFn, FilterFn, FilterFn];
            return (ev) => a(ev) && b(ev) && c(ev) && d(ev);
          }
          return (ev) => {
            for (let i = 0; i < fs.length; i++) if (!fs[i]!(ev)) return false;
            return true;
          };
        }
        if (fs.length === 2) {
          const [a, b] = fs as [FilterFn, FilterFn];
          return (ev) => a(ev) || b(ev);
        }
        if (fs.length === 3) {
          const [a, b, c] = fs as [FilterFn, FilterFn, FilterFn];
          return (ev) => a(ev) || b(ev) || c(ev);
        }
        return (ev) => {
          for (let i = 0; i < fs.length; i++) if (fs[i]!(ev)) return true;
          return false;
        };
      }
      case 'cmp':
        return this.cmpFilter(e);
      case 'seq': {
        const leaf = this.fieldAndLiterals(e.l, e.r, e.pos);
        if (leaf) {
          const [field, lits] = leaf;
          if (lits.some((l) => l.value === null)) return this.fromValue(e);
          const f = this.seqLeaf(field.name, lits);
          return e.negated ? (ev) => !f(ev) : f;
        }
        return this.fromValue(e);
      }
      case 'in': {
        if (isField(e.l)) {
          const lits = this.typedLits(e.l, this.literalList(e.list));
          const f = this.inLeaf(e.l.name, lits, e.ci);
          return e.negated ? (ev) => !f(ev) : f;
        }
        const positive = this.fromValue({ ...e, negated: false });
        return e.negated ? (ev) => !positive(ev) : positive;
      }
      case 'like':
      case 'regex':
        if (isField(e.l)) {
          if (e.k === 'like') return this.likeLeaf(e.l.name, e.patterns, e.ci);
          return anyOf(this.fields.read(e.l.name), this.regex(e.patterns, e.ci, e.pos));
        }
        return this.fromValue(e);
      case 'call': {
        const spec = FUNCTIONS.find((f) => f.name === e.name)!;
        if (spec.returns !== 'boolean') this.fail(`a condition must be boolean, but ${spec.name} returns a ${spec.returns}`, e.pos);
        return this.fromValue(e);
      }
      case 'arith':
      case 'neg':
        return this.fail(`a condition must be boolean, found arithmetic ${show(e)}`, e.pos);
    }
  }

  /** Which string literals are plain (no wildcard), folded; undefined if any has wildcards. */
  private plainFolded(strings: readonly string[], wildcards: boolean): string[] | undefined {
    if (wildcards && strings.some((x) => x.includes('*') || x.includes('?'))) return undefined;
    return strings.map(fold);
  }

  private seqLeaf(name: string, lits: readonly Lit[]): FilterFn {
    const strings = lits.filter((l) => typeof l.value === 'string').map((l) => l.value as string);
    if (strings.length === 0) return anyOf(this.fields.read(name), seqTest(values(lits)));
    const read = this.fields.readLower(name);
    const test = lazy(() => seqTest(values(lits), true));
    if (strings.length !== lits.length) return anyOf(read, test);
    return this.stringLeaf(read, strings, true, test);
  }

  /** A leaf whose literals are all strings, matched case-insensitively against a folded read. */
  private stringLeaf(read: ValueFn, strings: readonly string[], wildcards: boolean, test: ScalarTest): FilterFn {
    const plain = this.plainFolded(strings, wildcards);
    if (plain && plain.length === 1) return anyOfExact(read, plain[0]!, test);
    if (plain) return anyOfSet(read, new Set(plain), test);
    if (strings.length === 1) return anyOfString(read, compilePattern(wildcardPattern(strings[0]!, true), 'sensitive'), test);
    return anyOf(read, test);
  }

  private inLeaf(name: string, lits: readonly Lit[], ci: boolean): FilterFn {
    const allStrings = lits.every((l) => typeof l.value === 'string');
    if (ci) {
      const read = this.fields.readLower(name);
      const test = lazy(() => inTest(values(lits), true, true));
      return allStrings ? this.stringLeaf(read, lits.map((l) => l.value as string), false, test) : anyOf(read, test);
    }
    const read = this.fields.read(name);
    const test = lazy(() => inTest(values(lits), false));
    if (!allStrings) return anyOf(read, test);
    if (lits.length === 1) return anyOfExact(read, lits[0]!.value as string, test);
    return anyOfSet(read, new Set(lits.map((l) => l.value as string)), test);
  }

  private likeLeaf(name: string, patterns: readonly string[], ci: boolean): FilterFn {
    if (ci) return this.stringLeaf(this.fields.readLower(name), patterns, true, lazy(() => likeTest(patterns, true, true)));
    const test = lazy(() => likeTest(patterns, false));
    if (patterns.length === 1) return anyOfString(this.fields.read(name), compilePattern(wildcardPattern(patterns[0]!), 'sensitive'), test);
    return anyOf(this.fields.read(name), test);
  }

  /** `field op literal(s)` (either side), the shape Elasticsearch turns into a term/range/wildcard query. */
  private fieldAndLiterals(l: Expr, rs: readonly Expr[], pos: number): [Field, Lit[]] | undefined {
    if (rs.length === 1) this.checkNoFieldPair(l, rs[0]!, pos);
    const fl = this.fold(l);
    const frs = rs.map((r) => this.fold(r));
    if (isField(fl) && frs.every(isLit)) return [fl, this.typedLits(fl, frs as Lit[])];
    if (frs.length === 1 && isLit(fl) && isField(frs[0]!)) return [frs[0] as Field, [this.typedLit(frs[0]!, fl)]];
    return undefined;
  }

  private fromValue(e: Expr): FilterFn {
    const v = this.value(e);
    return (ev) => {
      const r = v(ev);
      return r === true || (Array.isArray(r) && r.includes(true));
    };
  }

  private cmpFilter(e: Extract<Expr, { k: 'cmp' }>): FilterFn {
    this.checkNoFieldPair(e.l, e.r, e.pos);
    const [l, r] = this.typedPair(this.fold(e.l), this.fold(e.r));
    let field: Field | undefined;
    let lit: Lit | undefined;
    let op = e.op;
    if (isField(l) && isLit(r)) {
      field = l;
      lit = r;
    } else if (isLit(l) && isField(r)) {
      field = r;
      lit = l;
      op = flipOp(op);
    }
    if (!field || !lit) return this.fromValue({ ...e, l, r });
    const read = this.fields.read(field.name);
    if (lit.value === null) {
      if (op === '==') return (ev) => read(ev) === null;
      if (op === '!=') return (ev) => read(ev) !== null;
      return () => false;
    }
    if (op === '==' || op === '!=') {
      const f = typeof lit.value === 'string' ? anyOfExact(read, lit.value, eqTest(lit.value, false)) : anyOf(read, eqTest(lit.value, false));
      // `!=` on a field is must-not of the term query: true when missing (eql.md §7).
      return op === '==' ? f : (ev) => !f(ev);
    }
    const m = this.fields.mappingOf?.(field.name)?.mapping;
    if (m?.type === 'version' && typeof lit.value === 'string') return anyOf(read, versionRangeTest(op, lit.value));
    return anyOf(read, rangeTest(op, lit.value));
  }
}
