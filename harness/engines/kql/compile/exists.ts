import type { Trace } from '../../../core/detector.ts';
import { anyLeaf } from '../../common/field-access.ts';
import type { Predicate } from '../../common/predicate.ts';
import type { SlotRef } from '../../common/prepared-event.ts';
import { planField } from '../field-semantics.ts';
import type { FieldName } from '../query-ast.ts';
import type { ScalarTest } from '../value-tests.ts';
import { PathLeaf } from './field-leaf.ts';
import { FieldProbe, explainAccess, formatValues, typedScalar } from './field-probe.ts';
import { type Ctx, Node, type PreparedTest, type Test } from './node.ts';

/** Exists leaves (`field: *`): a value, or an object with one inside. */

/** A non-null scalar, or an object with one somewhere inside (ES `exists` on an object field). */
export function present(v: unknown): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v !== 'object') return true;
  return anyLeaf(v, '', (_p, x) => x !== null);
}


export function compileExists(field: FieldName, label: string, ctx: Ctx): Node {
  if (field.glob) return new PathLeaf(field, label, ctx, () => (v) => v !== null, () => 'a value', () => ({ kind: 'opaque', field: field.name, description: `some field matching ${field.name} exists`, label }));
  return new ExistsLeaf(new FieldProbe(planField(field.name, ctx.opts), ctx), label);
}

export class ExistsLeaf extends Node {
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
