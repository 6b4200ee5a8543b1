import type { Trace } from '../../../core/detector.ts';
import { type FieldAccess, anyLeaf, fieldAccess } from '../../common/field-access.ts';
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
    const path = this.path;
    return (e) => acc.any(e, (el) => isObject(el) && t(el)) || t(dottedElement(e, path));
  }
  protected buildLogic(): Predicate {
    return { kind: 'and', children: [prefixFields(this.inner.logic, this.path)], label: `${this.label} (one element of ${this.path} satisfies all)` };
  }
  explain(e: unknown): Trace {
    const found = this.acc.values(e).filter(isObject);
    const dotted = dottedElement(e, this.path);
    const els = Object.keys(dotted).length ? [...found, dotted] : found;
    const children = els.slice(0, 10).map((el, i) => ({ ...this.inner.explain(el), label: `${this.path}[${i}]: ${this.inner.explain(el).label}` }));
    const result = this.test(e);
    return { label: this.label, result, detail: els.length === 0 ? `${this.path} has no object value` : `${els.length} element(s); one must satisfy the whole inner query`, children };
  }
}

/**
 * The element that keys running past the path spell (`{"items.name": "a", "items.role": "b"}`,
 * or `{"items": …}` split anywhere above it): Elasticsearch expands dotted keys into objects
 * before mapping, so together they are one object of the path. Only keys that cross the end of
 * the path count — an object (or array of objects) at the path is found by the field access.
 */
function dottedElement(e: unknown, path: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const add = (rest: string, v: unknown): boolean => {
    const prev = out[rest];
    out[rest] = prev === undefined ? v : Array.isArray(prev) ? [...(prev as unknown[]), v] : [prev, v];
    return false;
  };
  const walk = (node: unknown, at: string): void => {
    if (!isObject(node)) return;
    for (const [k, v] of Object.entries(node)) {
      const full = at === '' ? k : `${at}.${k}`;
      if (path.startsWith(`${full}.`)) walk(v, full);
      else if (full.startsWith(`${path}.`)) anyLeaf(v, full.slice(path.length + 1), add);
    }
  };
  walk(e, '');
  return out;
}
