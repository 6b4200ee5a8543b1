import type { Constraints, Trace } from '../../core/detector.ts';
import type { Event } from '../../core/event.ts';
import { type Predicate, and, or } from '../common/predicate.ts';
import type { EventFilter, Expr, Pipe, Query, Stage } from './ast.ts';
import { show } from './ast.ts';
import { ExprCompiler, type FilterFn } from './compile-expr.ts';
import { type Explainer, categoryPredicate, categoryTrace, explainer, predicateOf } from './describe.ts';
import { fieldRead, freshReads } from './field-access.ts';
import { orderEvents } from './ordering.ts';
import { parseEql } from './parser.ts';
import { type RuntimeStage, runSample, runSequence } from './sequence.ts';

/**
 * Elasticsearch-dialect EQL (semantics: ../shared/semantics/eql.md). The query
 * is parsed once and compiled into closures; `run` orders events by
 * (timestamp, tiebreaker, input index) as the `_eql/search` API does.
 */
export interface EqlOptions {
  /** Default `event.category`; multi-valued: matches if any value equals the category. */
  eventCategoryField?: string;
  /** Default `@timestamp`. */
  timestampField?: string;
  tiebreakerField?: string;
  /** Maximum results (the search API's `size`, default 10). */
  size?: number;
}

export interface EqlResult {
  readonly events: number[];
}

export interface CompiledEql {
  readonly kind: 'event' | 'sequence' | 'sample';
  run(events: readonly Event[]): EqlResult[];
  matches(event: Event): boolean;
  explain(event: Event): Trace;
  constraints(): Constraints;
}

const DEFAULT_SIZE = 10;

function applyPipes<T>(results: T[], pipes: readonly Pipe[], size: number): T[] {
  let r = results;
  for (const p of pipes) r = p.kind === 'head' ? r.slice(0, p.n) : r.slice(Math.max(0, r.length - p.n));
  if (r.length <= size) return r;
  return pipes.at(-1)?.kind === 'tail' ? r.slice(r.length - size) : r.slice(0, size);
}

interface CompiledFilter {
  readonly test: FilterFn;
  readonly explain: Explainer;
  readonly logic: () => Predicate;
}

function compileFilter(c: ExprCompiler, f: EventFilter, categoryField: string): CompiledFilter {
  const cond = c.filter(f.condition);
  const cat = f.category;
  let test: FilterFn;
  if (cat === null) test = cond;
  else {
    const read = fieldRead(categoryField);
    // The category test first: one (memoised) field read and a compare rejects most events.
    test = (e) => {
      const v = read(e);
      if (v !== cat && !(Array.isArray(v) && v.includes(cat))) return false;
      return cond(e);
    };
  }
  // Traces and constraints are built on first use: compiling a corpus needs neither.
  let traces: [Explainer, Explainer] | undefined;
  const explain: Explainer = (e) => {
    traces ??= [categoryTrace(categoryField, cat), explainer(c, f.condition)];
    const children = [traces[0](e), traces[1](e)];
    return { label: cat === null ? 'any where' : `${cat} where`, result: children.every((t) => t.result === true), children };
  };
  let logic: Predicate | undefined;
  const constraints = (): Predicate => {
    if (!logic) {
      const condLogic = predicateOf(c, f.condition);
      const catLogic = categoryPredicate(categoryField, cat);
      logic = catLogic ? and([catLogic, condLogic]) : condLogic;
    }
    return logic;
  };
  return { test, explain, logic: constraints };
}

/**
 * The public single-event test. The same event twice in a row for one query may
 * have been edited in place, so that evaluation bypasses the read memo.
 */
function guardRepeat(test: FilterFn): FilterFn {
  let last: unknown = undefined;
  const fresh = (e: unknown): boolean => freshReads(() => test(e));
  return (e) => {
    if (e === last) return fresh(e);
    last = e;
    return test(e);
  };
}

const isOptional = (k: Expr): boolean => k.k === 'field' && k.optional;

export function compileEql(query: string, opts: EqlOptions = {}): CompiledEql {
  const categoryField = opts.eventCategoryField ?? 'event.category';
  const timestamp = fieldRead(opts.timestampField ?? '@timestamp');
  const tiebreaker = opts.tiebreakerField ? fieldRead(opts.tiebreakerField) : undefined;
  const size = opts.size ?? DEFAULT_SIZE;
  const q: Query = parseEql(query);
  const c = new ExprCompiler(query);

  if (q.kind === 'event') {
    const f = compileFilter(c, q.filter, categoryField);
    const test = guardRepeat(f.test);
    return {
      kind: 'event',
      run: (events) =>
        freshReads(() => {
          const ordered = orderEvents(events, timestamp, tiebreaker);
          const hits: EqlResult[] = [];
          for (const i of ordered.order) if (f.test(events[i])) hits.push({ events: [i] });
          return applyPipes(hits, q.pipes, size);
        }),
      matches: test,
      explain: (e) => freshReads(() => f.explain(e)),
      constraints: () => ({ logic: f.logic() }),
    };
  }

  const sharedKeys = q.keys;
  const compileStage = (s: Stage): { rt: RuntimeStage; f: CompiledFilter; keys: readonly Expr[] } => {
    const f = compileFilter(c, s.filter, categoryField);
    const keys = [...sharedKeys, ...s.keys];
    const rt: RuntimeStage = { filter: f.test, keys: keys.map((k) => c.value(k)), optional: keys.map(isOptional), missing: s.missing };
    return { rt, f, keys };
  };
  const expanded = q.stages.flatMap((s) => {
    const compiled = compileStage(s);
    return Array.from({ length: s.runs }, () => compiled);
  });
  const until = q.kind === 'sequence' && q.until ? compileStage(q.until) : undefined;
  const runtime = expanded.map((x) => x.rt);
  const kind = q.kind;
  const maxspan = q.kind === 'sequence' ? q.maxspanMs : undefined;
  const anyStage = guardRepeat((e: unknown): boolean => runtime.some((s) => s.filter(e)));
  const label = (i: number): string => `${expanded[i]!.rt.missing ? 'missing ' : ''}stage ${i + 1}`;

  return {
    kind,
    run: (events) =>
      freshReads(() => {
        const ordered = orderEvents(events, timestamp, tiebreaker);
        const found = kind === 'sequence' ? runSequence(events, ordered, runtime, until?.rt, maxspan) : runSample(events, ordered, runtime);
        return applyPipes(
          found.map((evs) => ({ events: evs })),
          q.pipes,
          size,
        );
      }),
    matches: anyStage,
    explain: (e) =>
      freshReads(() => {
        const children = expanded.map((s, i) => ({ ...s.f.explain(e), label: label(i) }));
        if (until) children.push({ ...until.f.explain(e), label: 'until' });
        return { label: kind, result: children.some((t) => t.result === true && t.label !== 'until'), children };
      }),
    constraints() {
      const steps: Constraints[] = expanded.map((s, i) => ({ logic: s.rt.missing ? { ...s.f.logic(), label: label(i) } : s.f.logic() }));
      return {
        logic: or(expanded.filter((s) => !s.rt.missing).map((s) => s.f.logic())),
        aggregate: {
          type: kind,
          steps,
          ...(maxspan !== undefined ? { windowMs: maxspan } : {}),
          groupBy: (expanded[0]?.keys ?? []).map(show),
        },
      };
    },
  };
}

export { QuerySyntaxError } from '../common/query-syntax-error.ts';
