import type { Trace } from '../../core/detector.ts';
import type { Event } from '../../core/event.ts';
import { networkContains, parseIp, type Network } from '../common/cidr.ts';
import { text as textToken, type Pattern, printPattern } from '../common/pattern.ts';
import { compilePattern, patternToRegExp, type StringMatcher } from '../common/pattern-matcher.ts';
import type { Predicate } from '../common/predicate.ts';
import { luceneToJs } from '../common/lucene-regex.ts';
import { compileRegex } from '../common/regex.ts';
import { analyse, splitPatternOnSpace } from './analysed-text.ts';
import { parseDateBound } from './date-value.ts';
import { anyLeaf, fieldAccess, leafEntries, type FieldAccess } from '../common/field-access.ts';
import { planField, SEMANTICS_LABEL, type FieldPlan, type FieldTyping, type QueryOptions, type Semantics } from './field-semantics.ts';
import { NOT_INDEXED } from '../../mapping/indexed-value.ts';
import { scalarText } from '../common/fields.ts';
import type { FieldIndex, PreparedEvent, SlotRef } from '../common/prepared-event.ts';
import { defaultFieldIndex } from './default-field-index.ts';
import type { FieldName, QueryNode, TermValue } from './query-ast.ts';
import { fuzzyTest, looksLikeIp, numericLiteral, parseNetworkLenient, rangeTest, regexTest, termTest, type ScalarTest } from './value-tests.ts';

/**
 * Compile the shared query tree (KQL or Lucene) ONCE into closures: `matches`
 * never re-walks the tree. Field values are visited without allocation
 * (field-access.ts); `or` lists on one field become a single visit with a Set
 * lookup; `and` operands run cheapest first. `explain` and `logic` are built
 * from the same per-node decisions.
 *
 * Compiling builds only a light node per query node; each node's test
 * closures, logic and explain are built on first use, so parsing + compiling
 * a whole corpus stays cheap (kql-corpus-parse) and a query pays for matchers
 * only when it runs.
 *
 * `matchesPrepared` evaluates the same tests over a prepared event
 * (prepared-event.ts: each field path resolved at most once per event, on
 * first read, then an array read per leaf), behind a required-field
 * prefilter: a field that every match needs (an `and` of leaves, the common
 * part of an `or`) is checked for presence first. `anchorsOf` exposes the
 * conjuncts a (field, literal) index can decide, for query-set.ts. Results
 * are identical to `matches` (prepared.test.ts).
 */
export interface CompiledQuery {
  matches(event: Event): boolean;
  /** The same answer as `matches(prepared.event)`, faster when many queries read one event. */
  matchesPrepared(prepared: PreparedEvent): boolean;
  explain(event: Event): Trace;
  readonly logic: Predicate;
}

type Test = (event: unknown) => boolean;
type PreparedTest = (pe: PreparedEvent) => boolean;

interface Ctx {
  readonly opts: QueryOptions;
  readonly now: number;
  readonly index: FieldIndex;
  /** Plain field accesses of this query, shared by its leaves. */
  readonly access: Map<string, FieldAccess>;
}

function access(ctx: Ctx, name: string): FieldAccess {
  let a = ctx.access.get(name);
  if (!a) ctx.access.set(name, (a = fieldAccess(name)));
  return a;
}

function yes(): boolean {
  return true;
}
function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A compiled query node. Subclasses say how to build the plain test, the
 * prepared test and the logic; each is built once, on first use.
 */
abstract class Node {
  // Built on first use. `declare`d: not class fields, whose per-instance initializer is a measurable part of compiling a corpus.
  private declare plainTest: Test | undefined;
  private declare preparedTest: PreparedTest | undefined;
  private declare logicTree: Predicate | undefined;

  constructor(
    readonly label: string,
    /** Rough evaluation cost, to order `and` operands. */
    readonly cost: number,
    /** The highest prepared-event slot the prepared test reads (-1: none); a prepared event must cover it. */
    readonly maxSlot: number,
  ) {}

  get test(): Test {
    return (this.plainTest ??= this.buildTest());
  }
  get prepared(): PreparedTest {
    return (this.preparedTest ??= this.buildPrepared());
  }
  get logic(): Predicate {
    return (this.logicTree ??= this.buildLogic());
  }
  protected abstract buildTest(): Test;
  protected abstract buildPrepared(): PreparedTest;
  protected abstract buildLogic(): Predicate;
  abstract explain(event: unknown): Trace;
  /** Fields that every matching prepared event has present (the required-field prefilter). */
  abstract required(): readonly SlotRef[];
  /** Conjuncts every match needs that a (field, literal) index can decide (query-set.ts); none by default. */
  anchors(): readonly Anchor[] {
    return [];
  }
}

/** A node that reads no slot: its prepared test is the plain test on the source event. */
abstract class PlainNode extends Node {
  protected buildPrepared(): PreparedTest {
    const t = this.test;
    return (pe) => t(pe.event);
  }
  required(): readonly SlotRef[] {
    return [];
  }
}

class CompiledKqlQuery implements CompiledQuery {
  private declare preparedRoot: PreparedTest | undefined;
  constructor(
    private readonly root: Node,
    private readonly index: FieldIndex,
  ) {}
  matches(event: Event): boolean {
    return this.root.test(event);
  }
  matchesPrepared(prepared: PreparedEvent): boolean {
    return (this.preparedRoot ??= preparedRoot(this.root, this.index))(prepared);
  }
  explain(event: Event): Trace {
    return this.root.explain(event);
  }
  get logic(): Predicate {
    return this.root.logic;
  }
  /** The root's anchors, when its fields are slots of `index`. */
  anchorsIn(index: FieldIndex): readonly Anchor[] {
    return index === this.index ? this.root.anchors() : [];
  }
}

/**
 * A conjunct every match of a query needs, decidable by lookup: some value
 * of `ref`'s field is one of these strings, numbers or booleans (a term or
 * `f:(a or b)` list of plain literals under by-value-type semantics, where a
 * value matches exactly when it equals a key of its own type).
 */
export interface Anchor {
  readonly ref: SlotRef;
  readonly strings: readonly string[];
  readonly numbers: readonly number[];
  readonly booleans: readonly boolean[];
}

/**
 * The anchors of a compiled query on prepared events of `index`: each one alone must hold for a match.
 * @example anchorsOf(compileKql('event.category: process and x: 1'), defaultFieldIndex)[0]?.strings // ['process']
 */
export function anchorsOf(q: CompiledQuery, index: FieldIndex): readonly Anchor[] {
  return q instanceof CompiledKqlQuery ? q.anchorsIn(index) : [];
}

/** The lookup keys of literal values under `auto` semantics (autoTerm / mergedAutoTest); none when a value is a pattern or could match as an IP network. */
function anchorKeys(ref: SlotRef, values: readonly TermValue[]): Anchor | undefined {
  const strings: string[] = [];
  const numbers: number[] = [];
  const booleans: boolean[] = [];
  for (const v of values) {
    if (v.kind !== 'literal' || (/[.:]/.test(v.text) && parseNetworkLenient(v.text))) return undefined;
    strings.push(v.text);
    const n = numericLiteral(v.text);
    if (n !== undefined) numbers.push(n);
    if (v.text === 'true' || v.text === 'false') booleans.push(v.text === 'true');
  }
  return { ref, strings, numbers, booleans };
}

/** The lookup keys of keyword terms: the literal text, and the numbers / booleans whose text it is. */
function keywordAnchorKeys(ref: SlotRef, values: readonly TermValue[]): Anchor | undefined {
  const strings: string[] = [];
  const numbers: number[] = [];
  const booleans: boolean[] = [];
  for (const v of values) {
    if (v.kind !== 'literal') return undefined;
    strings.push(v.text);
    const n = numericLiteral(v.text);
    if (n !== undefined && String(n) === v.text) numbers.push(n);
    if (v.text === 'true' || v.text === 'false') booleans.push(v.text === 'true');
  }
  return { ref, strings, numbers, booleans };
}

/**
 * The root prepared test: an event prepared by another index, or before this
 * query registered its fields, is evaluated the plain way; otherwise the
 * required fields are checked for presence before the test runs.
 */
function preparedRoot(root: Node, index: FieldIndex): PreparedTest {
  const t = root.prepared;
  const plain = root.test;
  const max = root.maxSlot;
  const [r0, r1, r2] = root.required();
  const covered = (pe: PreparedEvent): boolean => pe.size > max && pe.index === index;
  if (r0 === undefined) return (pe) => (covered(pe) ? t(pe) : plain(pe.event));
  if (r1 === undefined) return (pe) => (covered(pe) ? r0.present(pe) && t(pe) : plain(pe.event));
  if (r2 === undefined) return (pe) => (covered(pe) ? r0.present(pe) && r1.present(pe) && t(pe) : plain(pe.event));
  return (pe) => (covered(pe) ? r0.present(pe) && r1.present(pe) && r2.present(pe) && t(pe) : plain(pe.event));
}

/**
 * Compile a parsed query.
 * @example compileQuery(parseKql('process.name: cmd.exe')).matches({ process: { name: 'cmd.exe' } }) // true
 */
export function compileQuery(root: QueryNode, opts: QueryOptions = {}): CompiledQuery {
  const index = opts.fieldIndex ?? defaultFieldIndex;
  return new CompiledKqlQuery(compileNode(root, { opts, now: opts.now ?? Date.now(), index, access: new Map() }), index);
}

function compileNode(node: QueryNode, ctx: Ctx): Node {
  switch (node.kind) {
    case 'all':
      return new AllNode(node.label);
    case 'and':
      return new AndNode(node.children.map((c) => compileNode(c, ctx)), node.label);
    case 'or':
      return new OrNode(node.children, node.children.map((c) => compileNode(c, ctx)), node.label, ctx);
    case 'not':
      return new NotNode(compileNode(node.child, ctx), node.label);
    case 'term':
      return compileTerm(node.field, node.value, node.label, ctx);
    case 'range': {
      const { op, value } = node;
      return fieldLeaf(
        node.field,
        node.label,
        ctx,
        new LeafSpec(
          2,
          (sem, typing) => rangeTest(op, value, sem, ctx.now, typing),
          () => `${op} ${JSON.stringify(value)}`,
          (field, sem) => {
            const n = numericLiteral(value);
            const bound = sem === 'date' ? isoBound(value, op === 'gt' || op === 'lte', ctx.now) : n !== undefined && sem !== 'keyword' && sem !== 'caseless' && sem !== 'text' ? n : value;
            return bound === undefined ? { kind: 'const', value: false } : { kind: 'range', field, op, value: bound };
          },
        ),
      );
    }
    case 'exists':
      return compileExists(node.field, node.label, ctx);
    case 'nested':
      return new NestedNode(node.path, compileNode(node.query, ctx), node.label);
    case 'regex': {
      const { source } = node;
      return fieldLeaf(
        node.field,
        node.label,
        ctx,
        new LeafSpec(
          4,
          // Lucene RegExp syntax (only the Lucene dialect parses `/…/`).
          (sem) => regexTest(compileRegex(luceneToJs(source), { dotAll: true }), sem),
          () => `a value matching /${source}/`,
          (field, sem) => ({ kind: 'regex', field, source: luceneToJs(source), flags: sem === 'text' || sem === 'caseless' ? 'is' : 's' }),
        ),
      );
    }
    case 'fuzzy': {
      const { text, distance } = node;
      return fieldLeaf(
        node.field,
        node.label,
        ctx,
        new LeafSpec(
          4,
          (sem) => fuzzyTest(text, distance, sem),
          () => `within edit distance ${distance} of ${JSON.stringify(text)}`,
          (field) => ({ kind: 'opaque', field, description: `${text}~${distance} (edit distance)` }),
        ),
      );
    }
  }
}

// ---- boolean nodes ----

class AllNode extends PlainNode {
  constructor(label: string) {
    super(label, 0, -1);
  }
  protected buildTest(): Test {
    return yes;
  }
  protected override buildPrepared(): PreparedTest {
    return yes;
  }
  protected buildLogic(): Predicate {
    return { kind: 'const', value: true, label: this.label };
  }
  explain(): Trace {
    return { label: this.label, result: true, detail: 'matches every event', children: [] };
  }
}

class NotNode extends Node {
  constructor(
    private readonly child: Node,
    label: string,
  ) {
    super(label, child.cost, child.maxSlot);
  }
  protected buildTest(): Test {
    const t = this.child.test;
    return (e) => !t(e);
  }
  protected buildPrepared(): PreparedTest {
    const t = this.child.prepared;
    return (pe) => !t(pe);
  }
  protected buildLogic(): Predicate {
    return { kind: 'not', child: this.child.logic, label: this.label };
  }
  explain(e: unknown): Trace {
    const child = this.child.explain(e);
    return { label: this.label, result: !child.result, children: [child] };
  }
  required(): readonly SlotRef[] {
    return [];
  }
}

function maxSlotOf(nodes: readonly Node[]): number {
  let m = -1;
  for (const n of nodes) if (n.maxSlot > m) m = n.maxSlot;
  return m;
}

/** Every test must hold (operands in the given order). */
function allOf<E>(tests: readonly ((e: E) => boolean)[]): (e: E) => boolean {
  const [t0, t1, t2] = tests;
  if (tests.length === 1) return t0!;
  if (tests.length === 2) return (e) => t0!(e) && t1!(e);
  if (tests.length === 3) return (e) => t0!(e) && t1!(e) && t2!(e);
  return (e) => {
    for (const t of tests) if (!t(e)) return false;
    return true;
  };
}

/** Some test must hold. */
function someOf<E>(tests: readonly ((e: E) => boolean)[]): (e: E) => boolean {
  const [t0, t1] = tests;
  if (tests.length === 1) return t0!;
  if (tests.length === 2) return (e) => t0!(e) || t1!(e);
  return (e) => {
    for (const t of tests) if (t(e)) return true;
    return false;
  };
}

class AndNode extends Node {
  constructor(
    private readonly children: readonly Node[],
    label: string,
  ) {
    super(label, children.reduce((s, c) => s + c.cost, 0), maxSlotOf(children));
  }
  private byCost(): Node[] {
    return [...this.children].sort((a, b) => a.cost - b.cost);
  }
  protected buildTest(): Test {
    return allOf(this.byCost().map((c) => c.test));
  }
  protected buildPrepared(): PreparedTest {
    return allOf(this.byCost().map((c) => c.prepared));
  }
  protected buildLogic(): Predicate {
    return { kind: 'and', children: this.children.map((c) => c.logic), label: this.label };
  }
  explain(e: unknown): Trace {
    const cs = this.children.map((c) => c.explain(e));
    return { label: this.label, result: cs.every((c) => c.result === true), children: cs };
  }
  required(): readonly SlotRef[] {
    const all = this.children.flatMap((c) => c.required());
    return all.filter((r, i) => all.findIndex((x) => x.slot === r.slot) === i);
  }
  override anchors(): readonly Anchor[] {
    return this.children.flatMap((c) => c.anchors());
  }
}

/** One operand of a compiled `or`: a child node, or several terms on one field merged into one visit. */
type OrOperand = { readonly node: Node } | { readonly probe: FieldProbe; readonly scalar: ScalarTest; readonly values: readonly TermValue[] };

class OrNode extends Node {
  private declare operandList: readonly OrOperand[] | undefined;
  constructor(
    private readonly nodes: readonly QueryNode[],
    private readonly children: readonly Node[],
    label: string,
    private readonly ctx: Ctx,
  ) {
    super(label, children.reduce((s, c) => s + c.cost, 0) / 2, maxSlotOf(children));
  }
  private operands(): readonly OrOperand[] {
    return (this.operandList ??= mergedOrOperands(this.nodes, this.children, this.ctx));
  }
  protected buildTest(): Test {
    return someOf(this.operands().map((o) => ('node' in o ? o.node.test : o.probe.plainTest(o.scalar))));
  }
  protected buildPrepared(): PreparedTest {
    return someOf(this.operands().map((o) => ('node' in o ? o.node.prepared : o.probe.preparedTest(o.scalar))));
  }
  protected buildLogic(): Predicate {
    return { kind: 'or', children: this.children.map((c) => c.logic), label: this.label };
  }
  explain(e: unknown): Trace {
    const cs = this.children.map((c) => c.explain(e));
    return { label: this.label, result: cs.some((c) => c.result === true), children: cs };
  }
  required(): readonly SlotRef[] {
    const [first, ...rest] = this.children.map((c) => c.required());
    return (first ?? []).filter((s) => rest.every((r) => r.some((x) => x.slot === s.slot)));
  }
  /** `f:(a or b or c)` on one field: its literals. */
  override anchors(): readonly Anchor[] {
    const [only, ...more] = this.operands();
    const a = only && more.length === 0 && 'probe' in only ? only.probe.anchor(only.values) : undefined;
    return a ? [a] : [];
  }
}

/** `f:(a or b or c)`: one visit of `f` with a combined value test instead of one visit per value. */
function mergedOrOperands(nodes: readonly QueryNode[], children: readonly Node[], ctx: Ctx): OrOperand[] {
  const groups = new Map<string, TermValue[]>();
  nodes.forEach((n) => {
    if (n.kind === 'term' && n.field && !n.field.glob) groups.set(n.field.name, [...(groups.get(n.field.name) ?? []), n.value]);
  });
  const out: OrOperand[] = [];
  const done = new Set<string>();
  nodes.forEach((n, i) => {
    if (n.kind !== 'term' || !n.field || n.field.glob || groups.get(n.field.name)!.length < 2) {
      out.push({ node: children[i]! });
      return;
    }
    if (done.has(n.field.name)) return;
    done.add(n.field.name);
    const probe = new FieldProbe(planField(n.field.name, ctx.opts), ctx);
    const values = groups.get(n.field.name)!;
    const sem = probe.plan.semantics;
    const plan = probe.plan;
    const merged = sem === 'auto' ? mergedAutoTest(values) : sem === 'keyword' && !plan.typing?.index ? mergedKeywordTest(values) : undefined;
    out.push({ probe, values, scalar: typedScalar(merged ?? anyOf(values.map((v) => termTest(v, sem, ctx.now, plan.typing))), plan) });
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

/** Keyword terms of many values at once: a Set for the literals (a keyword indexes a number or boolean as its text), patterns after. */
function mergedKeywordTest(values: readonly TermValue[]): ScalarTest | undefined {
  const strings = new Set<string>();
  const patterns: StringMatcher[] = [];
  for (const v of values) {
    if (v.kind === 'pattern') patterns.push(compilePattern(v.pattern, 'sensitive'));
    else strings.add(v.text);
  }
  return (v) => {
    const s = typeof v === 'string' ? v : scalarText(v);
    if (s === undefined) return false;
    if (strings.has(s)) return true;
    for (const m of patterns) if (m(s)) return true;
    return false;
  };
}

/**
 * The test on what the field indexes for each event value (harness/mapping
 * indexed-value.ts: ignore_above, coercion, date format, canonical IPs) and
 * `null_value` in place of null; the plain test when the mapping indexes
 * values as they come.
 */
function typedScalar(t: ScalarTest, plan: FieldPlan): ScalarTest {
  const typing = plan.typing;
  if (!typing) return t;
  const { index, nullValue } = typing;
  if (index === undefined && nullValue === undefined) return t;
  if (index === undefined) return (v) => t(v === null ? nullValue : v);
  if (nullValue === undefined) {
    return (v) => {
      const x = index(v);
      return x !== NOT_INDEXED && t(x);
    };
  }
  return (v) => {
    const x = index(v === null ? nullValue : v);
    return x !== NOT_INDEXED && t(x);
  };
}

// ---- field leaves ----

/**
 * The values of one concrete field: the plan's path, falling back to the
 * multi-field's parent when the path itself is absent; read from the source
 * event (field-access.ts) or from a prepared event's slots.
 */
class FieldProbe {
  /** Undefined when the index is full: the prepared test then reads the source event. */
  readonly ref: SlotRef | undefined;
  readonly fallbackRef: SlotRef | undefined;
  constructor(
    readonly plan: FieldPlan,
    private readonly ctx: Ctx,
  ) {
    this.ref = ctx.index.slotOf(plan.path);
    this.fallbackRef = plan.fallback === null ? undefined : ctx.index.slotOf(plan.fallback);
  }
  /** Whether the prepared test can use slots. */
  private get slotted(): boolean {
    return this.ref !== undefined && (this.plan.fallback === null || this.fallbackRef !== undefined);
  }
  get maxSlot(): number {
    return this.slotted ? Math.max(this.ref!.slot, this.fallbackRef?.slot ?? -1) : -1;
  }
  /** The anchor of a term on this field (literal values, by-value-type semantics). */
  anchor(values: readonly TermValue[]): Anchor | undefined {
    if (this.ref === undefined || this.plan.fallback !== null || this.plan.typing?.constant !== undefined) return undefined;
    if (this.plan.semantics === 'auto') return anchorKeys(this.ref, values);
    return this.plan.semantics === 'keyword' && this.plan.typing?.nullValue === undefined ? keywordAnchorKeys(this.ref, values) : undefined;
  }
  /** The field every value must come from, for the prefilter: none when there is a fallback. */
  required(): readonly SlotRef[] {
    return this.slotted && this.plan.fallback === null && this.plan.typing?.constant === undefined ? [this.ref!] : [];
  }
  plainTest(t: ScalarTest): Test {
    const acc = access(this.ctx, this.plan.path);
    const constant = this.plan.typing?.constant;
    // constant_keyword: a document without the field still has the mapping's value.
    if (constant !== undefined) return (e) => (acc.any(e, yes) ? acc.any(e, t) : t(constant));
    if (this.plan.fallback === null) return (e) => acc.any(e, t);
    const parent = access(this.ctx, this.plan.fallback);
    return (e) => acc.any(e, t) || (!acc.any(e, yes) && parent.any(e, t));
  }
  preparedTest(t: ScalarTest): PreparedTest {
    const ref = this.ref;
    if (!this.slotted || ref === undefined || this.plan.typing?.constant !== undefined) {
      const plain = this.plainTest(t);
      return (pe) => plain(pe.event);
    }
    const fb = this.fallbackRef;
    if (fb === undefined) return (pe) => ref.any(pe, t);
    return (pe) => ref.any(pe, t) || (!ref.present(pe) && fb.any(pe, t));
  }
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

/**
 * What a field leaf tests, per semantics: built only when first needed. A
 * class taking the functions positionally, because arrows in object literals
 * get a per-instance name under the TypeScript loader (a compile-time cost).
 */
class LeafSpec {
  constructor(
    readonly cost: number,
    readonly scalar: (sem: Semantics, typing?: FieldTyping) => ScalarTest,
    /** What a value must be, for explain. */
    readonly expected: () => string,
    readonly logic: (field: string, sem: Semantics) => Predicate,
    /** The value of a term leaf (for anchors). */
    readonly term?: TermValue,
  ) {}
}

/**
 * A leaf over one field, a field glob, or (field `null`) every field. The
 * semantics of a concrete field is fixed at compile time; for globs and free
 * text it depends on each leaf path, so tests are memoised per semantics.
 */
function fieldLeaf(field: FieldName | null, label: string, ctx: Ctx, spec: LeafSpec): Node {
  if (field === null || field.glob) {
    const name = field?.name;
    return new PathLeaf(field, label, ctx, spec.scalar, spec.expected, () => (name !== undefined ? { kind: 'opaque', field: name, description: `some field matching ${name} satisfies ${label}`, label } : anyFieldLogic(spec.logic('', 'auto'), label)));
  }
  return new FieldLeaf(new FieldProbe(planField(field.name, ctx.opts), ctx), label, spec);
}

class FieldLeaf extends Node {
  private declare scalarTest: ScalarTest | undefined;
  constructor(
    private readonly probe: FieldProbe,
    label: string,
    private readonly spec: LeafSpec,
  ) {
    const plan = probe.plan;
    super(label, spec.cost + (plan.semantics === 'text' ? 4 : plan.fallback ? 1 : 0), probe.maxSlot);
  }
  private get scalar(): ScalarTest {
    const plan = this.probe.plan;
    return (this.scalarTest ??= typedScalar(this.spec.scalar(plan.semantics, plan.typing), plan));
  }
  protected buildTest(): Test {
    return this.probe.plainTest(this.scalar);
  }
  protected buildPrepared(): PreparedTest {
    return this.probe.preparedTest(this.scalar);
  }
  protected buildLogic(): Predicate {
    const plan = this.probe.plan;
    return { ...this.spec.logic(plan.fallback ?? plan.path, plan.semantics), label: semanticsNote(this.label, plan) };
  }
  explain(e: unknown): Trace {
    const plan = this.probe.plan;
    const { path, values } = explainAccess(plan)(e);
    const result = values.some(this.scalar);
    return { label: this.label, result, detail: describe(path, values, result, this.spec.expected(), plan), children: [] };
  }
  required(): readonly SlotRef[] {
    return this.probe.required();
  }
  override anchors(): readonly Anchor[] {
    const a = this.spec.term ? this.probe.anchor([this.spec.term]) : undefined;
    return a ? [a] : [];
  }
}

/** Free-text logic: the same match / regex leaf with field `null` (any field), else opaque. */
function anyFieldLogic(p: Predicate, label: string): Predicate {
  if (p.kind === 'match' || p.kind === 'regex') return { ...p, field: null, label };
  return { kind: 'opaque', field: null, description: `any field: ${label}`, label };
}


/** A leaf over a field glob or every field: walks the event's leaves (no prepared fast path). */
class PathLeaf extends PlainNode {
  private readonly bySem = new Map<Semantics, ScalarTest>();
  private readonly byPath = new Map<string, ScalarTest>();
  private glob: RegExp | null | undefined;
  constructor(
    private readonly field: FieldName | null,
    label: string,
    private readonly ctx: Ctx,
    private readonly make: (sem: Semantics) => ScalarTest,
    private readonly expected: () => string,
    private readonly logicOf: () => Predicate,
  ) {
    super(label, 20, -1);
  }
  private testFor(path: string): ScalarTest {
    let t = this.byPath.get(path);
    if (t === undefined) {
      const sem = planField(path, this.ctx.opts).semantics;
      t = this.bySem.get(sem) ?? this.make(sem);
      this.bySem.set(sem, t);
      if (this.byPath.size < 10_000) this.byPath.set(path, t);
    }
    return t;
  }
  private visit(path: string, v: unknown): boolean {
    this.glob ??= this.field ? globRegExp(this.field.name) : null;
    return (this.glob === null || this.glob.test(path)) && this.testFor(path)(v);
  }
  protected buildTest(): Test {
    return (e) => anyLeaf(e, '', (p, v) => this.visit(p, v));
  }
  protected buildLogic(): Predicate {
    return this.logicOf();
  }
  explain(e: unknown): Trace {
    const hits = leafEntries(e).filter(([p, v]) => this.visit(p, v));
    const detail = hits.length > 0 ? `${hits.slice(0, 5).map(([p, v]) => `${p} is ${JSON.stringify(v)}`).join('; ')}` : `no ${this.field ? `field matching ${this.field.name}` : 'field'} has ${this.expected()}`;
    return { label: this.label, result: hits.length > 0, detail, children: [] };
  }
}

function semanticsNote(label: string, plan: FieldPlan): string {
  if (plan.semantics === 'auto') return label;
  const on = plan.fallback ? `, on ${plan.fallback} when ${plan.path} is absent` : '';
  return `${label} (${SEMANTICS_LABEL[plan.semantics]}${on}${typedBy(plan)})`;
}

/** `, typed by ECS 9.5.0-dev as wildcard` — which mapping typed a field, for explain. */
function typedBy(plan: FieldPlan): string {
  return plan.typing ? `, typed by ${plan.typing.source} as ${plan.typing.mapping.esType}` : '';
}

function formatValues(values: readonly unknown[]): string {
  const shown = values.slice(0, 5).map((v) => JSON.stringify(v) ?? String(v));
  return values.length === 1 ? shown[0]! : `[${shown.join(', ')}${values.length > 5 ? ', …' : ''}]`;
}

function describe(path: string, values: readonly unknown[], result: boolean, expected: string, plan: FieldPlan): string {
  if (values.length === 0) return `${path} is missing`;
  const first = values[0];
  const how =
    plan.semantics !== 'auto' ? SEMANTICS_LABEL[plan.semantics] + typedBy(plan) : `${typeof first === 'number' ? 'numeric' : typeof first === 'boolean' ? 'boolean' : typeof first === 'string' ? 'keyword: case-sensitive' : 'no scalar value'}${plan.dynamic ? ', unmapped: typed by its value' : ''}`;
  return `${path} is ${formatValues(values)}${result ? '' : `, expected ${expected}`} (${how})`;
}

// ---- term, exists, nested ----

function compileTerm(field: FieldName | null, value: TermValue, label: string, ctx: Ctx): Node {
  return fieldLeaf(
    field,
    label,
    ctx,
    new LeafSpec(
      value.kind === 'pattern' ? 2 : looksLikeIp(value.text) && parseNetworkLenient(value.text) ? 3 : 1,
      (sem, typing) => termTest(value, sem, ctx.now, typing),
      () => (value.kind === 'pattern' ? `a value matching "${printPattern(value.pattern)}"` : JSON.stringify(value.text)),
      (f, sem) => termLogic(f, value, sem, ctx),
      value,
    ),
  );
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


function compileExists(field: FieldName, label: string, ctx: Ctx): Node {
  if (field.glob) return new PathLeaf(field, label, ctx, () => (v) => v !== null, () => 'a value', () => ({ kind: 'opaque', field: field.name, description: `some field matching ${field.name} exists`, label }));
  return new ExistsLeaf(new FieldProbe(planField(field.name, ctx.opts), ctx), label);
}

class ExistsLeaf extends Node {
  constructor(
    private readonly probe: FieldProbe,
    label: string,
  ) {
    super(label, 1, probe.maxSlot);
  }
  private get test1(): ScalarTest {
    return typedScalar(present, this.probe.plan);
  }
  protected buildTest(): Test {
    return this.probe.plainTest(this.test1);
  }
  protected buildPrepared(): PreparedTest {
    return this.probe.preparedTest(this.test1);
  }
  protected buildLogic(): Predicate {
    const plan = this.probe.plan;
    return { kind: 'exists', field: plan.fallback ?? plan.path, label: this.label };
  }
  explain(e: unknown): Trace {
    const { path, values } = explainAccess(this.probe.plan)(e);
    const result = this.test(e);
    return { label: this.label, result, detail: result ? `${path} is ${formatValues(values)}` : values.length ? `${path} is ${formatValues(values)} (null is missing)` : `${path} is missing`, children: [] };
  }
  required(): readonly SlotRef[] {
    return this.probe.required();
  }
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


/** `path:{ query }`: one element of `path` satisfies the whole inner (relative) query; evaluated on the source event. */
class NestedNode extends PlainNode {
  private readonly acc: FieldAccess;
  constructor(
    private readonly path: string,
    private readonly inner: Node,
    label: string,
  ) {
    super(label, 10 + inner.cost, -1);
    this.acc = fieldAccess(path);
  }
  protected buildTest(): Test {
    const t = this.inner.test;
    const acc = this.acc;
    return (e) => acc.any(e, (el) => isObject(el) && t(el));
  }
  protected buildLogic(): Predicate {
    return { kind: 'and', children: [prefixFields(this.inner.logic, this.path)], label: `${this.label} (one element of ${this.path} satisfies all)` };
  }
  explain(e: unknown): Trace {
    const els = this.acc.values(e).filter(isObject);
    const children = els.slice(0, 10).map((el, i) => ({ ...this.inner.explain(el), label: `${this.path}[${i}]: ${this.inner.explain(el).label}` }));
    const result = els.some((el) => this.inner.test(el));
    return { label: this.label, result, detail: els.length === 0 ? `${this.path} has no object value` : `${els.length} element(s); one must satisfy the whole inner query`, children };
  }
}
