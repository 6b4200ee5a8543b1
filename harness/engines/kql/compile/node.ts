import type { Trace } from '../../../core/detector.ts';
import { type FieldAccess, fieldAccess } from '../../common/field-access.ts';
import type { Predicate } from '../../common/predicate.ts';
import type { FieldIndex, PreparedEvent, SlotRef } from '../../common/prepared-event.ts';
import type { QueryOptions } from '../field-semantics.ts';

/** The compiled query node: a class per node kind builds its plain test, prepared test, logic and explain on first use (compile-query.ts). */

export type Test = (event: unknown) => boolean;
export type PreparedTest = (pe: PreparedEvent) => boolean;

export interface Ctx {
  readonly opts: QueryOptions;
  readonly now: number;
  readonly index: FieldIndex;
  /** Plain field accesses of this query, shared by its leaves. */
  readonly access: Map<string, FieldAccess>;
}

export function access(ctx: Ctx, name: string): FieldAccess {
  let a = ctx.access.get(name);
  if (!a) ctx.access.set(name, (a = fieldAccess(name)));
  return a;
}

export function yes(): boolean {
  return true;
}
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A compiled query node. Subclasses say how to build the plain test, the
 * prepared test and the logic; each is built once, on first use.
 */
export abstract class Node {
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
export abstract class PlainNode extends Node {
  protected buildPrepared(): PreparedTest {
    const t = this.test;
    return (pe) => t(pe.event);
  }
  required(): readonly SlotRef[] {
    return [];
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

export function maxSlotOf(nodes: readonly Node[]): number {
  let m = -1;
  for (const n of nodes) if (n.maxSlot > m) m = n.maxSlot;
  return m;
}

/** Every test must hold (operands in the given order). */
export function allOf<E>(tests: readonly ((e: E) => boolean)[]): (e: E) => boolean {
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
export function someOf<E>(tests: readonly ((e: E) => boolean)[]): (e: E) => boolean {
  const [t0, t1] = tests;
  if (tests.length === 1) return t0!;
  if (tests.length === 2) return (e) => t0!(e) || t1!(e);
  return (e) => {
    for (const t of tests) if (t(e)) return true;
    return false;
  };
}
