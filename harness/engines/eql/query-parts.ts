import { type Predicate, and } from '../common/predicate.ts';
import type { EventFilter, Expr, Query, Stage } from './ast.ts';
import { ExprCompiler, type FilterFn } from './compile-expr.ts';
import { type Explainer, categoryPredicate, categoryTrace, explainer, predicateOf } from './describe.ts';
import { directFields, type FieldSource } from './field-access.ts';
import type { IndexMapping } from '../../mapping/index.ts';
import { parseEql } from './parser.ts';
import type { RuntimeStage } from './sequence.ts';

/**
 * A parsed query compiled into closures over a field source: what
 * `compileEql` (one query, its own frame) and `compileEqlSet` (many queries,
 * one shared frame) are built from.
 */
export interface CompiledFilter {
  /** The category test and the condition, over a frame of `fields`. */
  readonly test: FilterFn;
  /** The condition alone (a caller that has checked the category already). */
  readonly condition: FilterFn;
  readonly category: string | null;
  /** The condition's syntax tree (for the set index's requirements). */
  readonly expr: Expr;
  readonly explain: Explainer;
  readonly logic: () => Predicate;
}

/**
 * Compile an event filter against `c` (whose field source is a frame). Traces
 * and constraints are built on first use from `direct()`, a compiler reading
 * events straight (explain takes the event, not a frame).
 */
function compileFilter(c: ExprCompiler, direct: () => ExprCompiler, f: EventFilter, categoryField: string): CompiledFilter {
  const cond = c.filter(f.condition);
  const cat = f.category;
  let test: FilterFn;
  if (cat === null) test = cond;
  else {
    const read = c.fields.read(categoryField);
    // The category test first: one field read and a compare rejects most events.
    test = (e) => {
      const v = read(e);
      if (v !== cat && !(Array.isArray(v) && v.includes(cat))) return false;
      return cond(e);
    };
  }
  let traces: [Explainer, Explainer] | undefined;
  const explain: Explainer = (e) => {
    traces ??= [categoryTrace(categoryField, cat, direct().fields.read(categoryField)), explainer(direct(), f.condition)];
    const children = [traces[0](e), traces[1](e)];
    return { label: cat === null ? 'any where' : `${cat} where`, result: children.every((t) => t.result === true), children };
  };
  let logic: Predicate | undefined;
  const constraints = (): Predicate => {
    if (!logic) {
      const condLogic = predicateOf(direct(), f.condition);
      const catLogic = categoryPredicate(categoryField, cat);
      logic = catLogic ? and([catLogic, condLogic]) : condLogic;
    }
    return logic;
  };
  return { test, condition: cond, category: cat, expr: f.condition, explain, logic: constraints };
}

const isOptional = (k: Expr): boolean => k.k === 'field' && k.optional;

/** One stage of a sequence or sample, compiled. */
export interface CompiledStage {
  readonly rt: RuntimeStage;
  readonly f: CompiledFilter;
  readonly keys: readonly Expr[];
}

/**
 * A parsed query compiled against a field source: the shared front half of
 * `compileEql` and `compileEqlSet`. `filters` are what `matches` ORs: the
 * filter of an event query, every (non-until) stage of a sequence or sample.
 */
export interface QueryParts {
  readonly q: Query;
  readonly filters: readonly CompiledFilter[];
  readonly expanded: readonly CompiledStage[];
  readonly until: CompiledStage | undefined;
  /** The compiler of the query (its folding and index keys, eql-set.ts). */
  readonly compiler: ExprCompiler;
}

export function compileQueryParts(query: string, fields: FieldSource, categoryField: string, mapping?: IndexMapping): QueryParts {
  const q: Query = parseEql(query);
  const c = new ExprCompiler(query, fields);
  let direct: ExprCompiler | undefined;
  const directC = (): ExprCompiler => (direct ??= new ExprCompiler(query, directFields(mapping)));
  if (q.kind === 'event') {
    const f = compileFilter(c, directC, q.filter, categoryField);
    return { q, filters: [f], expanded: [], until: undefined, compiler: c };
  }
  const sharedKeys = q.keys;
  const compileStage = (s: Stage): CompiledStage => {
    const f = compileFilter(c, directC, s.filter, categoryField);
    const keys = [...sharedKeys, ...s.keys];
    const rt: RuntimeStage = { filter: f.test, keys: keys.map((k) => c.value(k)), optional: keys.map(isOptional), missing: s.missing };
    return { rt, f, keys };
  };
  const expanded = q.stages.flatMap((s) => {
    const compiled = compileStage(s);
    return Array.from({ length: s.runs }, () => compiled);
  });
  const until = q.kind === 'sequence' && q.until ? compileStage(q.until) : undefined;
  return { q, filters: [...new Set(expanded.map((s) => s.f))], expanded, until, compiler: c };
}

