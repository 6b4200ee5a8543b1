import type { Trace } from '../../../core/detector.ts';
import { type Network, networkContains, parseIp } from '../../common/cidr.ts';
import { scalarText } from '../../common/fields.ts';
import { type StringMatcher, compilePattern } from '../../common/pattern-matcher.ts';
import type { Predicate } from '../../common/predicate.ts';
import type { SlotRef } from '../../common/prepared-event.ts';
import { planField } from '../field-semantics.ts';
import type { QueryNode, TermValue } from '../query-ast.ts';
import { type ScalarTest, looksLikeIp, numericLiteral, parseNetworkLenient, termTest } from '../value-tests.ts';
import { FieldProbe, typedScalar } from './field-probe.ts';
import { type Anchor, type Ctx, Node, PlainNode, type PreparedTest, type Test, allOf, maxSlotOf, someOf, yes } from './node.ts';

/** Boolean nodes: match all, not, and, or (an `or` of terms on one field is one visit). */

// ---- boolean nodes ----

export class AllNode extends PlainNode {
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

export class NotNode extends Node {
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



export class AndNode extends Node {
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
export type OrOperand = { readonly node: Node } | { readonly probe: FieldProbe; readonly scalar: ScalarTest; readonly values: readonly TermValue[] };

export class OrNode extends Node {
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
export function mergedOrOperands(nodes: readonly QueryNode[], children: readonly Node[], ctx: Ctx): OrOperand[] {
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

export function anyOf(tests: readonly ScalarTest[]): ScalarTest {
  return (v) => {
    for (const t of tests) if (t(v)) return true;
    return false;
  };
}

/** The auto-semantics test of many values at once: a Set for exact strings, numbers, booleans; patterns and networks after. */
export function mergedAutoTest(values: readonly TermValue[]): ScalarTest {
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
export function mergedKeywordTest(values: readonly TermValue[]): ScalarTest | undefined {
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
