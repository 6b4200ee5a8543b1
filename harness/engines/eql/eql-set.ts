import type { IndexMapping } from '../../mapping/index.ts';
import type { Event } from '../../core/event.ts';
import type { Expr } from './ast.ts';
import type { ExprCompiler, FilterFn } from './compile-expr.ts';
import { type EventFrame, type FieldRead, FrameFields } from './field-access.ts';
import { compileQueryParts } from './query-parts.ts';
import { type Requirement, keyableFields, requirementOf } from './requirements.ts';

/**
 * Many EQL queries over many events, with the indexing Elasticsearch itself
 * relies on instead of running every query on every event:
 *
 * 1. one frame per event: every field is read once and shared by all queries
 *    (property loads on thousands of event shapes are the dominant cost);
 * 2. queries are grouped by event category: one category read per event,
 *    then only that category's queries and the `any where` ones;
 * 3. within a group, an inverted index from (field, lower-cased literal) to
 *    the queries that require it (requirements.ts): a query is only run when
 *    one of its required literals is present (or the field holds a value the
 *    index cannot decide: a number, an array, an object).
 *
 * Each answer is exactly that of `compileEql(query).matches(event)`: the same
 * compiled conditions run on every candidate, and a query is skipped only when
 * a necessary condition fails (eql-set.test.ts checks this property).
 * For a sequence or sample, `matches` means some stage's filter matches.
 */
export interface EqlSetOptions {
  /** Default `event.category`. */
  eventCategoryField?: string;
  /** Fields typed as this mapping indexes them, as each query's own detector reads them (none: as the values come). */
  mapping?: IndexMapping;
}

export interface EqlSet {
  readonly size: number;
  /** How many of `events` each query matches, in query order. */
  countMatches(events: readonly Event[]): number[];
  /** The (ascending) indices of the queries that match `event`. */
  matchesPerEvent(event: Event): number[];
  /** The index, per event category (null: any other value): keyed fields with the queries keyed on each, and the queries always run. */
  describe(): { category: string | null; keyed: Record<string, number[]>; always: number[] }[];
}

/** One filter of one query: an event query has one, a sequence one per distinct stage. */
interface Branch {
  readonly query: number;
  readonly category: string | null;
  /** The condition, once the category is known to match. */
  readonly condition: FilterFn;
  /** The category test and the condition. */
  readonly test: FilterFn;
  readonly expr: Expr;
  readonly compiler: ExprCompiler;
  /** Fields the condition has keyed leaves on. */
  readonly keyable: ReadonlySet<string>;
}

interface KeyedField {
  readonly field: string;
  /** The field's lower-cased value, over the frame. */
  readonly read: FieldRead;
  /** Branches requiring each key. */
  readonly byKey: ReadonlyMap<string, Int32Array>;
  /** Every branch keyed on this field (for values the keys cannot decide). */
  readonly all: Int32Array;
}

/** The candidate search for one category value. */
interface Plan {
  /** Branches without a usable requirement: always run. */
  readonly always: Int32Array;
  readonly keyed: readonly KeyedField[];
}

/**
 * The plan for the branches `ids` (one category's and the `any` ones). Each
 * branch's requirement is chosen to favour fields many branches of the group
 * can share (one read serves them all) and to avoid broad fields.
 */
function buildPlan(ids: readonly number[], branches: readonly Branch[], fields: FrameFields, categoryField: string): Plan {
  const uses = new Map<string, number>();
  for (const b of ids) for (const f of branches[b]!.keyable) uses.set(f, (uses.get(f) ?? 0) + 1);
  // Fields beside the category field live in an object read anyway; others cost less the more branches share them.
  const categoryParent = categoryField.slice(0, categoryField.lastIndexOf('.') + 1);
  const weight = (f: string): number => (f === categoryField ? 0 : categoryParent !== '' && f.startsWith(categoryParent) && !f.slice(categoryParent.length).includes('.') ? 0.05 : 1 / (uses.get(f) ?? 1));
  const reqs = new Map<number, Requirement | undefined>(ids.map((b) => [b, requirementOf(branches[b]!.compiler, branches[b]!.expr, weight)]));
  const always: number[] = [];
  const byField = new Map<string, { byKey: Map<string, number[]>; all: number[] }>();
  for (const b of ids) {
    const r = reqs.get(b);
    if (!r) {
      always.push(b);
      continue;
    }
    for (const [field, keys] of r.byField) {
      let entry = byField.get(field);
      if (!entry) byField.set(field, (entry = { byKey: new Map(), all: [] }));
      entry.all.push(b);
      for (const k of keys) {
        const list = entry.byKey.get(k);
        if (list) list.push(b);
        else entry.byKey.set(k, [b]);
      }
    }
  }
  const keyed = [...byField].map(([field, e]) => ({
    field,
    read: fields.readLower(field),
    byKey: new Map([...e.byKey].map(([k, bs]) => [k, Int32Array.from(bs)])),
    all: Int32Array.from(e.all),
  }));
  return { always: Int32Array.from(always), keyed };
}

export function compileEqlSet(queries: readonly string[], opts: EqlSetOptions = {}): EqlSet {
  const categoryField = opts.eventCategoryField ?? 'event.category';
  const fields = new FrameFields('prepared', opts.mapping);
  const readCategory = fields.read(categoryField);
  const branches: Branch[] = [];
  queries.forEach((query, qi) => {
    const parts = compileQueryParts(query, fields, categoryField, opts.mapping);
    for (const f of parts.filters) {
      const keyable = keyableFields(parts.compiler, f.expr);
      branches.push({ query: qi, category: f.category, condition: f.condition, test: f.test, expr: f.expr, compiler: parts.compiler, keyable });
    }
  });
  const anyIds = branches.flatMap((b, i) => (b.category === null ? [i] : []));
  const categories = [...new Set(branches.flatMap((b) => (b.category === null ? [] : [b.category])))];
  const plans = new Map<string, Plan>();
  for (const cat of categories) {
    const ids = branches.flatMap((b, i) => (b.category === cat || b.category === null ? [i] : []));
    plans.set(cat, buildPlan(ids, branches, fields, categoryField));
  }
  const anyPlan = buildPlan(anyIds, branches, fields, categoryField);

  const frame: EventFrame = fields.frame();
  const nb = branches.length;
  const mark = new Int32Array(nb);
  const cands = new Int32Array(nb);
  const queryMark = new Int32Array(queries.length);
  let stamp = 0;

  let n = 0;
  const add = (ids: Int32Array, s: number): void => {
    for (let i = 0; i < ids.length; i++) {
      const b = ids[i]!;
      if (mark[b] !== s) {
        mark[b] = s;
        cands[n++] = b;
      }
    }
  };

  /**
   * Call `hit(query)` once for each query matching the frame's event.
   * (No closures are made per event: allocation is the other hot-path cost.)
   */
  const evaluate = (f: EventFrame, hit: (query: number) => void): void => {
    if (++stamp === 0x7fffffff) {
      mark.fill(0);
      queryMark.fill(0);
      stamp = 1;
    }
    const s = stamp;
    const v = readCategory(f);
    n = 0;
    if (Array.isArray(v)) {
      // A multi-valued category: rare, so every branch with its own category test.
      for (let b = 0; b < nb; b++) {
        const br = branches[b]!;
        if (queryMark[br.query] !== s && br.test(f)) {
          queryMark[br.query] = s;
          hit(br.query);
        }
      }
      return;
    }
    const plan = (typeof v === 'string' ? plans.get(v) : undefined) ?? anyPlan;
    add(plan.always, s);
    const keyed = plan.keyed;
    for (let i = 0; i < keyed.length; i++) {
      const k = keyed[i]!;
      const lv = k.read(f);
      if (lv === null) continue;
      if (typeof lv === 'string') {
        const ids = k.byKey.get(lv);
        if (ids !== undefined) add(ids, s);
      } else add(k.all, s);
    }
    for (let i = 0; i < n; i++) {
      const br = branches[cands[i]!]!;
      if (queryMark[br.query] !== s && br.condition(f)) {
        queryMark[br.query] = s;
        hit(br.query);
      }
    }
  };

  return {
    size: queries.length,
    countMatches(events) {
      const counts = new Array<number>(queries.length).fill(0);
      const hit = (q: number): void => {
        counts[q] = counts[q]! + 1;
      };
      for (let i = 0; i < events.length; i++) evaluate(frame.reset(events[i]!), hit);
      return counts;
    },
    describe() {
      const queriesOf = (ids: Int32Array): number[] => [...new Set([...ids].map((b) => branches[b]!.query))];
      return [...[...plans].map(([c, p]) => [c, p] as const), [null, anyPlan] as const].map(([category, p]) => ({
        category,
        keyed: Object.fromEntries(p.keyed.map((k) => [k.field, queriesOf(k.all)])),
        always: queriesOf(p.always),
      }));
    },
    matchesPerEvent(event) {
      const out: number[] = [];
      evaluate(frame.reset(event), (q) => out.push(q));
      return out.sort((a, b) => a - b);
    },
  };
}
