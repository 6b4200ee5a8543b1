import type { ShapeHint } from './shapes.ts';
import type { BinValue } from './values.ts';

/**
 * Binary XML as parsed: a template definition's body (or an inline fragment) as
 * elements whose attribute values and content are literals, substitution slots,
 * or template instances met inside the body. The record's JSON is built straight
 * from these and an instance's values (to-json.ts): no XML tree is materialised.
 */
export type Part =
  | { readonly k: 'value'; readonly v: BinValue }
  | { readonly k: 'sub'; readonly index: number; readonly optional: boolean }
  | { readonly k: 'element'; readonly el: TElement }
  | { readonly k: 'instance'; readonly inst: Instance };

export interface TAttr {
  readonly name: string;
  readonly parts: readonly Part[];
}

export interface TElement {
  readonly name: string;
  readonly attrs: readonly TAttr[];
  readonly content: readonly Part[];
  /** The key sequences its JSON objects had last (its attributes, itself, itself as a `<Data>` value). */
  readonly hints: { readonly attrs: ShapeHint; readonly element: ShapeHint; readonly data: ShapeHint };
}

/** An element of a template body (its shape hints start empty). */
export function templateElement(name: string, attrs: readonly TAttr[], content: readonly Part[]): TElement {
  return { name, attrs, content, hints: { attrs: { last: undefined }, element: { last: undefined }, data: { last: undefined } } };
}

/**
 * A template body with the values of one instance of it (a record's fragment is an
 * instance with no values). `depth` counts the template instances it is nested in: a
 * Binary XML value among `values` is parsed one deeper.
 */
export interface Instance {
  readonly body: readonly Part[];
  readonly values: readonly BinValue[];
  readonly depth: number;
}
