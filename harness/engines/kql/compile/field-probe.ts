import { NOT_INDEXED } from '../../../mapping/indexed-value.ts';
import { type FieldAccess, fieldAccess } from '../../common/field-access.ts';
import type { SlotRef } from '../../common/prepared-event.ts';
import { type FieldPlan, SEMANTICS_LABEL } from '../field-semantics.ts';
import type { TermValue } from '../query-ast.ts';
import type { ScalarTest } from '../value-tests.ts';
import { anchorKeys, keywordAnchorKeys } from './anchors.ts';
import { type Anchor, type Ctx, type PreparedTest, type Test, access, yes } from './node.ts';

/** Reading one concrete field of an event (or of a prepared event), with the typing of its mapping (docs/typing.md), and the explain wording of a field leaf. */

/**
 * The test on what the field indexes for each event value (harness/mapping
 * indexed-value.ts: ignore_above, coercion, date format, canonical IPs) and
 * `null_value` in place of null; the plain test when the mapping indexes
 * values as they come.
 */
export function typedScalar(t: ScalarTest, plan: FieldPlan): ScalarTest {
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
export class FieldProbe {
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
export function explainAccess(plan: FieldPlan): (e: unknown) => { path: string; values: readonly unknown[] } {
  const acc = fieldAccess(plan.path);
  const parent: FieldAccess | null = plan.fallback === null ? null : fieldAccess(plan.fallback);
  return (e) => {
    const own = acc.values(e);
    if (own.length > 0 || !parent) return { path: plan.path, values: own };
    return { path: parent.name, values: parent.values(e) };
  };
}


export function semanticsNote(label: string, plan: FieldPlan): string {
  if (plan.semantics === 'auto') return label;
  const on = plan.fallback ? `, on ${plan.fallback} when ${plan.path} is absent` : '';
  return `${label} (${SEMANTICS_LABEL[plan.semantics]}${on}${typedBy(plan)})`;
}

/** `, typed by ECS 9.5.0-dev as wildcard` — which mapping typed a field, for explain. */
export function typedBy(plan: FieldPlan): string {
  return plan.typing ? `, typed by ${plan.typing.source} as ${plan.typing.mapping.esType}` : '';
}

export function formatValues(values: readonly unknown[]): string {
  const shown = values.slice(0, 5).map((v) => JSON.stringify(v) ?? String(v));
  return values.length === 1 ? shown[0]! : `[${shown.join(', ')}${values.length > 5 ? ', …' : ''}]`;
}

export function describe(path: string, values: readonly unknown[], result: boolean, expected: string, plan: FieldPlan): string {
  if (values.length === 0) return `${path} is missing`;
  const first = values[0];
  const how =
    plan.semantics !== 'auto' ? SEMANTICS_LABEL[plan.semantics] + typedBy(plan) : `${typeof first === 'number' ? 'numeric' : typeof first === 'boolean' ? 'boolean' : typeof first === 'string' ? 'keyword: case-sensitive' : 'no scalar value'}${plan.dynamic ? ', unmapped: typed by its value' : ''}`;
  return `${path} is ${formatValues(values)}${result ? '' : `, expected ${expected}`} (${how})`;
}
