import type { Trace } from '../../../core/detector.ts';
import { type FieldAccess, fieldAccess } from '../../common/field-access.ts';
import type { Predicate } from '../../common/predicate.ts';
import { Node, PlainNode, type Test, isObject } from './node.ts';

/** Nested queries (`path:{ query }`): one element of the path satisfies the whole inner query. */

export function prefixFields(p: Predicate, prefix: string): Predicate {
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
export class NestedNode extends PlainNode {
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
