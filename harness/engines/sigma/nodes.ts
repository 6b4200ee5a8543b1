/**
 * Compiled detection logic: each node tests an event, explains itself as a
 * Trace, and describes itself as a Predicate. Built once per rule; `test` is
 * the hot path, explain/predicate are for failure messages and the generator.
 */
import type { Trace } from '../../core/detector.ts';
import type { Event } from '../../core/event.ts';
import type { Predicate } from '../common/predicate.ts';

export interface Node {
  /** Trace label: an identifier name, a condition sub-expression, or `field|mods: value`. */
  readonly label: string;
  test(e: Event): boolean;
  explain(e: Event): Trace;
  predicate(): Predicate;
}

/** AND / OR over children. `named`: the node is a search identifier, so its predicate carries the label too. */
export class BoolNode implements Node {
  constructor(
    readonly op: 'and' | 'or',
    readonly children: readonly Node[],
    readonly label: string,
    readonly named = false,
  ) {}

  test(e: Event): boolean {
    const cs = this.children;
    if (this.op === 'and') {
      for (let i = 0; i < cs.length; i++) if (!cs[i]!.test(e)) return false;
      return true;
    }
    for (let i = 0; i < cs.length; i++) if (cs[i]!.test(e)) return true;
    return false;
  }

  explain(e: Event): Trace {
    const children = this.children.map((c) => c.explain(e));
    const result = this.op === 'and' ? children.every((c) => c.result === true) : children.some((c) => c.result === true);
    return { label: this.label, result, children };
  }

  predicate(): Predicate {
    return { kind: this.op, children: this.children.map((c) => c.predicate()), ...(this.named ? { label: this.label } : {}) };
  }
}

export class NotNode implements Node {
  constructor(
    readonly child: Node,
    readonly label: string,
  ) {}

  test(e: Event): boolean {
    return !this.child.test(e);
  }

  explain(e: Event): Trace {
    const c = this.child.explain(e);
    return { label: this.label, result: c.result === null ? null : !c.result, children: [c] };
  }

  predicate(): Predicate {
    return { kind: 'not', child: this.child.predicate() };
  }
}

/** `1 of` / `all of` a pattern that names no identifier: false / true (sigma.md §7 Decision). */
export class ConstNode implements Node {
  constructor(
    readonly value: boolean,
    readonly label: string,
  ) {}

  test(): boolean {
    return this.value;
  }

  explain(): Trace {
    return { label: this.label, result: this.value, detail: 'no identifier matches the pattern', children: [] };
  }

  predicate(): Predicate {
    return { kind: 'const', value: this.value };
  }
}
