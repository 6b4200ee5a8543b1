import type { Trace } from '../../../core/detector.ts';
import { anyLeaf, leafEntries } from '../../common/field-access.ts';
import { patternToRegExp } from '../../common/pattern-matcher.ts';
import { text as textToken } from '../../common/pattern.ts';
import type { Predicate } from '../../common/predicate.ts';
import type { SlotRef } from '../../common/prepared-event.ts';
import { type FieldTyping, type Semantics, planField } from '../field-semantics.ts';
import type { FieldName, TermValue } from '../query-ast.ts';
import type { ScalarTest } from '../value-tests.ts';
import { FieldProbe, describe, explainAccess, semanticsNote, typedScalar } from './field-probe.ts';
import { type Anchor, type Ctx, Node, PlainNode, type PreparedTest, type Test } from './node.ts';

/** Field leaves: a test over one field, a field glob, or every field. */

export function globRegExp(name: string): RegExp {
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
export class LeafSpec {
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
export function fieldLeaf(field: FieldName | null, label: string, ctx: Ctx, spec: LeafSpec): Node {
  if (field === null || field.glob) {
    const name = field?.name;
    return new PathLeaf(field, label, ctx, spec.scalar, spec.expected, () => (name !== undefined ? { kind: 'opaque', field: name, description: `some field matching ${name} satisfies ${label}`, label } : anyFieldLogic(spec.logic('', 'auto'), label)));
  }
  return new FieldLeaf(new FieldProbe(planField(field.name, ctx.opts), ctx), label, spec);
}

export class FieldLeaf extends Node {
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
export function anyFieldLogic(p: Predicate, label: string): Predicate {
  if (p.kind === 'match' || p.kind === 'regex') return { ...p, field: null, label };
  return { kind: 'opaque', field: null, description: `any field: ${label}`, label };
}


/** A leaf over a field glob or every field: walks the event's leaves (no prepared fast path). */
export class PathLeaf extends PlainNode {
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
