import type { Constraints, Trace } from '../../core/detector.ts';
import type { Event } from '../../core/event.ts';
import { or } from '../common/predicate.ts';
import type { Pipe, Query } from './ast.ts';
import { show } from './ast.ts';
import { FrameFields, directFields } from './field-access.ts';
import type { IndexMapping } from '../../mapping/index.ts';
import { orderEvents } from './ordering.ts';
import { compileQueryParts } from './query-parts.ts';
import { runSample, runSequence } from './sequence.ts';

/**
 * Elasticsearch-dialect EQL (semantics: ../shared/semantics/eql.md). The query
 * is parsed once and compiled into closures; `run` orders events by
 * (timestamp, tiebreaker, input index) as the `_eql/search` API does.
 * `compileEqlSet` evaluates many queries over many events with an index
 * (eql-set.ts), with the same answers as each query's `matches`.
 */
export interface EqlOptions {
  /** Default `event.category`; multi-valued: matches if any value equals the category. */
  eventCategoryField?: string;
  /** Default `@timestamp`. */
  timestampField?: string;
  tiebreakerField?: string;
  /** Maximum results (the search API's `size`, default 10). */
  size?: number;
  /** `sample` queries: the most samples per join key (the search API's `max_samples_per_key`, default 1). */
  maxSamplesPerKey?: number;
  /** The index mapping fields are typed by (harness/mapping, typed-fields.ts); none: each value as it comes. */
  mapping?: IndexMapping;
}

export interface EqlResult {
  readonly events: number[];
}

export interface CompiledEql {
  readonly kind: 'event' | 'sequence' | 'sample';
  /** The parsed query, for checks that read it (type-lint.ts) without parsing it again. */
  readonly ast: Query;
  /** Results past `size` are cut from the front (the last pipe is `tail`), not the end. */
  readonly keepsLast: boolean;
  run(events: readonly Event[]): EqlResult[];
  matches(event: Event): boolean;
  /** Can this event change `run`'s answer? `matches`, or a sequence's `until` condition. */
  retains(event: Event): boolean;
  explain(event: Event): Trace;
  constraints(): Constraints;
}

/** The EQL search API's default `size`. */
export const EQL_DEFAULT_SIZE = 10;

function applyPipes<T>(results: T[], pipes: readonly Pipe[], size: number): T[] {
  let r = results;
  for (const p of pipes) r = p.kind === 'head' ? r.slice(0, p.n) : r.slice(Math.max(0, r.length - p.n));
  if (r.length <= size) return r;
  return pipes.at(-1)?.kind === 'tail' ? r.slice(r.length - size) : r.slice(0, size);
}

export function compileEql(query: string, opts: EqlOptions = {}): CompiledEql {
  const categoryField = opts.eventCategoryField ?? 'event.category';
  const direct = directFields(opts.mapping);
  const timestamp = direct.read(opts.timestampField ?? '@timestamp');
  const tiebreaker = opts.tiebreakerField ? direct.read(opts.tiebreakerField) : undefined;
  const size = opts.size ?? EQL_DEFAULT_SIZE;
  // One query reads a few fields of an event: each on its own (a query set prepares events instead), shared within one evaluation.
  const fields = new FrameFields('direct', opts.mapping);
  const { q, filters, expanded, until } = compileQueryParts(query, fields, categoryField, opts.mapping);
  // Every evaluation resets the frame: reads are shared within one evaluation, never across calls.
  const frame = fields.frame();
  const at = (events: readonly Event[]) => (i: number) => frame.reset(events[i]!);
  const keepsLast = q.pipes.at(-1)?.kind === 'tail';

  if (q.kind === 'event') {
    const f = filters[0]!;
    return {
      kind: 'event',
      ast: q,
      keepsLast,
      run: (events) => {
        const ordered = orderEvents(events, timestamp, tiebreaker);
        const hits: EqlResult[] = [];
        for (const i of ordered.order) if (f.test(frame.reset(events[i]!))) hits.push({ events: [i] });
        return applyPipes(hits, q.pipes, size);
      },
      matches: (e) => f.test(frame.reset(e)),
      retains: (e) => f.test(frame.reset(e)),
      explain: (e) => f.explain(e),
      constraints: () => ({ logic: f.logic() }),
    };
  }

  const runtime = expanded.map((x) => x.rt);
  const kind = q.kind;
  const maxspan = q.kind === 'sequence' ? q.maxspanMs : undefined;
  const label = (i: number): string => `${expanded[i]!.rt.missing ? 'missing ' : ''}stage ${i + 1}`;

  return {
    kind,
    ast: q,
    keepsLast,
    run: (events) => {
      const ordered = orderEvents(events, timestamp, tiebreaker);
      const found = kind === 'sequence' ? runSequence(at(events), ordered, runtime, until?.rt, maxspan) : runSample(at(events), ordered, runtime, opts.maxSamplesPerKey);
      return applyPipes(
        found.map((evs) => ({ events: evs })),
        q.pipes,
        size,
      );
    },
    matches: (e) => {
      frame.reset(e);
      for (const s of runtime) if (s.filter(frame)) return true;
      return false;
    },
    retains: (e) => {
      frame.reset(e);
      for (const s of runtime) if (s.filter(frame)) return true;
      return until !== undefined && until.rt.filter(frame);
    },
    explain: (e) => {
      const children = expanded.map((s, i) => ({ ...s.f.explain(e), label: label(i) }));
      if (until) children.push({ ...until.f.explain(e), label: 'until' });
      return { label: kind, result: children.some((t) => t.result === true && t.label !== 'until'), children };
    },
    constraints() {
      const groupBy = (expanded[0]?.keys ?? []).map(show);
      const steps: Constraints[] = expanded.map((s, i) => {
        const keys = s.keys.map(show);
        return { logic: s.rt.missing ? { ...s.f.logic(), label: label(i) } : s.f.logic(), ...(keys.join('\u0000') !== groupBy.join('\u0000') ? { keys } : {}) };
      });
      return {
        logic: or(expanded.filter((s) => !s.rt.missing).map((s) => s.f.logic())),
        aggregate: {
          type: kind,
          steps,
          ...(maxspan !== undefined ? { windowMs: maxspan } : {}),
          groupBy,
        },
      };
    },
  };
}

export { compileEqlSet, type EqlSet, type EqlSetOptions } from './eql-set.ts';
export { QuerySyntaxError } from '../common/query-syntax-error.ts';
