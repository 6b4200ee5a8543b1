import type { CaseMode, Pattern } from './pattern.ts';

/**
 * One predicate tree for single-event logic (style.md "Take" #2): Sigma
 * detections, KQL and the single-event part of EQL all describe themselves as
 * and / or / not over field leaves. `constraints()`, the generator, branch
 * coverage and the indicator tables read this tree; engines evaluate their own
 * compiled closures.
 */
export type Leaf =
  /** Anchored wildcard match of the field's text (field `null`: any field, keyword search). */
  | { readonly kind: 'match'; readonly field: string | null; readonly pattern: Pattern; readonly mode: CaseMode }
  | { readonly kind: 'regex'; readonly field: string | null; readonly source: string; readonly flags: string }
  | { readonly kind: 'cidr'; readonly field: string; readonly network: string }
  | { readonly kind: 'range'; readonly field: string; readonly op: 'gt' | 'gte' | 'lt' | 'lte'; readonly value: number | string }
  /** Typed equality for non-string values (numbers, booleans). */
  | { readonly kind: 'equals'; readonly field: string; readonly value: number | boolean }
  | { readonly kind: 'exists'; readonly field: string }
  /** Field missing or null. */
  | { readonly kind: 'null'; readonly field: string }
  | {
      readonly kind: 'fieldref';
      readonly field: string;
      readonly other: string;
      readonly position: 'equals' | 'contains' | 'startswith' | 'endswith';
      readonly mode: CaseMode;
    }
  /** Logic the tree cannot describe (an EQL function call, a time part); kept so nothing is silently dropped. */
  | { readonly kind: 'opaque'; readonly field: string | null; readonly description: string };

export type Predicate =
  | (Leaf & { readonly label?: string })
  | { readonly kind: 'and'; readonly children: readonly Predicate[]; readonly label?: string }
  | { readonly kind: 'or'; readonly children: readonly Predicate[]; readonly label?: string }
  | { readonly kind: 'not'; readonly child: Predicate; readonly label?: string }
  | { readonly kind: 'const'; readonly value: boolean; readonly label?: string };

export type LeafKind = Leaf['kind'];

export function assertNever(x: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`);
}

export const and = (children: readonly Predicate[], label?: string): Predicate => ({ kind: 'and', children, ...(label ? { label } : {}) });
export const or = (children: readonly Predicate[], label?: string): Predicate => ({ kind: 'or', children, ...(label ? { label } : {}) });
export const not = (child: Predicate, label?: string): Predicate => ({ kind: 'not', child, ...(label ? { label } : {}) });

/** Every leaf of the tree, in tree order. */
export function leavesOf(p: Predicate, out: Leaf[] = []): Leaf[] {
  switch (p.kind) {
    case 'and':
    case 'or':
      for (const c of p.children) leavesOf(c, out);
      return out;
    case 'not':
      return leavesOf(p.child, out);
    case 'const':
      return out;
    default:
      out.push(p);
      return out;
  }
}
